"""Reads of administrative units that other pages show."""

from units.models import UnitDataLoad


def units_source() -> UnitDataLoad | None:
    """Where the units come from: source and version, cross-check source, load date."""
    return UnitDataLoad.objects.order_by("-loaded_at").first()
