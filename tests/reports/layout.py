"""A layout validator for the generated PDFs: text with its position, read by pdfplumber.

Modelled on document layout checkers: the required elements are found by their text
and compared by position; any two words whose boxes overlap are reported.
"""

import io
from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4
# Boxes touching by less than this are glyphs set side by side, not overlapping.
TOLERANCE = 0.5


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    top: float
    x0: float
    x1: float


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def read(pdf: bytes):
    return pdfplumber.open(io.BytesIO(pdf))


# Words whose tops differ by less than this sit on one line.
SAME_LINE = 2


def lines(pdf: bytes) -> list[list[Word]]:
    """Each printed line as its words from left to right, pages in order."""
    found: list[list[Word]] = []
    for word in sorted(words(pdf), key=lambda w: (w.page, w.top, w.x0)):
        last = found[-1] if found else None
        if last and last[0].page == word.page and abs(last[0].top - word.top) < SAME_LINE:
            last.append(word)
        else:
            found.append([word])
    for line in found:
        line.sort(key=lambda w: w.x0)
    return found


def find(found: list[list[Word]], text: str) -> Line:
    """The first run of words reading `text` on one line: a column of a two-column line
    is found on its own, with its own left and right edges."""
    wanted = text.split()
    for line in found:
        texts = [w.text for w in line]
        for start in range(len(texts)):
            end = start + len(wanted)
            candidate = texts[start:end]
            if len(candidate) == len(wanted) and all(
                got == want if index < len(wanted) - 1 else got.startswith(want)
                for index, (got, want) in enumerate(zip(candidate, wanted, strict=True))
            ):
                words_ = line[start:end]
                return Line(words_[0].page, text, words_[0].top, words_[0].x0, words_[-1].x1)
    raise AssertionError(f"{text!r} not found in the PDF")


def position(line: Line) -> tuple[int, float]:
    return (line.page, line.top)


def words(pdf: bytes) -> list[Word]:
    found = []
    with read(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            for word in page.extract_words(use_text_flow=True):
                found.append(
                    Word(
                        number,
                        word["text"],
                        word["x0"],
                        word["x1"],
                        word["top"],
                        word["bottom"],
                    )
                )
    return found


def overlapping(pdf: bytes) -> list[tuple[Word, Word]]:
    """Pairs of words on one page whose boxes overlap: text printed over text."""
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for word in words(pdf):
        by_page.setdefault(word.page, []).append(word)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.top)
        for index, word in enumerate(page_words):
            for other in page_words[index + 1 :]:
                if other.top >= word.bottom - TOLERANCE:
                    break
                if min(word.x1, other.x1) - max(word.x0, other.x0) > TOLERANCE:
                    pairs.append((word, other))
    return pairs


def outside(pdf: bytes, left_mm: float, right_mm: float) -> list[Word]:
    """Words printed past the left or right margin: across the table's edge."""
    found = []
    with read(pdf) as document:
        # Each page its own width: the appendix is set on landscape pages.
        widths = {number: float(page.width) for number, page in enumerate(document.pages, 1)}
    for word in words(pdf):
        right_edge = widths[word.page] - right_mm * MM
        if word.x0 < left_mm * MM - TOLERANCE or word.x1 > right_edge + TOLERANCE:
            found.append(word)
    return found


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    with read(pdf) as document:
        return [(float(page.width), float(page.height)) for page in document.pages]
