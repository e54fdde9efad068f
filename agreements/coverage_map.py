"""The offline coverage map: border communes as dots, drawn on the server as SVG.

No tiles, no CDN, no JavaScript: the communes' centroids (from the official data)
are projected onto a plain rectangle. No maintained package of simplified
provincial boundaries exists in the registries, so the outline is omitted; the
dots alone show the shape of the border.
"""

import math
from dataclasses import dataclass

from agreements.coverage import MapPoint

WIDTH = 420
MAX_HEIGHT = 560
PADDING = 14


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    covered: bool
    name: str


@dataclass(frozen=True)
class CoverageMap:
    width: int
    height: int
    radius: float
    dots: list[Dot]
    covered: int
    total: int


def coverage_map(points: list[MapPoint]) -> CoverageMap | None:
    """Dots of `points` fitted into the drawing, north up; None without points.

    An equirectangular projection scaled by the cosine of the middle latitude: at
    Vietnam's latitudes and a province's or the country's extent it keeps shapes
    close enough for a sketch map.
    """
    if not points:
        return None
    lats = [p.latitude for p in points]
    lons = [p.longitude for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * squeeze, 0.05)
    span_y = max(max(lats) - min(lats), 0.05)
    scale = min((WIDTH - 2 * PADDING) / span_x, (MAX_HEIGHT - 2 * PADDING) / span_y)
    width = round(span_x * scale + 2 * PADDING)
    height = round(span_y * scale + 2 * PADDING)
    # Uncovered dots last, so they are drawn on top and never hidden by covered ones.
    ordered = sorted(points, key=lambda p: p.covered, reverse=True)
    dots = [
        Dot(
            x=round(PADDING + (p.longitude - min(lons)) * squeeze * scale, 1),
            y=round(PADDING + (max(lats) - p.latitude) * scale, 1),
            covered=p.covered,
            name=p.name,
        )
        for p in ordered
    ]
    return CoverageMap(
        width=width,
        height=height,
        radius=2.5 if len(points) > 150 else 4.5,
        dots=dots,
        covered=sum(1 for p in points if p.covered),
        total=len(points),
    )
