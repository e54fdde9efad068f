import datetime

import pytest

from agreements.models import Agreement, AgreementParty
from agreements.services import (
    PartyInput,
    agreement_create,
    agreement_expire,
    agreement_terminate,
    organization_dissolve,
)
from deadlines.selectors import review_due_status, reviews_missing, reviews_owed

LAST_YEAR_DONE = datetime.date(2025, 3, 1)
MID_2025 = datetime.date(2025, 6, 1)


@pytest.fixture
def regulation(make_agreement, make_review):
    """A Huế regulation for 2021–2025, reviewed for 2023 but not for 2024."""
    agreement = make_agreement()
    make_review(agreement, year=2023)
    return agreement


def test_a_missing_review_for_a_past_year_is_overdue(regulation):
    missing = reviews_missing(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)
    assert list(missing) == [regulation]
    status = review_due_status(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)
    assert (status.year, status.overdue, status.due, status.missing, status.held) == (
        2024,
        True,
        1,
        1,
        0,
    )


def test_a_held_review_is_not_missing(regulation):
    assert not reviews_missing(Agreement.objects.all(), year=2023, today=LAST_YEAR_DONE).exists()
    status = review_due_status(Agreement.objects.all(), year=2023, today=LAST_YEAR_DONE)
    assert (status.due, status.missing, status.held) == (1, 0, 1)


def test_the_review_of_the_current_year_is_due_not_overdue(regulation):
    status = review_due_status(Agreement.objects.all(), year=2025, today=MID_2025)
    assert not status.overdue
    assert (status.due, status.missing) == (1, 1)
    assert list(reviews_missing(Agreement.objects.all(), year=2025, today=MID_2025)) == [regulation]


def test_an_agreement_terminated_mid_year_owes_no_review_for_that_year(regulation, users):
    agreement_terminate(
        agreement=regulation,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.PARTNER_DISSOLVED,
        on=datetime.date(2024, 7, 1),
    )
    assert not reviews_missing(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE).exists()
    assert review_due_status(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE).due == 0


def test_an_agreement_that_expired_at_the_end_of_the_year_still_owes_its_review(regulation, users):
    agreement_expire(agreement=regulation, user=users.hue_clerk)
    after_the_year = datetime.date(2026, 2, 1)
    missing = reviews_missing(Agreement.objects.all(), year=2025, today=after_the_year)
    assert list(missing) == [regulation]
    assert not reviews_missing(Agreement.objects.all(), year=2026, today=after_the_year).exists()


def test_an_agreement_signed_mid_year_owes_a_review_for_that_year(make_agreement, orgs):
    late = make_agreement(
        [orgs.post_a, orgs.commune_party],
        valid_from=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2029, 8, 31),
        signed_on=datetime.date(2024, 8, 20),
    )
    assert list(reviews_missing(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)) == [late]


def test_drafts_plans_and_mid_term_reviews_do_not_count(
    regulation, make_agreement, make_review, orgs
):
    make_agreement([orgs.bg_command, orgs.peoples_committee], in_force=False)
    make_agreement([orgs.bg_command, orgs.department], kind=Agreement.Kind.PLAN)
    make_review(regulation, year=2024, kind="mid_term")
    missing = reviews_missing(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)
    assert list(missing) == [regulation]


def test_twinnings_owe_reviews_too(make_agreement, orgs):
    twinning = make_agreement([orgs.department, orgs.enterprise], kind=Agreement.Kind.TWINNING)
    assert list(reviews_missing(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)) == [
        twinning
    ]


def test_it_answers_for_the_scope_it_is_given(regulation, make_agreement, orgs, users):
    ls = make_agreement([orgs.ls_command, orgs.ls_party], user=users.ls_clerk)
    hue_view = Agreement.objects.restrict(users.hue_clerk)
    ls_view = Agreement.objects.restrict(users.ls_clerk)
    national_view = Agreement.objects.restrict(users.national)
    assert list(reviews_missing(hue_view, year=2024, today=LAST_YEAR_DONE)) == [regulation]
    assert list(reviews_missing(ls_view, year=2024, today=LAST_YEAR_DONE)) == [ls]
    assert review_due_status(national_view, year=2024, today=LAST_YEAR_DONE).missing == 2


def test_due_tracking_takes_a_fixed_number_of_queries(
    make_agreement, make_review, orgs, django_assert_max_num_queries
):
    for party in (orgs.city_party, orgs.peoples_committee, orgs.commune_party):
        make_review(make_agreement([orgs.bg_command, party]), year=2024)
    with django_assert_max_num_queries(2):
        review_due_status(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)
    # One query judges the few agreements that stopped during the year, one lists.
    with django_assert_max_num_queries(2):
        list(reviews_missing(Agreement.objects.all(), year=2023, today=LAST_YEAR_DONE))


def _terminate(agreement, users, on):
    agreement_terminate(
        agreement=agreement,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=on,
    )


@pytest.mark.parametrize(
    ("ended_on", "owes"),
    [
        # 2024 has 366 days: half is 183, and more than half is owed.
        (datetime.date(2024, 7, 2), False),  # 1 Jan – 1 Jul: 183 days
        (datetime.date(2024, 7, 3), True),  # 184 days
        (datetime.date(2024, 12, 31), True),
    ],
)
def test_an_agreement_ended_in_a_leap_year_owes_its_review_after_more_than_half_of_it(
    regulation, users, ended_on, owes
):
    _terminate(regulation, users, ended_on)
    owed = reviews_owed(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)
    assert owed.exists() is owes


@pytest.mark.parametrize(
    ("ended_on", "owes"),
    [
        (datetime.date(2023, 7, 1), False),  # 181 of 365 days
        (datetime.date(2023, 7, 2), False),  # 182: still not more than half
        (datetime.date(2023, 7, 3), True),  # 183
    ],
)
def test_an_agreement_ended_in_a_common_year_owes_its_review_after_more_than_half_of_it(
    make_agreement, users, ended_on, owes
):
    agreement = make_agreement(valid_from=datetime.date(2021, 1, 1))
    _terminate(agreement, users, ended_on)
    owed = reviews_owed(Agreement.objects.all(), year=2023, today=LAST_YEAR_DONE)
    assert owed.exists() is owes


def test_an_agreement_signed_and_ended_within_a_year_counts_its_own_days(make_agreement, users):
    agreement = make_agreement(
        valid_from=datetime.date(2023, 2, 1),
        valid_until=datetime.date(2027, 1, 31),
        signed_on=datetime.date(2023, 1, 20),
    )
    _terminate(agreement, users, datetime.date(2023, 10, 1))  # 242 days in force
    assert list(reviews_owed(Agreement.objects.all(), year=2023, today=LAST_YEAR_DONE)) == [
        agreement
    ]


def test_a_dissolved_party_ends_the_obligation_even_if_nobody_terminated_the_agreement(
    regulation, orgs, users
):
    organization_dissolve(
        organization=orgs.city_party,
        expected_version=orgs.city_party.version,
        user=users.admin,
        on=datetime.date(2024, 5, 1),
    )
    assert regulation.status == Agreement.Status.IN_FORCE
    assert not reviews_owed(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE).exists()
    assert review_due_status(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE).due == 0
    # Dissolved late in the year, after more than half of it in force: owed.
    organization_dissolve(
        organization=orgs.city_party,
        expected_version=orgs.city_party.version,
        user=users.admin,
        on=datetime.date(2024, 11, 1),
    )
    assert list(reviews_owed(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)) == [
        regulation
    ]


def test_a_dissolved_witness_does_not_end_the_obligation(make_input, orgs, users):
    data = make_input()
    data.parties.append(
        PartyInput(organization=orgs.peoples_committee, role=AgreementParty.Role.WITNESS)
    )
    agreement = agreement_create(user=users.hue_clerk, data=data, in_force=True)
    organization_dissolve(
        organization=orgs.peoples_committee,
        expected_version=orgs.peoples_committee.version,
        user=users.admin,
        on=datetime.date(2024, 3, 1),
    )
    assert list(reviews_owed(Agreement.objects.all(), year=2024, today=LAST_YEAR_DONE)) == [
        agreement
    ]
