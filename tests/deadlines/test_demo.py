"""The demo's Huế directive, as a Huế official meets it."""

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from deadlines.models import Directive


@pytest.mark.django_db
def test_a_hue_official_sees_who_has_not_twinned_and_when_reports_are_due(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assert Directive.objects.count() == 1
    client.login(request=HttpRequest(), username="lanhdao.hue", password=settings.DEMO_PASSWORD)
    dashboard = client.get("/").content.decode()
    assert "20/CT-UBND" in dashboard
    assert "Sở Giáo dục và Đào tạo Huế" in dashboard and "hạn ngày 03/03/" in dashboard
    directive = Directive.objects.get(number="20/CT-UBND")
    page = client.get(f"/directives/{directive.pk}/")
    not_twinned = {row.organization.name for row in page.context["not_complying"]}
    assert {"Sở Giáo dục và Đào tạo Huế", "Công ty Cổ phần Cấp nước Huế"} <= not_twinned
    twinned = {row.organization.name for row in page.context["rows"] if row.complies}
    assert twinned == {"Sở Y tế Huế", "Công ty Điện lực Huế"}
    assert "03/03/" in page.content.decode()
    client.login(request=HttpRequest(), username="lanhdao.langson", password=settings.DEMO_PASSWORD)
    assert client.get(f"/directives/{directive.pk}/").status_code == 404
