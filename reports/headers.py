"""Header lines of an organization, broken by meaning and measured in the bundled font.

An official header prints a body's name in capitals, on as many lines as its column
needs, each break between units of meaning ("BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG" /
"THÀNH PHỐ HUẾ"), never inside a word: Vietnamese writes a word as several
space-separated syllables, so "BIÊN / PHÒNG" is a broken word although the break
falls on a space. The lines are therefore computed here and printed without wrapping.
"""

import functools
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

from reports import profiles

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FILES = {False: "LiberationSerif-Regular.ttf", True: "LiberationSerif-Bold.ttf"}
A4_WIDTH_MM = 210
MM_PER_PT = 25.4 / 72
# What a line may fill of its column: the PDF engine measures with the same font, so
# only its rounding needs room.
FILL = 0.99

# A new unit of meaning starts at these words: the place a body sits in, the force.
BREAK_BEFORE = (
    "BỘ ĐỘI BIÊN PHÒNG",
    "THÀNH PHỐ ",
    "TỈNH ",
    "HUYỆN ",
    "QUẬN ",
    "THỊ XÃ ",
    "THỊ TRẤN ",
    "XÃ ",
    "PHƯỜNG ",
    "ĐẶC KHU ",
)
# Words of several syllables a line never splits, longest first.
WORDS = (
    "BỘ ĐỘI BIÊN PHÒNG",
    "BAN THƯỜNG VỤ",
    "BAN CHỈ HUY",
    "BỘ CHỈ HUY",
    "ỦY BAN NHÂN DÂN",
    "BỘ TƯ LỆNH",
    "BỘ QUỐC PHÒNG",
    "BIÊN PHÒNG",
    "BỘ ĐỘI",
    "ĐẢNG ỦY",
    "CHỈ HUY",
    "QUÂN SỰ",
    "THÀNH PHỐ",
    "THÀNH ỦY",
    "TỈNH ỦY",
    "HUYỆN ỦY",
    "THỊ XÃ",
    "THỊ TRẤN",
    "ĐẶC KHU",
    "CỬA KHẨU",
    "HẢI ĐỘI",
    "NHÂN DÂN",
    "ỦY BAN",
)


@functools.cache
def _metrics(bold: bool) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    font = TTFont(FONT_DIR / FONT_FILES[bold])
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def text_width(text: str, size: float, *, bold: bool) -> float:
    """The width of `text` in points, set in the bundled font at `size` points."""
    cmap, metrics, units = _metrics(bold)
    advance = sum(metrics[cmap.get(ord(ch), ".notdef")][0] for ch in text)
    return advance * size / units


def column_width(profile: profiles.DocumentProfile) -> float:
    """The width of the header's left column, in points."""
    m = profile.margins
    text_mm = A4_WIDTH_MM - m.left - m.right
    return text_mm * profile.header_left_width / 100 / MM_PER_PT


def fits(line: str, profile: profiles.DocumentProfile, *, bold: bool) -> bool:
    size = profile.issuer_size if bold else profile.parent_size
    return text_width(line, size, bold=bold) <= column_width(profile) * FILL


def _segments(name: str) -> list[str]:
    """The name cut before each word that starts a new unit of meaning."""
    segments = [name]
    for marker in BREAK_BEFORE:
        cut = []
        for segment in segments:
            at = segment.find(" " + marker)
            while at > 0:
                cut.append(segment[:at])
                segment = segment[at + 1 :]
                at = segment.find(" " + marker, 1)
            cut.append(segment)
        segments = cut
    return segments


def _words(segment: str) -> list[str]:
    """The segment as words, each multi-syllable word of WORDS kept whole."""
    syllables = segment.split()
    words, index = [], 0
    while index < len(syllables):
        for word in WORDS:
            parts = word.split()
            if syllables[index : index + len(parts)] == parts:
                words.append(word)
                index += len(parts)
                break
        else:
            words.append(syllables[index])
            index += 1
    return words


def _pack(pieces: list[str], profile, bold: bool) -> list[str]:
    lines: list[str] = []
    for piece in pieces:
        joined = f"{lines[-1]} {piece}" if lines else piece
        if lines and fits(joined, profile, bold=bold):
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines


def break_lines(name: str, profile: profiles.DocumentProfile, *, bold: bool) -> list[str]:
    """A capitalised name on the fewest lines that fit, broken between units of meaning."""
    name = " ".join(name.split())
    if not name:
        return []
    if fits(name, profile, bold=bold):
        return [name]
    pieces = []
    for segment in _segments(name):
        pieces.extend([segment] if fits(segment, profile, bold=bold) else _words(segment))
    return _pack(pieces, profile, bold)
