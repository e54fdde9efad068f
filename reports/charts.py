"""Bar charts as geometry for an inline SVG: drawn by the template, no image service."""

from dataclasses import dataclass
from decimal import Decimal

# Units of the SVG's viewBox; the template scales it to the text width.
WIDTH = 600
LABEL_WIDTH = 190
VALUE_WIDTH = 60
ROW_HEIGHT = 20
BAR_HEIGHT = 13
TOP = 6


@dataclass
class Bar:
    label: str
    value: Decimal
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass
class BarChart:
    caption: str
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    bars: list[Bar]


def bar_chart(caption: str, values: list[tuple[str, Decimal]]) -> BarChart | None:
    """Horizontal bars, one a row, scaled to the largest value; None when nothing to draw."""
    if not values:
        return None
    largest = max(value for _, value in values) or Decimal(1)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(values):
        y = TOP + index * ROW_HEIGHT
        width = round(float(value / largest) * span, 1)
        bars.append(
            Bar(
                label=label,
                value=value.quantize(Decimal("0.1")) if value % 1 else value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 2,
                value_x=LABEL_WIDTH + width + 4,
            )
        )
    return BarChart(
        caption=caption,
        width=WIDTH,
        height=TOP * 2 + len(values) * ROW_HEIGHT,
        label_x=LABEL_WIDTH - 6,
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
