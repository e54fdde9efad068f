import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_language_switch_turns_pages_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
