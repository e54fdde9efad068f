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


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    """Filter by every word of `query`, diacritics optional, against a folded column."""
    condition = Q()
    for word in fold(query).split(" "):
        if word:
            condition &= Q(**{f"{field}__contains": word})
    return queryset.filter(condition)
