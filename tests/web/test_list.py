import datetime

import pytest

from agreements import services
from agreements.models import Agreement, Review
from tests.web.conftest import make_org, regulation
from units.models import AdministrativeUnit, Level, Organization
from units.services import border_communes_mark


@pytest.fixture
def second(world):
    return regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Quy chế phối hợp Đồn Biên phòng A Lưới với xã Hồng Vân",
        number="02-QC/ĐU",
        valid_from=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2026, 12, 31),
        signed_on=datetime.date(2024, 2, 20),
    )


def titles(response) -> list[str]:
    return [a.title for a in response.context["agreements"]]


@pytest.mark.django_db
def test_an_unaccented_search_finds_the_agreement(staff_client, world, second):
    response = staff_client.get("/agreements/?q=hong van")
    assert titles(response) == [second.title]


@pytest.mark.django_db
def test_the_search_finds_a_title_written_with_an_abbreviation(staff_client, world, second):
    # The title says "Đảng ủy BĐBP Huế"; the user writes the long form.
    response = staff_client.get("/agreements/?q=bo doi bien phong hue")
    assert titles(response) == [world.agreement.title]


@pytest.mark.django_db
def test_it_filters_by_kind_status_and_signed_year(staff_client, world, second):
    assert titles(staff_client.get("/agreements/?signed_year=2024")) == [second.title]
    assert titles(staff_client.get("/agreements/?kind=twinning")) == []
    assert len(titles(staff_client.get("/agreements/?status=in_force&kind=regulation"))) == 2


@pytest.mark.django_db
def test_it_filters_by_party_and_period(staff_client, world, second):
    response = staff_client.get(f"/agreements/?party={world.hue_post.pk}")
    assert titles(response) == [second.title]
    assert titles(staff_client.get("/agreements/?period=2024-2026")) == [second.title]


@pytest.mark.django_db
def test_it_filters_by_missing_annual_review(staff_client, world, second):
    services.review_create(
        user=world.staff,
        agreement=second,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    assert titles(staff_client.get("/agreements/?review_missing=2025")) == [world.agreement.title]


@pytest.mark.django_db
def test_it_sorts_by_a_column_both_ways(staff_client, world, second):
    ascending = titles(staff_client.get("/agreements/?sort=title"))
    descending = titles(staff_client.get("/agreements/?sort=-title"))
    assert ascending == sorted(ascending)
    assert descending == list(reversed(ascending))
    html = staff_client.get("/agreements/?sort=title").content.decode()
    assert 'aria-sort="ascending"' in html


@pytest.mark.django_db
def test_it_paginates_25_rows_a_page_or_50_when_asked(staff_client, world):
    for index in range(25):
        commune = make_org(
            f"Đảng ủy xã phân trang {index:02d}",
            Organization.Kind.LOCAL_PARTY_COMMITTEE,
            Level.COMMUNE,
            world.hue,
        )
        regulation(
            user=world.staff, parties=[world.hue_post, commune], title=f"Phân trang {index:02d}"
        )
    first = staff_client.get("/agreements/?sort=title")
    assert len(titles(first)) == 25
    assert "page=2" in first.content.decode()
    assert titles(staff_client.get("/agreements/?sort=title&page=2")) == [world.agreement.title]
    assert len(titles(staff_client.get("/agreements/?sort=title&per_page=50"))) == 26
    # Any other size falls back to 25 rather than letting a URL ask for every row.
    assert len(titles(staff_client.get("/agreements/?sort=title&per_page=100000"))) == 25


@pytest.mark.django_db
def test_the_province_filter_offers_only_the_users_province(staff_client, world):
    response = staff_client.get("/agreements/")
    provinces = list(response.context["filter"].form.fields["province"].queryset)
    assert provinces == [world.hue]


@pytest.mark.django_db
def test_the_dashboard_counts_link_to_the_lists_behind_them(staff_client, world, second):
    response = staff_client.get("/")
    html = response.content.decode()
    assert "/agreements/?in_force=true&amp;kind=regulation" in html
    assert f"/agreements/?review_missing={datetime.date.today().year - 1}" in html
    in_force = titles(staff_client.get("/agreements/?in_force=true&kind=regulation"))
    figure = next(r["count"] for r in response.context["in_force"] if r["kind"] == "regulation")
    assert figure == len(in_force) == 2


@pytest.mark.django_db
def test_the_dashboard_lists_agreements_expiring_within_six_months(staff_client, world):
    today = datetime.date.today()
    soon = regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Sắp hết hạn",
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today + datetime.timedelta(days=60),
    )
    response = staff_client.get("/")
    assert response.context["expiring_count"] == 1
    assert soon.title in response.content.decode()
    assert titles(staff_client.get("/agreements/?expiring=6")) == [soon.title]


@pytest.mark.django_db
def test_a_national_user_sees_every_province_and_the_province_table(client, world, second):
    communes = AdministrativeUnit.objects.current().communes().order_by("code")
    hue_commune = communes.filter(parent=world.hue).first()
    ls_commune = communes.filter(parent=world.lang_son).first()
    border_communes_mark(codes=[hue_commune.code, ls_commune.code])
    world.hue_post.covered_communes.add(hue_commune)
    lang_son = regulation(
        user=world.national_official,
        parties=[world.ls_command, world.ls_commune_party],
        title="Quy chế phối hợp ở Lạng Sơn",
    )
    client.force_login(world.national_official)
    response = client.get("/")
    assert response.context["is_national"] is True
    listed = titles(client.get("/agreements/"))
    assert {world.agreement.title, lang_son.title} <= set(listed)
    assert Agreement.objects.count() == len(listed)
    rows = {row["name"]: row for row in response.context["provinces"]}
    assert {world.hue.name, world.lang_son.name} <= set(rows)
    # Huế's only border post signed `second` and covers Huế's border commune;
    # Lạng Sơn has a border commune but no post in this world.
    hue, lang_son = rows[world.hue.name]["coverage"], rows[world.lang_son.name]["coverage"]
    assert (hue.communes_covered, hue.communes_total, hue.posts_covered, hue.posts_total) == (
        1,
        1,
        1,
        1,
    )
    assert (lang_son.communes_covered, lang_son.communes_total, lang_son.posts_total) == (0, 1, 0)
    html = response.content.decode()
    assert "Theo tỉnh, thành phố biên giới" in html
    assert f"?province={world.hue.pk}&amp;in_force=true" in html


@pytest.mark.django_db
def test_a_province_user_does_not_get_the_province_table(staff_client, world):
    response = staff_client.get("/")
    assert response.context["provinces"] == []
    assert "Theo tỉnh, thành phố biên giới" not in response.content.decode()
