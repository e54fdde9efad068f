"""Cached figures follow an agreement's own due day: changing it moves the data stamp."""

import datetime

import pytest

from agreements.selectors import data_stamp
from deadlines.services import review_due_override_set
from reports.selectors import annual_summary_stamp

D = datetime.date
TODAY = D(2026, 6, 1)


@pytest.fixture
def late_review(make_agreement, make_review, monkeypatch):
    """A 2025 review held on 10/05/2026, ten days after its kind's 30/04."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    agreement = make_agreement()
    make_review(agreement, year=2025, held_on=D(2026, 5, 10))
    return agreement


def dashboard_figures(client, user):
    client.force_login(user)
    return client.get("/").context["completeness"]


def test_a_later_due_day_shows_the_review_on_time_on_the_cached_dashboard(
    late_review, client, users
):
    before = dashboard_figures(client, users.hue_clerk)
    assert (before.year, before.on_time, before.late) == (2025, 0, 1)

    review_due_override_set(agreement=late_review, month=5, day=31)

    after = dashboard_figures(client, users.hue_clerk)
    assert (after.on_time, after.late) == (1, 0)

    review_due_override_set(agreement=late_review, month=None, day=None)

    assert dashboard_figures(client, users.hue_clerk).on_time == 0


def test_a_due_day_change_moves_the_stamps_of_its_province_and_the_country_only(
    late_review, hue, lang_son
):
    before = (data_stamp(hue.pk), data_stamp(), annual_summary_stamp(hue, 2025))
    lang_son_before = data_stamp(lang_son.pk)

    review_due_override_set(agreement=late_review, month=5, day=31)

    after = (data_stamp(hue.pk), data_stamp(), annual_summary_stamp(hue, 2025))
    assert all(old != new for old, new in zip(before, after, strict=True))
    assert data_stamp(lang_son.pk) == lang_son_before


def test_the_history_of_a_due_day_records_who_set_and_removed_it(late_review, users):
    from deadlines.models import ReviewDueOverride

    review_due_override_set(agreement=late_review, month=5, day=31, user=users.hue_clerk)
    review_due_override_set(agreement=late_review, month=None, day=None, user=users.hue_clerk)

    records = ReviewDueOverride.history.filter(agreement_id=late_review.pk).order_by("history_id")
    assert [(r.history_type, r.history_user_id) for r in records] == [
        ("+", users.hue_clerk.pk),
        ("-", users.hue_clerk.pk),
    ]
