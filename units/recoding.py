"""Re-coding the current communes already in a database to the official codes.

Plain data in and out, no model imports: the data migration that re-codes an
existing database and the loader share it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from units.sources import Change, SourceData, spelling_key

COMMUNE_TYPES = ("xa", "phuong", "dac_khu", "thi_tran")


@dataclass(frozen=True)
class Recode:
    pk: int
    old_code: str
    new_code: str
    name: str


def recode_plan(
    units: Iterable[tuple[int, str, str, str, str]],
    data: SourceData,
    changes: list[Change],
) -> tuple[list[Recode], dict[str, str]]:
    """Which current communes get which official code, matched by (province, name, type).

    Names compare with their diacritics (Hoằng Phú is not Hoàng Phú) but wherever
    the tone mark sits (Hòa is Hoà), and without regard to case.
    `units` are (pk, code, province code, name, type) of the current communes in the
    database. Returns the re-codings and a line for each commune left untouched:
    not found in the source, or its new code held by a commune that stays.
    Plain data in and out, so the data migration and the loader share it.
    """
    by_key = {(u.parent_code, spelling_key(u.name), u.type): u.code for u in data.communes}
    # A commune re-typed since the source was made matches under either name.
    parent_of = {u.code: u.parent_code for u in data.communes}
    for c in changes:
        if c.code in parent_of:
            by_key[(parent_of[c.code], spelling_key(c.name_after), c.type_after)] = c.code
    units = list(units)
    plan, unmatched, staying = [], {}, {}
    for pk, code, parent, name, unit_type in units:
        new = by_key.get((parent, spelling_key(name), unit_type))
        if new is None:
            unmatched[code] = f"{code} {name} ({parent}): not in {data.name} {data.version}"
            staying[code] = pk
        elif new != code:
            plan.append(Recode(pk, code, new, name))
        else:
            staying[code] = pk
    # A refused re-coding keeps its unit's code, which may block another one in turn.
    blocked = [r for r in plan if r.new_code in staying]
    while blocked:
        for recode in blocked:
            unmatched[recode.old_code] = (
                f"{recode.old_code} {recode.name}: its official code {recode.new_code} "
                "belongs to another unit that stays"
            )
            staying[recode.old_code] = recode.pk
        plan = [r for r in plan if r not in blocked]
        blocked = [r for r in plan if r.new_code in staying]
    return plan, unmatched


def recode_apply(model, plan: list[Recode]) -> None:
    """Give every planned unit its new code; two passes, so codes may swap."""
    for recode in plan:
        model.objects.filter(pk=recode.pk).update(code=f"~{recode.pk}")
    for recode in plan:
        model.objects.filter(pk=recode.pk).update(code=recode.new_code)


def current_communes(model) -> list[tuple[int, str, str, str, str]]:
    return list(
        model.objects.filter(valid_until__isnull=True, type__in=COMMUNE_TYPES)
        .order_by("code")
        .values_list("pk", "code", "parent__code", "name", "type")
    )
