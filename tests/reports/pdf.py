"""Reading back the PDFs: text per page, and the fonts embedded."""

import io
from dataclasses import dataclass

from fontTools.ttLib import TTFont
from pypdf import PdfReader


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in text(pdf).splitlines()]


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str
    family: str
    version: str


def fonts(pdf: bytes) -> set[EmbeddedFont]:
    """Every font a page uses, with the family and version its embedded program names."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            family = version = ""
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                embedded = descriptor.get_object().get("/FontFile2")
                if embedded is not None:
                    names = TTFont(io.BytesIO(embedded.get_object().get_data()))["name"]
                    family, version = names.getDebugName(1), names.getDebugName(5)
            found.add(EmbeddedFont(str(font["/BaseFont"]), family, version))
    return found


def flat(pdf: bytes) -> str:
    """The text with line breaks as spaces: a long header line may wrap."""
    return " ".join(lines(pdf))


def top_margin_texts(pdf: bytes, margin_mm: float = 20) -> list[str]:
    """Per page, the text drawn in the top margin (where page numbers go)."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        top = float(page.mediabox.top) - margin_mm * 72 / 25.4
        parts = []

        def visit(text, cm, tm, font, size, parts=parts, top=top):
            # The text position in page space: the text matrix under the current matrix.
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and y > top:
                parts.append(text.strip())

        page.extract_text(visitor_text=visit)
        found.append(" ".join(parts))
    return found
