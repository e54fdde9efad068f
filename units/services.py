"""Writes to administrative units and organizations."""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from units.loader import REFORM_DATE, LoadResult, admin_units_load, commune_code
from units.models import AdministrativeUnit

__all__ = [
    "REFORM_DATE",
    "LoadResult",
    "admin_units_load",
    "border_communes_mark",
    "commune_code",
]


class UnknownCodesError(ValueError):
    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(", ".join(codes))


def _overlapping(units: QuerySet, start: datetime.date, end: datetime.date | None) -> QuerySet:
    """Units valid on some day of [start, end)."""
    units = units.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=start))
    if end is not None:
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=end))
    return units


@transaction.atomic
def border_communes_mark(
    *,
    codes: list[str],
    replace: bool = False,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> dict[str, int]:
    """Mark communes as border communes from a list of official codes, for a period.

    The codes are those of the communes valid in the period (from `valid_from`, or
    today, until the day before `valid_until`): legacy codes for a list of 2010,
    current codes for the appendix of Nghị định 299/2025/NĐ-CP. The mark holds for
    that part of each commune's validity, so the lists of 2010 and 2026 live side
    by side. All or nothing: any unknown code aborts the whole file. With
    `replace`, communes of the period not in the list lose the mark (the list was
    reissued). Districts and provinces follow: a border unit has a border commune.
    """
    start = valid_from or timezone.localdate()
    if valid_until is not None and valid_until <= start:
        raise ValueError("valid_until must come after valid_from")
    wanted = {commune_code(c) for c in codes}
    communes = _overlapping(AdministrativeUnit.objects.communes(), start, valid_until)
    found = set(communes.filter(code__in=wanted).values_list("code", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise UnknownCodesError(missing)

    def mark_of(unit: AdministrativeUnit) -> tuple:
        # A period covering the whole of a unit's validity is stored as no dates.
        after_start = valid_from is not None and valid_from > (unit.valid_from or datetime.date.min)
        before_end = valid_until is not None and (
            unit.valid_until is None or valid_until < unit.valid_until
        )
        return (True, valid_from if after_start else None, valid_until if before_end else None)

    fields = ("is_border", "border_from", "border_until")
    to_change, marked, unmarked = [], 0, 0
    for unit in communes.filter(code__in=wanted):
        mark = mark_of(unit)
        if tuple(getattr(unit, f) for f in fields) != mark:
            unit.is_border, unit.border_from, unit.border_until = mark
            to_change.append(unit)
            marked += 1
    if replace:
        for unit in communes.filter(is_border=True).exclude(code__in=wanted):
            unit.is_border, unit.border_from, unit.border_until = False, None, None
            to_change.append(unit)
            unmarked += 1
    bulk_update_with_history(to_change, AdministrativeUnit, list(fields), batch_size=500)
    _follow_parents()
    return {"marked": marked, "unmarked": unmarked, "total_border": communes.border().count()}


def _follow_parents() -> None:
    """A district or province is a border unit when one of its communes is."""
    units = AdministrativeUnit.objects
    border_districts = set(
        units.communes()
        .border()
        .filter(parent__type__in=AdministrativeUnit.DISTRICT_TYPES)
        .values_list("parent_id", flat=True)
    )
    border_provinces = set(
        units.communes()
        .border()
        .filter(parent__type__in=AdministrativeUnit.PROVINCE_TYPES)
        .values_list("parent_id", flat=True)
    ) | set(units.filter(pk__in=border_districts).values_list("parent_id", flat=True))
    changes = []
    for unit in units.filter(
        type__in=AdministrativeUnit.PROVINCE_TYPES + AdministrativeUnit.DISTRICT_TYPES
    ).filter(Q(is_border=True) | Q(pk__in=border_districts | border_provinces)):
        should = unit.pk in border_districts or unit.pk in border_provinces
        if unit.is_border != should:
            unit.is_border = should
            changes.append(unit)
    bulk_update_with_history(changes, AdministrativeUnit, ["is_border"], batch_size=100)
