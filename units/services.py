"""Writes to administrative units and organizations."""

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from units.loader import REFORM_DATE, LoadResult, admin_units_load, commune_code, province_code
from units.models import AdministrativeUnit

__all__ = [
    "REFORM_DATE",
    "LoadResult",
    "admin_units_load",
    "border_communes_mark",
    "commune_code",
    "province_code",
]


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
