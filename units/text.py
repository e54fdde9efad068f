"""Vietnamese text folding: the one helper behind every diacritic-insensitive search.

Users type "xin man" and expect "Xín Mần"; they type "da nang" and expect "Đà Nẵng".
Stored names are folded once, into an indexed column, with this function; queries
are folded with the same function, so SQLite and PostgreSQL answer identically
without relying on a database extension.
"""

import re
import unicodedata

from django.db.models import Q, QuerySet

_SPACES = re.compile(r"\s+")
# C0 controls and DEL; tab, line feed and carriage return are kept where text may span lines.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A search is a few words typed by a person. Each word is one LIKE condition; a thousand
# of them overflow SQLite's expression tree and make PostgreSQL scan for nothing.
SEARCH_MAX_WORDS = 10
SEARCH_MAX_LENGTH = 200
# Đ/đ are letters of their own, not D plus a combining mark, so NFD does not split them.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def nfc(text: str | None) -> str:
    """Canonical composed form; input pasted from Word or a PDF may be decomposed."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics, map đ to d and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def has_control_characters(text: str) -> bool:
    return bool(_CONTROLS.search(text))


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def strip_controls_keep_lines(text: str) -> str:
    return _CONTROLS_BUT_LINES.sub("", text)


def cap_search(query: str | None) -> str:
    """A search as typed, cut to SEARCH_MAX_LENGTH characters and SEARCH_MAX_WORDS words."""
    words = strip_controls((query or "")[:SEARCH_MAX_LENGTH]).split()
    return " ".join(words[:SEARCH_MAX_WORDS])


def search_words(query: str | None) -> list[str]:
    """The folded words of a search, at most SEARCH_MAX_WORDS of them."""
    return [word for word in fold(cap_search(query)).split(" ") if word]


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Filter by every word of `query`, diacritics optional, against a folded column."""
    condition = Q()
    for word in search_words(query):
        condition &= Q(**{f"{field}__contains": word})
    return queryset.filter(condition)
