"""Reads of administrative units that other pages show."""

from django.db.models import Prefetch, QuerySet

from units.models import AdministrativeUnit, UnitDataLoad, UnitFormerName


def units_source() -> UnitDataLoad | None:
    """Where the units come from: source and version, cross-check source, load date."""
    return UnitDataLoad.objects.order_by("-loaded_at").first()


def with_former_names(units: QuerySet) -> QuerySet:
    """Units ready for `name_on(day)` without a query per unit."""
    return units.prefetch_related(
        Prefetch("former_names", queryset=UnitFormerName.objects.order_by("valid_until"))
    )


def name_on(unit: AdministrativeUnit | None, day) -> str:
    """A unit's name on `day` (empty for no unit): dated documents show the name of their day."""
    return unit.name_on(day) if unit is not None else ""
