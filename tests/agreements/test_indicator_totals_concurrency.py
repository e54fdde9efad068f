"""Two writers at once keep the stored totals right (PostgreSQL: real row locks).

SQLite lets one writer in at a time, so the races these tests provoke cannot happen
there; they are skipped on it.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from agreements.models import IndicatorTotal, Review
from agreements.selectors import indicator_totals_drift
from agreements.services import agreement_update, review_create, review_update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers by itself"
    ),
]
WAIT = 10


def in_thread(function, errors):
    def run():
        try:
            function()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def hold_open(work, ready, release):
    """Do `work` in a transaction and keep it uncommitted until `release` is set."""

    def run():
        with transaction.atomic():
            work()
            ready.set()
            assert release.wait(WAIT), "the test never released the transaction"

    return run


def test_a_review_added_while_its_agreement_moves_counts_in_the_new_province(
    admin_units, make_agreement, make_input, make_review, users, lang_son
):
    agreement = make_agreement()
    make_review(agreement, indicator_values={"joint_patrols": 12})
    ready, release, errors = threading.Event(), threading.Event(), []

    def move():
        agreement_update(
            agreement=agreement,
            user=users.admin,
            data=make_input(province=lang_son),
            expected_version=agreement.version,
        )

    def add_review():
        review_create(
            user=users.hue_clerk,
            agreement=agreement,
            kind=Review.Kind.ANNUAL,
            year=2024,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            indicator_values={"joint_patrols": 30},
        )

    mover = in_thread(hold_open(move, ready, release), errors)
    assert ready.wait(WAIT)
    adder = in_thread(add_review, errors)
    adder.join(0.5)
    assert adder.is_alive(), f"the new review must wait for the move to commit: {errors}"
    release.set()
    mover.join(WAIT)
    adder.join(WAIT)

    assert errors == []
    assert indicator_totals_drift() == []
    stored = IndicatorTotal.objects.filter(figures__gt=0).values_list("province", "year", "total")
    assert sorted(stored) == [(lang_son.pk, 2023, Decimal(12)), (lang_son.pk, 2024, Decimal(30))]


def test_two_edits_of_one_years_figures_at_once_both_count(
    admin_units, make_agreement, make_review, orgs, users
):
    # Two reviews, since two edits of one review from the same version are refused:
    # their figures add to the same stored totals, which both writers update at once.
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    other = make_review(
        make_agreement([orgs.bg_command, orgs.peoples_committee], number="02/QC-PH"),
        indicator_values={"joint_patrols": 5},
    )
    ready, release, errors = threading.Event(), threading.Event(), []

    def edit(pk: int, value: int):
        def run():
            current = Review.objects.get(pk=pk)
            review_update(
                review=current,
                user=users.hue_clerk,
                expected_version=current.version,
                indicator_values={"joint_patrols": value},
            )

        return run

    one = in_thread(hold_open(edit(review.pk, 20), ready, release), errors)
    assert ready.wait(WAIT)
    two = in_thread(edit(other.pk, 7), errors)
    two.join(0.5)
    release.set()
    one.join(WAIT)
    two.join(WAIT)

    assert errors == []
    assert indicator_totals_drift() == []
    stored = IndicatorTotal.objects.values_list("indicator__code", "total")
    assert dict(stored) == {"joint_patrols": Decimal(27)}
