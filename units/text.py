"""Vietnamese text folding: the one helper behind every diacritic-insensitive search.

Users type "xin man" and expect "Xín Mần"; they type "da nang" and expect "Đà Nẵng".
Stored names are folded once, into an indexed column, with this function; queries
are folded with the same function, so SQLite and PostgreSQL answer identically
without relying on a database extension.
"""

import re
import unicodedata
from functools import cache

from django.db.models import Q, QuerySet

from units.abbreviations import ABBREVIATIONS

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


@cache
def _alternatives() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded words of each short or long form -> the folded forms that mean the same."""
    found: dict[tuple[str, ...], set[str]] = {}
    for short, long in ABBREVIATIONS:
        short, long = fold(short), fold(long)
        found.setdefault(tuple(short.split(" ")), set()).add(long)
        found.setdefault(tuple(long.split(" ")), set()).add(short)
    return {words: tuple(sorted(forms)) for words, forms in found.items()}


def _whole_words(field: str, text: str) -> Q:
    # Folded columns hold single-space-separated words, so spaces mark word edges.
    # An added form must stand as words: "du" (Đảng ủy) must not match "Dũng".
    return (
        Q(**{field: text})
        | Q(**{f"{field}__startswith": f"{text} "})
        | Q(**{f"{field}__endswith": f" {text}"})
        | Q(**{f"{field}__contains": f" {text} "})
    )


def search_condition(query: str | None, field: str = "search_text") -> Q:
    """The Q for a quick search: every word of `query` in the folded column `field`.

    Diacritics and case are optional, words may come in any order, and a common
    abbreviation also finds its long form and the reverse (units.abbreviations):
    "BĐBP Huế" finds "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế". Plain
    LIKE conditions, so SQLite and PostgreSQL answer identically. An empty query
    gives an empty Q, which filters nothing.
    """
    alternatives = _alternatives()
    longest = max(len(words) for words in alternatives)
    words = search_words(query)
    condition = Q()
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            phrase = tuple(words[start : start + size])
            if phrase in alternatives:
                break
        else:
            size, phrase = 1, tuple(words[start : start + 1])
        typed = Q()
        for word in phrase:
            typed &= Q(**{f"{field}__contains": word})
        for form in alternatives.get(phrase, ()):
            typed |= _whole_words(field, form)
        condition &= typed
        start += size
    return condition


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Filter `queryset` by `search_condition(query, field)`."""
    return queryset.filter(search_condition(query, field))
