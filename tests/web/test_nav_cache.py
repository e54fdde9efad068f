"""The header's menu is cached by what it shows (language, page, the right to add, the
count of unread notices), never by whoever asked first: nobody gets another user's links
or a stale count."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from deadlines.models import Notice


def nav(client, path="/agreements/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index('<nav class="main-nav"') : content.index("</nav>")]


def notice(user, subject: str) -> Notice:
    return Notice.objects.create(
        user=user,
        kind=Notice.Kind.REVIEW_DUE,
        subject=subject,
        province=user.organization.province,
        created_on=datetime.date(2026, 1, 5),
    )


@pytest.mark.django_db
def test_a_new_notice_shows_in_the_count_on_the_next_request(staff_client, world):
    assert 'class="badge"' not in nav(staff_client)
    notice(world.staff, "a")
    assert 'class="badge"' in nav(staff_client)
    assert ">1</span>" in nav(staff_client)
    second = notice(world.staff, "b")
    assert ">2</span>" in nav(staff_client)
    second.read_at = timezone.now()
    second.save()
    assert ">1</span>" in nav(staff_client)


@pytest.mark.django_db
def test_a_user_without_the_right_to_add_never_gets_the_add_links(staff_client, world):
    assert "/agreements/new/" in nav(staff_client)
    official = Client()
    official.force_login(world.official)
    assert "/agreements/new/" not in nav(official)


@pytest.mark.django_db
def test_another_users_count_is_not_shown(staff_client, world):
    for subject in ("a", "b", "c"):
        notice(world.staff, subject)
    assert ">3</span>" in nav(staff_client)
    colleague = Client()
    colleague.force_login(world.outsider)
    assert 'class="badge"' not in nav(colleague)


@pytest.mark.django_db
def test_the_current_page_is_marked_on_each_page(staff_client):
    assert 'href="/agreements/" aria-current="page"' in nav(staff_client, "/agreements/")
    on_dashboard = nav(staff_client, "/")
    assert 'href="/" aria-current="page"' in on_dashboard
    assert 'href="/agreements/" aria-current="page"' not in on_dashboard


@pytest.mark.django_db
def test_the_other_language_gets_its_own_menu(staff_client):
    assert "Tổng quan" in nav(staff_client)
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Tổng quan" not in nav(staff_client)
