"""The coverage page: any day, any scope the user may see, its lists and export."""

import datetime

import pytest

from tests.web.conftest import make_org, regulation
from units.models import AdministrativeUnit, Level, Organization
from units.services import REFORM_DATE, border_communes_mark

D = datetime.date


@pytest.fixture
def border(world):
    """Huế: two border communes today, one covered; before the reform, in Thừa Thiên
    Huế, two legacy border communes of Huyện A Lưới, neither covered."""
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=world.hue)[:2])
    border_communes_mark(codes=[c.code for c in communes])
    world.hue_post.covered_communes.set(communes[:1])
    regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        valid_from=D(2025, 8, 1),
    )
    a_luoi = AdministrativeUnit.objects.get(
        valid_until=REFORM_DATE, name="Huyện A Lưới", parent__code="46"
    )
    legacy = list(a_luoi.children.order_by("code")[:2])
    border_communes_mark(
        codes=[c.code for c in legacy], valid_from=D(2010, 1, 1), valid_until=REFORM_DATE
    )
    return communes, legacy, a_luoi


def national_client(client, world):
    client.force_login(world.national_official)
    return client


def test_it_shows_today_s_figures_of_the_user_s_province_with_the_map(staff_client, border):
    response = staff_client.get("/coverage/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.scope == response.context["provinces"][0]
    assert (report.communes_covered, report.communes_total) == (1, 2)
    body = response.content.decode()
    assert "<svg" in body and body.count("<circle") >= 2
    assert "vietnamadminunits 1.0.4" in body


def test_a_day_before_the_reform_uses_the_legacy_units_and_the_district_figure(
    client, world, border
):
    _communes, legacy, a_luoi = border
    response = national_client(client, world).get("/coverage/?on=2010-12-31&scope=national")
    report = response.context["report"]
    assert (report.communes_covered, report.communes_total) == (0, 2)
    assert (report.districts_covered, report.districts_total) == (0, 1)
    assert [d.pk for d in report.districts_without] == [a_luoi.pk]
    assert "Huyện biên giới có quy chế phối hợp" in response.content.decode()


def test_a_province_user_may_pick_the_legacy_province_of_their_province(staff_client, border):
    response = staff_client.get("/coverage/?on=2024-12-31&scope=46")
    report = response.context["report"]
    assert report.scope.valid_until == REFORM_DATE
    assert report.communes_total == 2
    assert report.scope.name_on(D(2024, 12, 31)) == "Thừa Thiên Huế"


def test_another_province_is_refused_with_a_message_and_changes_nothing(staff_client, border):
    response = staff_client.get("/coverage/?scope=20")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "trong phạm vi của bạn" in response.content.decode()
    assert response.context["report"].scope.code == "46"


def test_a_province_user_cannot_ask_for_the_country(staff_client, border):
    response = staff_client.get("/coverage/?scope=national")
    assert response.context["form"].errors
    assert response.context["report"].scope.code == "46"


def test_a_bad_date_gets_a_message_not_an_error(staff_client, border):
    response = staff_client.get("/coverage/?on=31-02-2024")
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_the_export_lists_the_communes_and_posts_without_an_agreement(client, world, border):
    communes, _legacy, _district = border
    idle = make_org(
        "Đồn Biên phòng Hồng Vân", Organization.Kind.BORDER_POST, Level.COMMUNE, world.hue
    )
    idle.covered_communes.set(communes[1:])
    response = national_client(client, world).get("/coverage/export.csv?scope=46")
    assert response["Content-Disposition"].startswith('attachment; filename="bao-phu-46-')
    text = response.content.decode("utf-8-sig")
    assert f"{communes[1].code},{communes[1].name}" in text
    assert f"{communes[0].code},{communes[0].name}" not in text
    assert "Đồn Biên phòng Hồng Vân" in text


def test_someone_without_an_organization_gets_a_404(client, world, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(user)
    assert client.get("/coverage/").status_code == 404


def test_the_map_s_legend_and_caption_follow_the_page_language(staff_client, border):
    assert "không vẽ đường địa giới" in staff_client.get("/coverage/").content.decode()
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/coverage/"})
    body = staff_client.get("/coverage/").content.decode()
    assert "no boundaries are drawn" in body
    assert "an agreement in force with the border post" in body


def test_the_dashboard_of_a_provincial_user_shows_the_map(staff_client, border):
    body = staff_client.get("/").content.decode()
    assert 'class="coverage-map"' in body
    assert body.count("</title></circle>") == 2


def test_the_annual_summary_of_2024_counts_legacy_units_and_shows_the_map(client, world, border):
    body = national_client(client, world).get("/reports/annual/2024/?province=46").content.decode()
    assert "Xã, phường, đặc khu biên giới có văn bản phối hợp đang có hiệu lực" in body
    assert "0/2." in body
    assert "Huyện biên giới có quy chế phối hợp đang có hiệu lực" in body
    assert 'class="coverage-map"' in body
