"""Writes to administrative units and organizations."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from vietnam_provinces import Province, VietNamDivisionType, Ward

from units.models import AdministrativeUnit

REFORM_DATE = datetime.date(2025, 7, 1)

_TYPES = {
    VietNamDivisionType.TINH: AdministrativeUnit.Type.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: AdministrativeUnit.Type.CITY,
    VietNamDivisionType.XA: AdministrativeUnit.Type.COMMUNE,
    VietNamDivisionType.PHUONG: AdministrativeUnit.Type.WARD,
    VietNamDivisionType.DAC_KHU: AdministrativeUnit.Type.SPECIAL_ZONE,
}


def province_code(code: int) -> str:
    return f"{int(code):02d}"


def commune_code(code: int) -> str:
    return f"{int(code):05d}"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(rows: list[dict], existing: dict[str, AdministrativeUnit], result: LoadResult) -> None:
    to_create, to_update = [], []
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            unit = AdministrativeUnit(**row)
            unit.refresh_search_text()
            to_create.append(unit)
            continue
        changed = False
        for field, value in row.items():
            if getattr(unit, field) != value:
                setattr(unit, field, value)
                changed = True
        if changed:
            unit.refresh_search_text()
            to_update.append(unit)
        else:
            result.unchanged += 1
    if to_create:
        bulk_create_with_history(to_create, AdministrativeUnit, batch_size=500)
    if to_update:
        bulk_update_with_history(
            to_update,
            AdministrativeUnit,
            ["name", "type", "parent", "valid_from", "search_text"],
            batch_size=500,
        )
    result.created += len(to_create)
    result.updated += len(to_update)


@transaction.atomic
def admin_units_load() -> LoadResult:
    """Create or update the 34 provinces and 3,321 communes of the `vietnam-provinces` data.

    Idempotent: an unchanged row is not written, so a second run changes nothing.
    `is_border` is left alone: it is maintained from the government's appendix.
    """
    result = LoadResult()
    current = AdministrativeUnit.objects.filter(valid_until__isnull=True)
    provinces = {u.code: u for u in current.filter(type__in=AdministrativeUnit.PROVINCE_TYPES)}
    _sync(
        [
            {
                "code": province_code(p.code),
                "name": p.name,
                "type": _TYPES[p.division_type],
                "parent": None,
                "valid_from": REFORM_DATE,
            }
            for p in Province.iter_all()
        ],
        provinces,
        result,
    )
    provinces = {u.code: u for u in current.filter(type__in=AdministrativeUnit.PROVINCE_TYPES)}
    communes = {u.code: u for u in current.filter(type__in=AdministrativeUnit.COMMUNE_TYPES)}
    _sync(
        [
            {
                "code": commune_code(w.code),
                "name": w.name,
                "type": _TYPES[w.division_type],
                "parent": provinces[province_code(w.province_code)],
                "valid_from": REFORM_DATE,
            }
            for w in Ward.iter_all()
        ],
        communes,
        result,
    )
    return result


class UnknownCodesError(ValueError):
    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__(", ".join(codes))


@transaction.atomic
def border_communes_mark(*, codes: list[str], replace: bool = False) -> dict[str, int]:
    """Mark current communes as border communes from a list of official codes.

    All or nothing: any unknown code aborts the whole file. With `replace`, communes
    not in the list lose the mark (the appendix was reissued). Provinces follow:
    a province is a border province when it has a border commune.
    """
    wanted = {commune_code(c) for c in codes}
    communes = AdministrativeUnit.objects.current().communes()
    found = set(communes.filter(code__in=wanted).values_list("code", flat=True))
    missing = sorted(wanted - found)
    if missing:
        raise UnknownCodesError(missing)
    to_change = list(communes.filter(code__in=wanted, is_border=False))
    if replace:
        to_change += list(communes.filter(is_border=True).exclude(code__in=wanted))
    for unit in to_change:
        unit.is_border = not unit.is_border
    bulk_update_with_history(to_change, AdministrativeUnit, ["is_border"], batch_size=500)
    marked = sum(1 for u in to_change if u.is_border)
    unmarked = len(to_change) - marked

    provinces = list(AdministrativeUnit.objects.current().provinces())
    border_parents = set(
        AdministrativeUnit.objects.current().communes().border().values_list("parent_id", flat=True)
    )
    province_changes = []
    for province in provinces:
        should = province.pk in border_parents
        if province.is_border != should:
            province.is_border = should
            province_changes.append(province)
    bulk_update_with_history(province_changes, AdministrativeUnit, ["is_border"], batch_size=100)
    return {"marked": marked, "unmarked": unmarked, "total_border": communes.border().count()}
