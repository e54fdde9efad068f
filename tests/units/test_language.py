import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SOURCE_DIRS = ("agreements", "config", "reports", "templates", "units")


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


def untranslated(catalogue: Path) -> list[str]:
    """Entries of a .po file with an empty or fuzzy English translation."""
    missing = []
    for entry in catalogue.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            missing.append(entry)
            continue
        text = "\n".join(lines)
        msgid = re.search(r'^msgid "(.*)"\n(?:".*"\n)*', text, re.M).group(0)
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text + "\n", re.M)
        if msgid != 'msgid ""\n' and any(not "".join(re.findall(r'"(.*)"', s)) for s in strings):
            missing.append(entry)
    return missing


def test_every_message_has_its_english_translation():
    """English is available for every string: no empty or fuzzy entry in its catalogue."""
    catalogue = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert untranslated(catalogue) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """makemessages over the sources adds nothing untranslated to the English catalogue.

    It runs on a copy, in a folder that links to the sources: makemessages writes
    next to the `locale` folder it finds, and the project's must stay untouched.
    """
    base = Path(settings.BASE_DIR)
    for name in SOURCE_DIRS:
        (tmp_path / name).symlink_to(base / name, target_is_directory=True)
    catalogue = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    shutil.copy(base / "locale" / "en" / "LC_MESSAGES" / "django.po", catalogue)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], symlinks=True, verbosity=0)
    assert untranslated(catalogue) == []


@pytest.mark.django_db
def test_the_sort_choices_speak_the_page_language(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(user)
    page = client.get("/agreements/").content.decode()
    assert "Ngày hết hiệu lực (giảm dần)" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/agreements/"})
    assert "(descending)" in client.get("/agreements/").content.decode()
