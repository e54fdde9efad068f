import datetime

import pytest
from django.core.management import call_command

from units.models import AdministrativeUnit
from units.services import REFORM_DATE


@pytest.mark.django_db
def test_it_loads_34_provinces_and_3321_communes(capsys):
    call_command("load_admin_units")
    current = AdministrativeUnit.objects.current()
    assert current.provinces().count() == 34
    assert current.communes().count() == 3321
    assert current.filter(type=AdministrativeUnit.Type.SPECIAL_ZONE).count() == 13
    assert current.filter(type=AdministrativeUnit.Type.WARD).count() == 687
    assert "provinces: 34, communes: 3321" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so(capsys):
    call_command("load_admin_units")
    before = AdministrativeUnit.history.count()
    capsys.readouterr()
    call_command("load_admin_units")
    out = capsys.readouterr().out
    assert "created 0, updated 0" in out
    assert "Nothing changed" in out
    assert AdministrativeUnit.history.count() == before
    assert AdministrativeUnit.objects.count() == 34 + 3321


@pytest.mark.django_db
def test_it_repairs_a_unit_renamed_by_hand():
    hue = AdministrativeUnit.objects.get(code="46")
    hue.name = "Sai tên"
    hue.save()
    call_command("load_admin_units")
    hue.refresh_from_db()
    assert hue.name == "Thành phố Huế"
    assert hue.search_text == "thanh pho hue 46"


@pytest.mark.django_db
def test_codes_are_official_gso_codes():
    hanoi = AdministrativeUnit.objects.get(code="01")
    assert hanoi.type == AdministrativeUnit.Type.CITY
    hoan_kiem = AdministrativeUnit.objects.get(code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent == hanoi
    assert hoan_kiem.valid_from == REFORM_DATE


@pytest.mark.django_db
def test_a_merged_unit_links_to_its_successor_and_keeps_its_history():
    tuyen_quang = AdministrativeUnit.objects.get(code="08")
    ha_giang = AdministrativeUnit.objects.create(
        code="02",
        name="Tỉnh Hà Giang",
        type=AdministrativeUnit.Type.PROVINCE,
        valid_until=datetime.date(2025, 7, 1),
    )
    ha_giang.successors.add(tuyen_quang)
    xin_man = AdministrativeUnit.objects.create(
        code="030",
        name="Huyện Xín Mần",
        type=AdministrativeUnit.Type.DISTRICT,
        parent=ha_giang,
        valid_until=datetime.date(2025, 7, 1),
    )

    call_command("load_admin_units")

    xin_man.refresh_from_db()
    assert xin_man.valid_until == datetime.date(2025, 7, 1)
    assert xin_man.province() == ha_giang
    assert xin_man.current_province() == tuyen_quang
    assert list(tuyen_quang.predecessors.all()) == [ha_giang]
    assert not AdministrativeUnit.objects.current().filter(pk=ha_giang.pk).exists()
    assert (
        AdministrativeUnit.objects.current(on=datetime.date(2024, 1, 1))
        .filter(pk=ha_giang.pk)
        .exists()
    )
