"""The annual summaries count reviews by the deadlines rule: the same figures as the
completeness page, and as a count made here the long way."""

import datetime

import pytest

from agreements.models import Agreement, AgreementParty
from agreements.services import agreement_terminate, organization_dissolve
from deadlines.services import review_due_override_set
from reports import renderer, selectors
from units.models import Level, Organization

D = datetime.date
YEAR = 2025
TODAY = D(2026, 6, 1)
FIGURES = ("expected", "held", "on_time", "late", "missing")


@pytest.fixture
def year_2025(make_agreement, make_review, orgs, users, monkeypatch):
    """Huế: a review on time, one late, one missing, one late against its own earlier due
    day, a regulation terminated in September (in force long enough: owes a review, held
    on time) and one terminated in April (owes none), a twinning whose foreign party was
    dissolved in March (owes none). Lạng Sơn: one missing."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    twinning = Agreement.Kind.TWINNING
    on_time = make_agreement([orgs.bg_command, orgs.city_party])
    make_review(on_time, year=YEAR, held_on=D(2026, 4, 30))
    late = make_agreement([orgs.post_a, orgs.commune_party], kind=twinning)
    make_review(late, year=YEAR, held_on=D(2026, 5, 4))
    make_agreement([orgs.department, orgs.post_b], kind=twinning)
    own_day = make_agreement([orgs.enterprise, orgs.post_a], kind=twinning)
    review_due_override_set(agreement=own_day, month=1, day=31)
    make_review(own_day, year=YEAR, held_on=D(2026, 2, 10))
    for ended_on, reviewed in ((D(2025, 9, 1), True), (D(2025, 4, 1), False)):
        terminated = make_agreement([orgs.bg_command, orgs.peoples_committee])
        agreement_terminate(
            agreement=terminated,
            user=users.hue_clerk,
            reason=Agreement.TerminationReason.MUTUAL,
            on=ended_on,
        )
        if reviewed:
            make_review(terminated, year=YEAR, held_on=D(2026, 3, 2))
    make_agreement([orgs.post_b, orgs.foreign], kind=twinning)
    organization_dissolve(
        organization=orgs.foreign,
        expected_version=orgs.foreign.version,
        user=users.admin,
        on=D(2025, 3, 1),
    )
    make_agreement([orgs.bg_command, orgs.department], kind=Agreement.Kind.PLAN)
    make_agreement([orgs.ls_command, orgs.ls_party], user=users.ls_clerk)


def by_hand(agreements) -> dict[str, int]:
    """The rule of deadlines.rules written out day by day, one agreement at a time."""
    first, last = D(YEAR, 1, 1), D(YEAR, 12, 31)
    counts = dict.fromkeys(FIGURES, 0)
    for agreement in agreements:
        if agreement.kind not in (Agreement.Kind.REGULATION, Agreement.Kind.TWINNING):
            continue
        signing = agreement.parties.exclude(role=AgreementParty.Role.WITNESS)
        dissolved = [p.organization.dissolved_on for p in signing if p.organization.dissolved_on]

        def in_force(day, agreement=agreement, dissolved=dissolved):
            return (
                agreement.valid_from <= day
                and (agreement.valid_until is None or day <= agreement.valid_until)
                and (agreement.ended_on is None or day < agreement.ended_on)
                and not any(d <= day for d in dissolved)
            )

        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        if not in_force(last) and 2 * sum(map(in_force, days)) <= len(days):
            continue
        counts["expected"] += 1
        review = agreement.reviews.filter(kind="annual", year=YEAR).first()
        if review is None:
            counts["missing"] += 1
            continue
        counts["held"] += 1
        override = getattr(agreement, "review_due", None)
        due = D(YEAR + 1, override.month, override.day) if override else D(YEAR + 1, 4, 30)
        counts["on_time" if review.held_on <= due else "late"] += 1
    return counts


def figures_of(completeness) -> dict[str, int]:
    return {figure: getattr(completeness, figure) for figure in FIGURES}


def test_a_provinces_summary_counts_as_the_completeness_page_and_by_hand(
    year_2025, hue, users, client
):
    data = selectors.annual_summary_data(hue, YEAR, today=TODAY)
    expected = {"expected": 5, "held": 4, "on_time": 2, "late": 2, "missing": 1}
    assert by_hand(Agreement.objects.filter(province=hue)) == expected
    assert figures_of(data.reviews) == expected
    client.force_login(users.hue_clerk)
    page = client.get("/completeness/", {"year": YEAR}).context["figures"]
    assert page == data.reviews
    assert len(data.missing_reviews) == data.reviews.missing


def test_the_national_summary_counts_as_the_completeness_page_and_by_hand(
    year_2025, hue, lang_son, users, client
):
    data = selectors.annual_summary_data(None, YEAR, today=TODAY)
    expected = {"expected": 6, "held": 4, "on_time": 2, "late": 2, "missing": 2}
    assert by_hand(Agreement.objects.all()) == expected
    assert figures_of(data.reviews) == expected
    client.force_login(users.national)
    response = client.get("/completeness/", {"year": YEAR})
    assert response.context["figures"] == data.reviews
    rows = {row.code: row.reviews for row in data.provinces}
    assert figures_of(rows[hue.code]) == figures_of(data.reviews) | {"expected": 5, "missing": 1}
    assert figures_of(rows[lang_son.code]) == {
        "expected": 1,
        "held": 0,
        "on_time": 0,
        "late": 0,
        "missing": 1,
    }
    page_rows = [figures for _name, figures in response.context["provinces"]]
    assert sorted(map(figures_of, page_rows), key=str) == sorted(
        (figures_of(row.reviews) for row in data.provinces if row.reviews.expected), key=str
    )


def test_the_national_tables_columns_add_up_to_its_totals(year_2025, orgs):
    # A national regulation (no province), recorded as the reports tests record theirs.
    central_party = Organization.objects.create(
        name="Đảng ủy Bộ đội Biên phòng",
        kind=Organization.Kind.BORDER_GUARD_PARTY_COMMITTEE,
        level=Level.CENTRAL,
    )
    national = Agreement.objects.create(
        title="Quy chế phối hợp cấp toàn quốc",
        kind=Agreement.Kind.REGULATION,
        status=Agreement.Status.IN_FORCE,
        valid_from=D(2024, 5, 1),
    )
    national.parties.create(organization=central_party, role=AgreementParty.Role.LEAD)
    data = selectors.annual_summary_data(None, YEAR, today=TODAY)
    assert data.provinces[-1].reviews.expected == 1
    for figure in FIGURES:
        assert sum(getattr(row.reviews, figure) for row in data.provinces) == getattr(
            data.reviews, figure
        ), figure
    assert sum(row.in_force for row in data.provinces) == data.in_force
    html = renderer.render_html("reports/annual_summary.html", data)
    r = data.reviews
    total = "".join(
        f'<td class="n">{value}</td>'
        for value in (data.in_force, r.expected, r.held, r.on_time, r.late, r.missing)
    )
    assert f"<td>Tổng cộng</td>{total}" in html
