"""Accounts, sessions and headers: lockout after guessing, idle and absolute session
limits, CSP without inline code, Permissions-Policy, no caching of logged-in responses."""

import importlib
import logging
import re
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from agreements import services
from config.middleware import CleanInputMiddleware
from config.middleware import SessionLifetimeMiddleware as Lifetime
from tests.web.conftest import PASSWORD
from units.models import User
from units.text import SEARCH_MAX_WORDS, search_words

LOCKED = "Đăng nhập sai quá nhiều lần"


def guess(client, url, username, times, password="sai-mat-khau"):
    return [client.post(url, {"username": username, "password": password}) for _ in range(times)]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(client, world, url):
    answers = guess(client, url, "canbo.hue", 5)
    assert [a.status_code for a in answers[:4]] == [200] * 4

    right = client.post(url, {"username": "canbo.hue", "password": PASSWORD})

    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_answer_does_not_tell_whether_the_user_exists(client, world):
    guess(client, "/accounts/login/", "canbo.hue", 5)
    guess(client, "/accounts/login/", "khong.ton.tai", 5)

    known = client.post("/accounts/login/", {"username": "canbo.hue", "password": "x"})
    unknown = client.post("/accounts/login/", {"username": "khong.ton.tai", "password": "x"})

    assert known.status_code == unknown.status_code == 429

    def page(response):  # without the CSRF token, which differs on every page
        return re.sub(r'value="[^"]*"', "", response.text)

    assert page(known) == page(unknown)


@pytest.mark.django_db
def test_a_lockout_holds_one_username_from_one_address_only(client, world):
    guess(client, "/accounts/login/", "canbo.hue", 5)

    other_user = client.post("/accounts/login/", {"username": "lanhdao.hue", "password": PASSWORD})
    other_address = client.post(
        "/accounts/login/",
        {"username": "canbo.hue", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )

    assert other_user.status_code == 302
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_an_admin_sees_failed_logins_and_lifts_a_lockout(client, world, caplog):
    caplog.set_level(logging.INFO, logger="security")
    guess(client, "/accounts/login/", "canbo.hue", 5)
    assert "failed login for username 'canbo.hue'" in caplog.text
    assert "locked out username 'canbo.hue'" in caplog.text
    admin = User.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    assert "canbo.hue" in client.get(reverse("admin:axes_accessfailurelog_changelist")).text
    attempt = AccessAttempt.objects.get(username="canbo.hue")

    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()
    again = client.post("/accounts/login/", {"username": "canbo.hue", "password": PASSWORD})

    assert AccessFailureLog.objects.filter(username="canbo.hue").count() == 5
    assert again.status_code == 302


def _login_page_after(client, user, **session_times):
    client.force_login(user)
    session = client.session
    session.update(session_times)
    session.save()
    return client.get("/agreements/", follow=True)


@pytest.mark.django_db
def test_a_session_idle_for_more_than_thirty_minutes_ends(client, world):
    now = int(time.time())
    response = _login_page_after(
        client, world.staff, **{Lifetime.STARTED: now - 3600, Lifetime.SEEN: now - 31 * 60}
    )

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Phiên làm việc đã hết hạn" in response.text


@pytest.mark.django_db
def test_a_session_ends_after_twelve_hours_however_active(client, world):
    now = int(time.time())
    response = _login_page_after(
        client, world.staff, **{Lifetime.STARTED: now - 12 * 3600 - 60, Lifetime.SEEN: now}
    )

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Phiên làm việc đã hết hạn" in response.text


@pytest.mark.django_db
def test_an_active_session_goes_on(client, world):
    now = int(time.time())
    response = _login_page_after(
        client, world.staff, **{Lifetime.STARTED: now - 3600, Lifetime.SEEN: now - 20 * 60}
    )

    assert response.redirect_chain == []
    assert response.status_code == 200


def _assert_private(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "camera=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy


@pytest.mark.django_db
def test_pages_exports_and_attachments_carry_the_security_headers(staff_client, world):
    attachment = services.attachment_add(
        user=world.staff,
        agreement=world.agreement,
        uploaded_file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )

    for url in (
        "/agreements/",
        "/agreements/export.xlsx",
        "/agreements/export.csv",
        reverse("agreements:attachment_download", args=[attachment.pk]),
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        _assert_private(response)


@pytest.mark.django_db
def test_the_report_preview_style_is_allowed_by_its_nonce_only(staff_client, review):
    response = staff_client.get(reverse("reports:review_preview", args=[review.pk]))

    nonce = re.search(r'<style nonce="([^"]+)">', response.text).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "<style>" not in response.text and " style=" not in response.text


@pytest.mark.django_db
def test_uploads_are_not_served_as_media_even_with_debug_on(settings, world):
    settings.DEBUG = True
    import config.urls

    try:
        urls = importlib.reload(config.urls)
        with pytest.raises(Resolver404):
            resolve("/media/attachments/ab/abcdef", urlconf=urls)
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)


def test_control_characters_leave_parameters_and_form_fields():
    seen = {}

    def view(request):
        seen.update(get=request.GET.get("q"), post=request.POST.get("title"))

    middleware = CleanInputMiddleware(view)
    request = RequestFactory().post("/agreements/?q=a%00b%1bc", {"title": "Quy\x00 chế\r\nmới\x07"})
    middleware(request)

    assert seen == {"get": "abc", "post": "Quy chế\r\nmới"}


@pytest.mark.django_db
def test_a_path_with_a_nul_byte_is_not_found(staff_client):
    assert staff_client.get("/units/46%00/").status_code == 404


@pytest.mark.django_db
def test_a_search_of_a_thousand_words_is_capped_and_answers(staff_client, world):
    assert len(search_words("a " * 1000)) <= SEARCH_MAX_WORDS
    for url in ("/agreements/", "/autocomplete/organizations/"):
        assert staff_client.get(url, {"q": "a " * 1000}).status_code == 200


@pytest.mark.django_db
def test_an_out_of_range_period_is_an_invalid_filter_shown_with_the_form(staff_client, world):
    for period in ("0-0", "99999-2030", "99999999999999999999999"):
        response = staff_client.get("/agreements/", {"period": period})
        assert response.status_code == 200
        assert "điều kiện lọc không hợp lệ" in response.text
