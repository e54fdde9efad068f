import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import organization_dissolve
from deadlines.models import Directive, DirectiveReport
from deadlines.selectors import directive_compliance
from deadlines.services import directive_report_record, directive_save

D = datetime.date
# In force whatever day the tests run on.
IN_FORCE = {
    "valid_from": D(2025, 1, 1),
    "valid_until": D(2035, 12, 31),
    "signed_on": D(2024, 12, 20),
}


@pytest.fixture
def directive(orgs, hue) -> Directive:
    return directive_save(
        directive=Directive(
            issuer=orgs.peoples_committee,
            number="20/CT-UBND",
            issued_on=D(2026, 6, 10),
            title="Về tăng cường công tác kết nghĩa với các đơn vị Bộ đội Biên phòng",
            province=hue,
            report_month=3,
            report_day=3,
            reported_through=orgs.bg_command,
        )
    )


@pytest.fixture
def twinnings(make_agreement, orgs):
    """The department twinned with a border post; the enterprise only with the city's
    party committee; the commune signed a regulation, not a twinning."""
    Kind = Agreement.Kind
    return SimpleNamespace(
        department=make_agreement(
            [orgs.department, orgs.post_b], kind=Kind.TWINNING, number="KN-01", **IN_FORCE
        ),
        enterprise=make_agreement(
            [orgs.enterprise, orgs.city_party], kind=Kind.TWINNING, number="KN-02", **IN_FORCE
        ),
        commune=make_agreement([orgs.post_a, orgs.commune_party], **IN_FORCE),
    )


def _by_name(rows):
    return {row.organization.name: row for row in rows}


def test_it_lists_every_bound_organization_and_whether_it_complies(directive, twinnings, orgs):
    rows = _by_name(directive_compliance(directive, on=timezone.localdate(), year=2026))
    assert set(rows) == {orgs.department.name, orgs.enterprise.name, orgs.commune_party.name}
    assert rows[orgs.department.name].complies
    assert [a["pk"] for a in rows[orgs.department.name].agreements] == [twinnings.department.pk]
    # A twinning without a Border Guard unit, or a regulation, does not count.
    assert not rows[orgs.enterprise.name].complies
    assert not rows[orgs.commune_party.name].complies


def test_it_asks_for_as_many_agreements_as_the_directive_says(directive, twinnings, orgs):
    directive.required_count = 2
    directive_save(directive=directive)
    rows = _by_name(directive_compliance(directive, on=timezone.localdate(), year=2026))
    assert not rows[orgs.department.name].complies


def test_a_dissolved_organization_is_no_longer_bound(directive, orgs, users):
    organization_dissolve(
        organization=orgs.enterprise,
        expected_version=orgs.enterprise.version,
        user=users.admin,
        on=D(2025, 1, 1),
    )
    rows = _by_name(directive_compliance(directive, on=timezone.localdate(), year=2026))
    assert orgs.enterprise.name not in rows


def test_a_directive_must_bind_someone_and_report_on_a_real_day(directive):
    directive.report_month, directive.report_day = 2, 30
    with pytest.raises(ValidationError):
        directive_save(directive=directive)
    directive.report_day = 29
    directive.binds_departments = directive.binds_enterprises = False
    directive.binds_non_border_communes = False
    with pytest.raises(ValidationError):
        directive_save(directive=directive)


def test_a_report_is_recorded_once_a_year_for_a_bound_organization(
    directive, twinnings, make_review, orgs, users
):
    review = make_review(twinnings.department, year=2025, held_on=D(2026, 1, 20))
    report = directive_report_record(
        directive=directive,
        organization=orgs.department,
        year=2026,
        received_on=D(2027, 1, 5),
        review=review,
        user=users.hue_clerk,
    )
    rows = _by_name(directive_compliance(directive, on=timezone.localdate(), year=2026))
    assert rows[orgs.department.name].report == report
    with pytest.raises(ValidationError):
        directive_report_record(
            directive=directive,
            organization=orgs.department,
            year=2026,
            received_on=D(2027, 1, 6),
            file=SimpleUploadedFile("bc.pdf", b"%PDF-1.4"),
            user=users.hue_clerk,
        )
    assert DirectiveReport.objects.count() == 1


def test_a_report_needs_a_bound_organization_and_its_own_review(
    directive, twinnings, make_review, orgs, users
):
    review = make_review(twinnings.department, year=2025)
    with pytest.raises(ValidationError) as error:
        directive_report_record(
            directive=directive,
            organization=orgs.bg_command,
            year=2026,
            received_on=D(2027, 1, 5),
            review=review,
            user=users.hue_clerk,
        )
    assert set(error.value.message_dict) == {"organization", "review"}
    assert not DirectiveReport.objects.exists()


def test_the_page_shows_who_has_not_complied_and_the_report_day(
    directive, twinnings, client, users, orgs
):
    client.force_login(users.hue_official)
    page = client.get(f"/directives/{directive.pk}/")
    text = page.content.decode()
    assert "Chưa thực hiện" in text and "03/03/" in text
    assert [r.organization for r in page.context["not_complying"]] == [
        orgs.enterprise,
        orgs.commune_party,
    ]
    assert page.context["form"] is None
    assert client.post(f"/directives/{directive.pk}/", {}).status_code == 403


def test_the_page_and_its_export_are_hidden_from_other_provinces(directive, client, users):
    client.force_login(users.ls_clerk)
    assert client.get(f"/directives/{directive.pk}/").status_code == 404
    assert client.get(f"/directives/{directive.pk}/not-complied.csv").status_code == 404
    assert client.get("/directives/").context["summaries"] == []
    client.force_login(users.national)
    assert client.get(f"/directives/{directive.pk}/").status_code == 200


def test_the_list_of_those_who_have_not_complied_is_exportable(
    directive, twinnings, client, users, orgs
):
    client.force_login(users.hue_official)
    response = client.get(f"/directives/{directive.pk}/not-complied.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3
    assert orgs.enterprise.name in lines[1] and orgs.commune_party.name in lines[2]
    assert orgs.department.name not in response.content.decode("utf-8-sig")
    xlsx = client.get(f"/directives/{directive.pk}/not-complied.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"/directives/{directive.pk}/not-complied.pdf").status_code == 404


def test_a_clerk_records_a_report_on_the_page(directive, twinnings, client, users, orgs):
    client.force_login(users.hue_clerk)
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report")
    response = client.post(
        f"/directives/{directive.pk}/",
        {
            "organization": orgs.department.pk,
            "year": 2026,
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
            "file": upload,
        },
    )
    assert response.status_code == 302
    assert DirectiveReport.objects.get().organization == orgs.department
    # Neither a review nor a file: a clear message, nothing recorded.
    bad = client.post(
        f"/directives/{directive.pk}/",
        {"organization": orgs.enterprise.pk, "year": 2026, "received_on": "01/01/2027"},
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors
    assert DirectiveReport.objects.count() == 1
