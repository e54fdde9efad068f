"""Writes the official administrative units (units.sources) into the database.

Current units are matched by code, after existing ones were re-coded by (province,
name, type); legacy units (valid until the 2025 reform) are matched by their level,
province and name first, so hand-typed ones are adopted with their foreign keys,
then by code. Nothing is ever deleted: a unit the source does not know is listed and
left as it is. A second run writes nothing.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from units import sources
from units.models import AdministrativeUnit, UnitDataLoad, UnitFormerName
from units.recoding import current_communes, recode_apply, recode_plan
from units.sources import Change, read_changes
from units.text import nfc

REFORM_DATE = datetime.date(2025, 7, 1)

_FIELDS = ["name", "type", "parent", "valid_from", "latitude", "longitude", "area_km2", "formed_by"]
_TYPE_WORDS = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Tỉnh",
    "Huyện",
    "Quận",
    "Xã",
    "Phường",
)


def commune_code(code: int | str) -> str:
    return f"{int(code):05d}"


def short_key(name: str) -> tuple:
    """A unit's name without its type word: "Hà Giang" matches "Tỉnh Hà Giang".

    Diacritics count: Hoằng Phú and Hoàng Phú are two communes of one district.
    """
    name = nfc(name).strip()
    for word in _TYPE_WORDS:
        if name.startswith(word + " "):
            name = name[len(word) + 1 :]
            break
    return sources.spelling_key(name)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_added: int = 0
    links_removed: int = 0
    former_names: int = 0
    recoded: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.links_added
            or self.links_removed
            or self.former_names
            or self.recoded
        )


# Loading ----------------------------------------------------------------------------


def _row(unit: sources.UnitRow, parent, **fields) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        # By id: comparing `parent` objects would fetch every unit's parent.
        "parent_id": parent.pk if parent is not None else None,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "area_km2": unit.area_km2,
        **fields,
    }


def _write(rows: list[tuple[AdministrativeUnit | None, dict]], result: LoadResult) -> dict:
    """Create or update units: `rows` are (the matched unit or None, its fields).

    An unchanged unit is not written. Returns the written units by code.
    """
    to_create, to_update, new_codes, by_code = [], [], [], {}
    for unit, row in rows:
        if unit is None:
            unit = AdministrativeUnit(**row)
            unit.refresh_search_text()
            to_create.append(unit)
        else:
            changed = [name for name, value in row.items() if getattr(unit, name) != value]
            if "code" in changed:
                new_codes.append(unit)
            for name in changed:
                setattr(unit, name, row[name])
            if changed:
                unit.refresh_search_text()
                to_update.append(unit)
            else:
                result.unchanged += 1
        by_code[unit.code] = unit
    # An adopted unit may take a code another one gives up: park the codes first.
    for unit in new_codes:
        AdministrativeUnit.objects.filter(pk=unit.pk).update(code=f"~{unit.pk}")
    if to_update:
        bulk_update_with_history(
            to_update, AdministrativeUnit, ["code", *_FIELDS, "search_text"], batch_size=500
        )
    if to_create:
        bulk_create_with_history(to_create, AdministrativeUnit, batch_size=500)
    result.created += len(to_create)
    result.updated += len(to_update)
    return by_code


def _by_code(units, rows: list[dict]) -> list[tuple[AdministrativeUnit | None, dict]]:
    units = {u.code: u for u in units}
    return [(units.get(row["code"]), row) for row in rows]


def _formed_by() -> dict[str, str]:
    """The 2025 resolution that formed each current unit, where the check source names it.

    Its note names only the latest resolution: a unit re-typed since then shows
    that one, so resolutions after the reform are not taken.
    """
    return {
        code: str(row.resolution)
        for code, row in sources.check_data().items()
        if row.resolution is not None and row.resolution.date < REFORM_DATE
    }


def _load_current(data: sources.SourceData, changes: list[Change], result: LoadResult):
    today = timezone.localdate()
    # The source is a snapshot; a dated change since then gives today's name and type.
    now = {c.code: c for c in sorted(changes, key=lambda c: c.changed_on) if c.changed_on <= today}
    formed_by = _formed_by()
    current = AdministrativeUnit.objects.filter(valid_until__isnull=True)

    def fields(unit: sources.UnitRow) -> dict:
        change = now.get(unit.code)
        if change is None or change.changed_on < REFORM_DATE:
            return {}
        return {"name": change.name_after, "type": change.type_after}

    provinces = _write(
        _by_code(
            current.filter(type__in=AdministrativeUnit.PROVINCE_TYPES),
            [
                _row(p, None, valid_from=REFORM_DATE, formed_by="", **fields(p))
                for p in data.provinces
            ],
        ),
        result,
    )
    communes = _write(
        _by_code(
            current.filter(type__in=AdministrativeUnit.COMMUNE_TYPES),
            [
                _row(
                    c,
                    provinces[c.parent_code],
                    valid_from=REFORM_DATE,
                    formed_by=formed_by.get(c.code, ""),
                    **fields(c),
                )
                for c in data.communes
            ],
        ),
        result,
    )
    return provinces, communes


def _match_legacy(
    units: list[AdministrativeUnit], rows: list[dict], result: LoadResult
) -> list[tuple[AdministrativeUnit | None, dict]]:
    """Pair existing legacy units with source rows: by type, province and name, then code.

    A unit matched by name takes the official code (a hand-typed district with a wrong
    code is corrected, its foreign keys kept). A unit matched by neither stays as it is;
    if it holds a code the source needs, that source row is left out and listed.
    """

    def key(unit_type, name, parent_id):
        return (unit_type, short_key(name), parent_id)

    by_name = {}
    for unit in units:
        by_name.setdefault(key(unit.type, unit.name, unit.parent_id), unit)
    claimed, pairs = set(), []
    for row in rows:
        unit = by_name.get(key(row["type"], row["name"], row["parent_id"]))
        if unit is not None and unit.pk in claimed:
            unit = None
        pairs.append([unit, row])
        if unit is not None:
            claimed.add(unit.pk)
    by_code = {u.code: u for u in units if u.pk not in claimed}
    for pair in pairs:
        if pair[0] is None and pair[1]["code"] in by_code:
            pair[0] = by_code.pop(pair[1]["code"])
    taken = {u.code for u in units if u.pk not in claimed} - {p[0].code for p in pairs if p[0]}
    kept = []
    for unit, row in pairs:
        if unit is None and row["code"] in taken:
            result.unmatched.append(f"{row['code']} {row['name']}: code held by another unit")
            continue
        kept.append((unit, row))
    return kept


def _load_legacy(data: sources.SourceData, result: LoadResult) -> dict:
    """The 63 provinces, their districts and communes as of 30/06/2025."""
    legacy = list(AdministrativeUnit.objects.filter(valid_until=REFORM_DATE))

    def of(types):
        return [u for u in legacy if u.type in types]

    def rows(units: list[sources.UnitRow], parents: dict | None) -> list[dict]:
        return [
            _row(
                u,
                parents[u.parent_code] if parents else None,
                valid_until=REFORM_DATE,
                valid_from=None,
            )
            for u in units
        ]

    provinces = _write(
        _match_legacy(
            of(AdministrativeUnit.PROVINCE_TYPES), rows(data.legacy_provinces, None), result
        ),
        result,
    )
    districts = _write(
        _match_legacy(
            of(AdministrativeUnit.DISTRICT_TYPES),
            rows(data.legacy_districts, provinces),
            result,
        ),
        result,
    )
    communes = _write(
        _match_legacy(
            of(AdministrativeUnit.COMMUNE_TYPES), rows(data.legacy_communes, districts), result
        ),
        result,
    )
    return {**provinces, **districts, **communes}


def _link_successors(
    data: sources.SourceData, legacy: dict, current: dict, result: LoadResult
) -> None:
    """The successor links of the loaded legacy units, as the source's converter gives them."""
    through = AdministrativeUnit.successors.through
    wanted = {
        (legacy[code].pk, current[new].pk)
        for code, new_codes in data.successors.items()
        if code in legacy
        for new in new_codes
    }
    have = set(
        through.objects.filter(from_administrativeunit_id__in=[u.pk for u in legacy.values()])
        .values_list("from_administrativeunit_id", "to_administrativeunit_id")
        .order_by()
    )
    extra = have - wanted
    # Links the source does not have: hand-typed ones, few, so one by one.
    for predecessor, successor in sorted(extra):
        through.objects.filter(
            from_administrativeunit_id=predecessor, to_administrativeunit_id=successor
        ).delete()
    through.objects.bulk_create(
        [
            through(from_administrativeunit_id=a, to_administrativeunit_id=b)
            for a, b in sorted(wanted - have)
        ],
        batch_size=1000,
    )
    result.links_added += len(wanted - have)
    result.links_removed += len(extra)


def _load_former_names(changes: list[Change], result: LoadResult) -> None:
    """Each dated change keeps the earlier name and type with the day it ended."""
    for change in changes:
        before = change.changed_on - datetime.timedelta(days=1)
        unit = (
            AdministrativeUnit.objects.filter(code=change.code)
            .current(before)
            .current(change.changed_on)
            .first()
        )
        if unit is None:
            result.unmatched.append(f"{change.code}: no unit for the change of {change.changed_on}")
            continue
        wanted = {
            "name": change.name_before,
            "type": change.type_before,
            "changed_by": change.basis,
        }
        former, created = UnitFormerName.objects.get_or_create(
            unit=unit, valid_until=change.changed_on, defaults=wanted
        )
        if created:
            result.former_names += 1
        elif any(getattr(former, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(former, k, v)
            former.full_clean()
            former.save()
            result.former_names += 1


@transaction.atomic
def admin_units_load(*, legacy: bool = True) -> LoadResult:
    """Load the official units: the 34 provinces and 3,321 communes, and (with `legacy`)
    the 63 provinces, 696 districts and 10,035 communes before the 2025 reform with
    their successors; cross-check against the second source; record the load.

    Idempotent: an unchanged row is not written, so a second run changes nothing.
    `is_border` is left alone: it is maintained from the government's appendix.
    """
    data = sources.source_data()
    changes = read_changes()
    result = LoadResult()

    plan, unmatched = recode_plan(current_communes(AdministrativeUnit), data, changes)
    result.unmatched = list(unmatched.values())
    if plan:
        units = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=[r.pk for r in plan])}
        recode_apply(AdministrativeUnit, plan)
        for recode in plan:
            units[recode.pk].code = recode.new_code
        bulk_update_with_history(list(units.values()), AdministrativeUnit, ["code"])
        result.recoded = [f"{r.old_code} → {r.new_code} {r.name}" for r in plan]
    if unmatched.keys() & {c.code for c in data.communes}:
        # A unit we could not match holds an official code: leave both alone, say so.
        data = dataclasses.replace(
            data, communes=[c for c in data.communes if c.code not in unmatched]
        )

    provinces, communes = _load_current(data, changes, result)
    if legacy:
        legacy_units = _load_legacy(data, result)
        _link_successors(data, legacy_units, {**provinces, **communes}, result)
    _load_former_names(changes, result)

    result.disagreements = sources.cross_check(data, changes)
    latest = UnitDataLoad.objects.order_by("-loaded_at").first()
    versions = (data.name, data.version, sources.CHECK_PACKAGE, sources.check_version())
    if (
        result.changed
        or latest is None
        or versions
        != (
            latest.source,
            latest.source_version,
            latest.check_source,
            latest.check_version,
        )
    ):
        UnitDataLoad.objects.create(
            source=data.name,
            source_version=data.version,
            check_source=sources.CHECK_PACKAGE,
            check_version=sources.check_version(),
            loaded_at=timezone.now(),
            disagreements="\n".join(result.disagreements),
        )
    return result
