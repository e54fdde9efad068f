"""403, 404 and 500 pages wear the site's layout and speak the user's language."""

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.utils import translation


def switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.django_db
def test_a_missing_page_is_404_in_the_layout_and_in_vietnamese(staff_client):
    response = staff_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Không tìm thấy trang" in html
    assert "Đăng xuất" in html


@pytest.mark.django_db
def test_a_missing_page_speaks_english_to_an_english_user(staff_client):
    switch_to_english(staff_client)
    html = staff_client.get("/no-such-page/").content.decode()
    assert "Page not found" in html
    assert "Không tìm thấy trang" not in html


@pytest.mark.django_db
def test_an_out_of_scope_record_gets_the_same_404_page(client, world):
    client.force_login(world.outsider)
    response = client.get(f"/agreements/{world.agreement.pk}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_is_403_in_the_layout(client, world):
    client.force_login(world.official)
    response = client.get("/agreements/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Bạn không có quyền thực hiện việc này" in html


@pytest.mark.django_db
def test_a_forbidden_page_speaks_english_to_an_english_user(client, world):
    client.force_login(world.official)
    switch_to_english(client)
    assert "You are not allowed to do this" in client.get("/agreements/new/").content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.web.error_urls")
def test_a_failing_view_gets_the_500_page_in_the_layout(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.staff)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Hệ thống gặp lỗi" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.web.error_urls")
def test_the_500_page_speaks_english_to_an_english_user(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.staff)
    switch_to_english(client)
    assert "Something went wrong" in client.get("/broken/").content.decode()


def test_the_500_page_renders_without_a_request_or_the_database():
    # No django_db mark: any database access fails the test. The failure may be the
    # database itself.
    with translation.override(settings.LANGUAGE_CODE):
        html = loader.get_template("500.html").render({})
    assert "Hệ thống gặp lỗi" in html


@pytest.mark.django_db
def test_a_stale_form_gets_the_csrf_page_in_the_layout(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
