"""The stored yearly indicator totals follow every write that changes a review's figures.

Each test compares the stored totals with a sum worked out here from the figures
themselves, so a write path that forgets the totals fails whatever it forgot.
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from agreements.models import IndicatorTotal, IndicatorValue, Review
from agreements.selectors import data_stamp
from agreements.services import (
    agreement_update,
    indicator_totals_rebuild,
    review_update,
)


def live_totals() -> dict:
    """The totals summed here in Python from every annual review's figures."""
    totals: dict = {}
    values = IndicatorValue.objects.filter(review__kind=Review.Kind.ANNUAL).values_list(
        "review__agreement__province_id", "review__year", "indicator__code", "value"
    )
    for province, year, code, value in values:
        total, figures = totals.get((province, year, code), (Decimal(0), 0))
        totals[(province, year, code)] = (total + value, figures + 1)
    return totals


def stored_totals() -> dict:
    rows = IndicatorTotal.objects.filter(figures__gt=0).values_list(
        "province_id", "year", "indicator__code", "total", "figures"
    )
    return {(p, y, code): (total, n) for p, y, code, total, n in rows}


def test_a_new_review_adds_its_figures_to_its_province_and_year(make_agreement, make_review, hue):
    agreement = make_agreement()
    make_review(agreement, year=2023, indicator_values={"joint_patrols": 12, "fines": "2.5"})
    assert stored_totals() == {
        (hue.pk, 2023, "joint_patrols"): (Decimal(12), 1),
        (hue.pk, 2023, "fines"): (Decimal("2.5"), 1),
    }


def test_two_reviews_of_a_year_add_up(make_agreement, make_review, orgs, hue):
    first = make_agreement()
    second = make_agreement([orgs.bg_command, orgs.peoples_committee], number="02/QC-PH")
    make_review(first, indicator_values={"joint_patrols": 12})
    make_review(second, indicator_values={"joint_patrols": 30})
    assert stored_totals() == {(hue.pk, 2023, "joint_patrols"): (Decimal(42), 2)}
    assert stored_totals() == live_totals()


def test_an_edited_figure_changes_the_total_and_a_removed_one_leaves_none(
    make_agreement, make_review, users, hue
):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12, "fines": 7})
    review_update(
        review=review,
        user=users.hue_clerk,
        expected_version=review.version,
        indicator_values={"joint_patrols": 20, "fines": ""},
    )
    assert stored_totals() == {(hue.pk, 2023, "joint_patrols"): (Decimal(20), 1)}
    # The emptied row stays with no figures, and reads as no figure at all.
    emptied = IndicatorTotal.objects.get(indicator__code="fines")
    assert (emptied.total, emptied.figures) == (0, 0)


def test_a_review_moved_to_another_year_moves_its_figures(make_agreement, make_review, users):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    review_update(review=review, user=users.hue_clerk, expected_version=1, year=2024)
    assert [key[1] for key in stored_totals()] == [2024]
    assert stored_totals() == live_totals()


def test_a_review_that_is_no_longer_annual_leaves_the_totals(make_agreement, make_review, users):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    review_update(review=review, user=users.hue_clerk, expected_version=1, kind=Review.Kind.FINAL)
    assert stored_totals() == {}


def test_an_agreement_moved_to_another_province_moves_its_figures(
    make_agreement, make_review, make_input, users, hue, lang_son
):
    agreement = make_agreement()
    make_review(agreement, indicator_values={"joint_patrols": 12})
    agreement_update(
        agreement=agreement,
        user=users.admin,
        data=make_input(province=lang_son),
        expected_version=agreement.version,
    )
    assert stored_totals() == {(lang_son.pk, 2023, "joint_patrols"): (Decimal(12), 1)}


def test_a_national_agreements_figures_are_kept_apart(make_agreement, make_review, orgs, users):
    agreement = make_agreement([orgs.national, orgs.city_party, orgs.ls_party], user=users.national)
    make_review(agreement, user=users.national, indicator_values={"joint_patrols": 5})
    make_review(agreement, user=users.national, year=2024, indicator_values={"joint_patrols": 6})
    other = make_agreement(
        [orgs.national, orgs.city_party, orgs.ls_command], user=users.national, number="02/QC"
    )
    make_review(other, user=users.national, indicator_values={"joint_patrols": 7})
    assert agreement.province_id is None and other.province_id is None
    assert stored_totals() == {
        (None, 2023, "joint_patrols"): (Decimal(12), 2),
        (None, 2024, "joint_patrols"): (Decimal(6), 1),
    }
    assert IndicatorTotal.objects.filter(province=None, year=2023).count() == 1


def test_a_review_refused_after_its_figures_were_written_leaves_the_totals(
    make_agreement, make_review
):
    agreement = make_agreement()
    make_review(agreement, indicator_values={"joint_patrols": 12})
    before = list(IndicatorTotal.objects.values_list("year", "total", "figures"))
    # The focus area is checked after the figures are saved: all of it must roll back.
    with pytest.raises(ValidationError):
        make_review(
            agreement,
            year=2024,
            indicator_values={"joint_patrols": 3},
            focus_results={"no-such-area": "Nội dung"},
        )
    assert list(IndicatorTotal.objects.values_list("year", "total", "figures")) == before


def test_a_rebuild_gives_the_totals_the_services_kept(make_agreement, make_review, users, orgs):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12, "fines": 1})
    other = make_agreement([orgs.bg_command, orgs.peoples_committee], number="02/QC-PH")
    make_review(other, year=2024, indicator_values={"joint_patrols": 4})
    review_update(
        review=review,
        user=users.hue_clerk,
        expected_version=review.version,
        year=2022,
        indicator_values={"fines": 9},
    )
    kept, stamp = stored_totals(), data_stamp()
    assert indicator_totals_rebuild() == 3
    assert stored_totals() == kept == live_totals()
    # Cached reports are rendered again after a rebuild, which may have mended a figure.
    assert data_stamp() != stamp


def test_the_check_command_finds_figures_changed_past_the_services(make_agreement, make_review):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    call_command("rebuild_indicator_totals", "--check", stdout=StringIO())
    IndicatorValue.objects.filter(review=review).update(value=13)
    with pytest.raises(CommandError, match="1 stored total"):
        call_command("rebuild_indicator_totals", "--check", stdout=StringIO())
    assert [v[0] for v in stored_totals().values()] == [Decimal(12)]

    out = StringIO()
    call_command("rebuild_indicator_totals", stdout=out)
    assert "rebuilt 1 stored indicator total" in out.getvalue()
    assert (
        stored_totals()
        == live_totals()
        == {(review.agreement.province_id, 2023, "joint_patrols"): (Decimal(13), 1)}
    )
    call_command("rebuild_indicator_totals", "--check", stdout=StringIO())
