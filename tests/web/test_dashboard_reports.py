"""The dashboard links the annual summary of the user's own scope, and the link works."""

import html
import re

from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import HUE_CODE, LANG_SON_CODE


def annual_links(response) -> list[str]:
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    return [html.unescape(href) for href in hrefs if href.startswith("/reports/annual/")]


def annual_url(name: str, year: int, scope: str) -> str:
    return f"{reverse(name, args=[year])}?province={scope}"


def test_it_links_the_summaries_of_the_users_province_for_this_year_and_last(staff_client):
    year = timezone.localdate().year
    links = annual_links(staff_client.get("/"))
    for shown in (year, year - 1):
        assert annual_url("reports:annual_pdf", shown, HUE_CODE) in links
        assert annual_url("reports:annual_preview", shown, HUE_CODE) in links
    assert not [link for link in links if not link.endswith(f"province={HUE_CODE}")]


def test_the_provinces_link_answers_with_its_pdf(staff_client):
    year = timezone.localdate().year
    response = staff_client.get(annual_url("reports:annual_pdf", year, HUE_CODE))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_national_user_gets_the_national_summary_and_each_provinces(client, world):
    world.hue.is_border = True
    world.hue.save()
    client.force_login(world.national_official)
    year = timezone.localdate().year
    links = annual_links(client.get("/"))
    assert annual_url("reports:annual_pdf", year, "national") in links
    assert annual_url("reports:annual_pdf", year - 1, "national") in links
    assert annual_url("reports:annual_pdf", year, HUE_CODE) in links
    response = client.get(annual_url("reports:annual_pdf", year - 1, "national"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_user_without_a_province_gets_no_summary_links(client, world):
    world.reader.organization = None
    world.reader.save()
    client.force_login(world.reader)
    assert annual_links(client.get("/")) == []


def test_the_links_never_point_to_another_province(outsider_client):
    links = annual_links(outsider_client.get("/"))
    assert links
    assert all(link.endswith(f"province={LANG_SON_CODE}") for link in links)
