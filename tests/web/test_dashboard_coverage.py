import datetime

import pytest

from agreements import selectors
from tests.web.conftest import make_org, regulation
from units.models import AdministrativeUnit, Level, Organization


@pytest.fixture
def border(world):
    """Two Huế border communes, one covered by a post with a regulation in force."""
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=world.hue)[:3])
    for commune in communes:
        commune.is_border = True
        commune.save()
    world.hue_post.covered_communes.set(communes[:2])
    idle_post = make_org(
        "Đồn Biên phòng Hồng Vân", Organization.Kind.BORDER_POST, Level.COMMUNE, world.hue
    )
    idle_post.covered_communes.set(communes[2:])
    regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        valid_from=datetime.date(2025, 1, 1),
    )
    return communes


@pytest.mark.django_db
def test_the_coverage_table_counts_each_province_and_the_country(world, border):
    table = selectors.coverage_table()
    assert table[world.hue.pk] == selectors.Coverage(2, 3, 1, 2)
    assert table[None] == selectors.Coverage(2, 3, 1, 2)


@pytest.mark.django_db
def test_the_dashboard_sees_a_post_covering_another_commune_at_once(staff_client, world, border):
    assert staff_client.get("/").context["coverage"] == selectors.Coverage(2, 3, 1, 2)
    # Only the many-to-many rows change: no updated_at moves, the history does.
    world.hue_post.covered_communes.add(border[2])
    assert staff_client.get("/").context["coverage"] == selectors.Coverage(3, 3, 1, 2)


@pytest.mark.django_db
def test_the_dashboard_shows_the_provinces_coverage(staff_client, world, border):
    response = staff_client.get("/")
    assert response.context["coverage"] == selectors.Coverage(2, 3, 1, 2)
    assert "2 / 3" in response.content.decode()


@pytest.mark.django_db
def test_a_national_user_sees_a_row_per_border_province(client, world, border):
    world.hue.is_border = True
    world.hue.save()
    client.force_login(world.national_official)
    response = client.get("/")
    rows = response.context["provinces"]
    assert [r["name"] for r in rows] == [world.hue.name]
    assert rows[0]["coverage"] == selectors.Coverage(2, 3, 1, 2)
