"""People are named family name first, as Vietnamese write it."""

import pytest

from agreements import services


@pytest.fixture
def lan(world):
    world.staff.first_name, world.staff.last_name = "Lan", "Nguyễn Thị"
    world.staff.save()
    return world.staff


def test_the_full_name_puts_the_family_name_first(lan):
    assert lan.get_full_name() == "Nguyễn Thị Lan"


def test_a_user_with_only_a_given_name_has_no_stray_space(world):
    assert world.staff.get_full_name() == "Lan"


def test_a_user_prints_as_the_name_or_else_the_username(lan, world):
    assert str(lan) == "Nguyễn Thị Lan"
    assert str(world.official) == "lanhdao.hue"


@pytest.mark.django_db
def test_the_admin_history_names_the_user_family_first(admin_client, world, lan):
    services.agreement_terminate(
        user=lan, agreement=world.agreement, on=world.agreement.valid_from, reason="other"
    )
    url = f"/admin/agreements/agreement/{world.agreement.pk}/history/"
    assert "Nguyễn Thị Lan" in admin_client.get(url).content.decode()


@pytest.mark.django_db
def test_the_header_shows_the_name_family_first(client, lan):
    client.force_login(lan)
    html = client.get("/").content.decode()
    assert "Nguyễn Thị Lan" in html
    assert "Lan Nguyễn Thị" not in html


@pytest.mark.django_db
def test_the_status_history_names_the_user_family_first(client, world, lan):
    services.agreement_terminate(
        user=lan, agreement=world.agreement, on=world.agreement.valid_from, reason="other"
    )
    client.force_login(lan)
    html = client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert "(Nguyễn Thị Lan)" in html
