import re

import pytest

PAGES = [
    "/",
    "/agreements/",
    "/agreements/new/",
    "/agreements/export.csv",
    "/autocomplete/organizations/?q=hue",
    "/units/46/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_away_from_an_agreement(client, world):
    response = client.get(f"/agreements/{world.agreement.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_login_page_and_healthz_are_open(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_user_logs_in_with_username_and_password(client, world):
    from tests.web.conftest import PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "canbo.hue", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Tổng quan" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = client.post("/accounts/login/", {"username": "canbo.hue", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
def test_logging_out_needs_a_post_and_ends_the_session(staff_client):
    # Django 5 refuses a GET: a link (or a prefetching browser) must not log anyone out.
    assert staff_client.get("/accounts/logout/").status_code == 405
    assert staff_client.get("/").status_code == 200
    response = staff_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_logout_button_is_a_post_form(staff_client):
    html = staff_client.get("/").content.decode()
    assert re.search(
        r'<form action="/accounts/logout/" method="post">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )


@pytest.mark.django_db
def test_the_language_switch_shows_the_english_interface(staff_client):
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = staff_client.get("/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
