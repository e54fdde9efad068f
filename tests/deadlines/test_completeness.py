"""Reporting rates for 2024's reviews, checked against counts made by hand."""

import datetime
from types import SimpleNamespace

import pytest

from agreements.models import Agreement
from agreements.services import agreement_terminate, organization_dissolve
from deadlines.selectors import completeness, completeness_list
from deadlines.services import review_due_override_set

D = datetime.date
TODAY = D(2025, 6, 1)


@pytest.fixture
def year_2024(make_agreement, make_review, orgs, users):
    """Huế: one review on time, one late, one missing, one late against its own earlier
    due day; a terminated agreement and one with a dissolved party owe nothing; a plan
    owes nothing. Lạng Sơn: one missing."""
    on_time = make_agreement([orgs.bg_command, orgs.city_party])
    make_review(on_time, year=2024, held_on=D(2025, 4, 30))
    late = make_agreement([orgs.post_a, orgs.commune_party])
    make_review(late, year=2024, held_on=D(2025, 5, 1))
    missing = make_agreement([orgs.department, orgs.post_b], kind=Agreement.Kind.TWINNING)
    own_day = make_agreement([orgs.enterprise, orgs.post_a], kind=Agreement.Kind.TWINNING)
    review_due_override_set(agreement=own_day, month=1, day=31)
    make_review(own_day, year=2024, held_on=D(2025, 2, 10))
    terminated = make_agreement([orgs.bg_command, orgs.peoples_committee])
    agreement_terminate(
        agreement=terminated,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=D(2024, 4, 1),
    )
    dissolved = make_agreement([orgs.post_b, orgs.foreign], kind=Agreement.Kind.TWINNING)
    organization_dissolve(
        organization=orgs.foreign,
        expected_version=orgs.foreign.version,
        user=users.admin,
        on=D(2024, 3, 1),
    )
    make_agreement([orgs.bg_command, orgs.department], kind=Agreement.Kind.PLAN)
    lang_son = make_agreement([orgs.ls_command, orgs.ls_party], user=users.ls_clerk)
    return SimpleNamespace(
        on_time=on_time,
        late=late,
        missing=missing,
        own_day=own_day,
        terminated=terminated,
        dissolved=dissolved,
        lang_son=lang_son,
    )


def _ids(*agreements) -> list[int]:
    return sorted(a.pk for a in agreements)


def test_it_counts_expected_held_on_time_late_and_missing(year_2024, users):
    figures, _ = completeness(Agreement.objects.restrict(users.hue_clerk), year=2024, today=TODAY)
    assert (figures.expected, figures.held, figures.on_time, figures.late, figures.missing) == (
        4,
        3,
        1,
        2,
        1,
    )
    assert figures.overdue == 1
    assert (figures.held_rate, figures.on_time_rate) == (75.0, 25.0)


@pytest.mark.parametrize(
    ("category", "names"),
    [
        ("expected", ["on_time", "late", "missing", "own_day"]),
        ("held", ["on_time", "late", "own_day"]),
        ("on_time", ["on_time"]),
        ("late", ["late", "own_day"]),
        ("missing", ["missing"]),
        ("overdue", ["missing"]),
    ],
)
def test_it_lists_the_agreements_behind_each_figure(year_2024, users, category, names):
    listed = completeness_list(
        Agreement.objects.restrict(users.hue_clerk), year=2024, category=category, today=TODAY
    )
    assert sorted(a.pk for a in listed) == _ids(*(getattr(year_2024, n) for n in names))


def test_a_missing_review_is_not_overdue_before_its_due_day(year_2024, users):
    figures, _ = completeness(
        Agreement.objects.restrict(users.hue_clerk), year=2024, today=D(2025, 4, 30)
    )
    assert figures.missing == 1
    assert figures.overdue == 0
    assert not completeness_list(
        Agreement.objects.restrict(users.hue_clerk),
        year=2024,
        category="overdue",
        today=D(2025, 4, 30),
    ).exists()


def test_the_country_counts_every_province_and_each_on_its_own(year_2024, users, hue, lang_son):
    figures, by_province = completeness(
        Agreement.objects.restrict(users.national), year=2024, today=TODAY
    )
    assert (figures.expected, figures.held, figures.missing) == (5, 3, 2)
    assert by_province[hue.pk].expected == 4
    assert (by_province[lang_son.pk].expected, by_province[lang_son.pk].missing) == (1, 1)
    assert by_province[lang_son.pk].held_rate == 0.0


def test_a_province_sees_only_its_own(year_2024, users):
    figures, _ = completeness(Agreement.objects.restrict(users.ls_clerk), year=2024, today=TODAY)
    assert (figures.expected, figures.missing) == (1, 1)
    listed = completeness_list(
        Agreement.objects.restrict(users.ls_clerk), year=2024, category="expected", today=TODAY
    )
    assert list(listed) == [year_2024.lang_son]


def test_no_obligation_gives_no_rate(users, orgs):
    figures, _ = completeness(Agreement.objects.restrict(users.hue_clerk), year=2024, today=TODAY)
    assert figures.expected == 0
    assert figures.held_rate is None


def test_it_takes_a_fixed_number_of_queries(
    year_2024, make_agreement, orgs, users, django_assert_num_queries
):
    for party in (orgs.city_party, orgs.peoples_committee):
        make_agreement([orgs.post_b, party])
    with django_assert_num_queries(3):
        completeness(Agreement.objects.all(), year=2024, today=TODAY)


def test_the_page_shows_the_figures_and_the_list_behind_one(year_2024, client, users):
    client.force_login(users.hue_official)
    page = client.get("/completeness/?year=2024").content.decode()
    assert "75,0%" in page and "25,0%" in page
    listed = client.get("/completeness/?year=2024&show=missing")
    assert [a.pk for a in listed.context["page"].object_list] == [year_2024.missing.pk]
    late = client.get("/completeness/?year=2024&show=late").context["page"].object_list
    assert sorted(a.pk for a in late) == _ids(year_2024.late, year_2024.own_day)


def test_the_page_hides_other_provinces(year_2024, client, users):
    client.force_login(users.ls_clerk)
    listed = client.get("/completeness/?year=2024&show=expected")
    assert [a.pk for a in listed.context["page"].object_list] == [year_2024.lang_son.pk]
    # A province user cannot pick another province.
    other = client.get("/completeness/?year=2024&show=expected&province=46")
    assert [a.pk for a in other.context["page"].object_list] == [year_2024.lang_son.pk]


def test_a_national_user_sees_each_province_and_can_pick_one(year_2024, client, users):
    client.force_login(users.national)
    page = client.get("/completeness/?year=2024")
    assert len(page.context["provinces"]) == 2
    picked = client.get("/completeness/?year=2024&province=20&show=expected")
    assert [a.pk for a in picked.context["page"].object_list] == [year_2024.lang_son.pk]
    assert client.get("/completeness/?province=99").status_code == 404


def test_bad_input_is_not_an_error(year_2024, client, users):
    client.force_login(users.hue_clerk)
    assert client.get("/completeness/?year=abc").status_code == 200
    assert client.get("/completeness/?show=nonsense").status_code == 404
