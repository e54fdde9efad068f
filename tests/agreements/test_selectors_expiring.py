import datetime

import pytest

from agreements.models import Agreement
from agreements.selectors import (
    add_months,
    agreement_detail,
    agreement_list,
    agreements_expiring,
    in_force_by_kind,
)
from agreements.services import agreement_terminate

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture
def agreements(make_agreement, orgs, users):
    ends_this_year = make_agreement()  # until 31/12/2025
    ends_later = make_agreement(
        [orgs.bg_command, orgs.peoples_committee], valid_until=datetime.date(2027, 12, 31)
    )
    already_over = make_agreement(
        [orgs.bg_command, orgs.commune_party], valid_until=datetime.date(2025, 2, 28)
    )
    terminated = make_agreement([orgs.post_a, orgs.commune_party])
    agreement_terminate(
        agreement=terminated, user=users.hue_clerk, reason="mutual", on=datetime.date(2024, 1, 1)
    )
    twinning = make_agreement(
        [orgs.department, orgs.enterprise],
        kind=Agreement.Kind.TWINNING,
        valid_until=datetime.date(2026, 3, 1),
    )
    draft = make_agreement([orgs.post_b, orgs.commune_party], in_force=False)
    return {
        "ends_this_year": ends_this_year,
        "ends_later": ends_later,
        "already_over": already_over,
        "terminated": terminated,
        "twinning": twinning,
        "draft": draft,
    }


def test_it_lists_agreements_ending_within_the_months_soonest_first(agreements):
    expiring = agreements_expiring(Agreement.objects.all(), months=12, today=TODAY)
    assert list(expiring) == [agreements["ends_this_year"], agreements["twinning"]]


def test_the_last_day_of_the_window_is_included(agreements):
    window_end = add_months(TODAY, 12)
    assert window_end == agreements["twinning"].valid_until
    assert agreements["twinning"] in agreements_expiring(
        Agreement.objects.all(), months=12, today=TODAY
    )
    assert list(agreements_expiring(Agreement.objects.all(), months=6, today=TODAY)) == []


def test_adding_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2025, 3, 1), 60) == datetime.date(2030, 3, 1)


def test_in_force_by_kind_counts_every_kind(agreements):
    assert in_force_by_kind(Agreement.objects.all(), on=TODAY) == {
        "regulation": 2,
        "twinning": 1,
        "plan": 0,
        "other": 0,
    }
    assert in_force_by_kind(Agreement.objects.all(), on=datetime.date(2023, 6, 1)) == {
        "regulation": 4,
        "twinning": 1,
        "plan": 0,
        "other": 0,
    }


def test_in_force_by_kind_answers_for_a_scope(agreements, users):
    assert set(in_force_by_kind(Agreement.objects.restrict(users.ls_clerk)).values()) == {0}


def test_expiry_and_counts_take_one_query_each(agreements, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        list(agreements_expiring(Agreement.objects.all(), months=24, today=TODAY))
    with django_assert_max_num_queries(1):
        in_force_by_kind(Agreement.objects.all(), on=TODAY)


def test_list_and_detail_fetches_do_not_grow_with_the_rows(
    agreements, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        rows = list(agreement_list(Agreement.objects.all()))
        parties = [p.organization.name for a in rows for p in a.parties.all()]
    assert len(rows) == 6
    assert len(parties) == 12
    with django_assert_max_num_queries(9):
        for agreement in agreement_detail(Agreement.objects.all()):
            list(agreement.parties.all())
            list(agreement.reviews.all())
            list(agreement.focus_areas.all())
            list(agreement.attachments.all())
