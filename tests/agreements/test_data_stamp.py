"""Data stamps per province: an edit in one province leaves other provinces' caches valid."""

import pytest

from agreements.selectors import data_stamp
from agreements.services import review_update
from reports.selectors import annual_summary_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(make_agreement, make_review, orgs, users):
    hue_agreement = make_agreement()
    ls_agreement = make_agreement(
        [orgs.ls_command, orgs.ls_party], user=users.ls_clerk, number="05/QC-LS"
    )
    ls_review = make_review(ls_agreement, user=users.ls_clerk, indicator_values={"fines": 2})
    return hue_agreement, ls_agreement, ls_review


def stamps(hue, lang_son) -> tuple[str, str, str]:
    return data_stamp(hue.pk), data_stamp(lang_son.pk), data_stamp()


def test_an_edit_in_lang_son_leaves_hues_stamp_alone(two_provinces, hue, lang_son, users):
    _hue_agreement, _ls_agreement, ls_review = two_provinces
    hue_before, ls_before, national_before = stamps(hue, lang_son)
    summary_before = annual_summary_stamp(hue, 2023)

    review_update(
        review=ls_review,
        user=users.ls_clerk,
        indicator_values={"fines": 7},
        expected_version=ls_review.version,
    )

    hue_after, ls_after, national_after = stamps(hue, lang_son)
    assert hue_after == hue_before
    assert annual_summary_stamp(hue, 2023) == summary_before
    assert ls_after != ls_before
    assert national_after != national_before


def test_an_edit_in_hue_moves_hues_stamp(two_provinces, hue, lang_son, make_review):
    hue_agreement, _ls_agreement, _ls_review = two_provinces
    hue_before, ls_before, _national = stamps(hue, lang_son)

    make_review(hue_agreement, year=2024)

    hue_after, ls_after, _national = stamps(hue, lang_son)
    assert hue_after != hue_before
    assert ls_after == ls_before


def test_a_renamed_national_organization_moves_every_provinces_stamp(
    two_provinces, hue, lang_son, orgs
):
    hue_before, ls_before, _national = stamps(hue, lang_son)

    orgs.national.name = "Bộ Tư lệnh BĐBP"
    orgs.national.save()

    hue_after, ls_after, _national = stamps(hue, lang_son)
    assert hue_after != hue_before and ls_after != ls_before


def test_a_province_stamp_costs_a_fixed_handful_of_queries(
    two_provinces, hue, django_assert_num_queries
):
    with django_assert_num_queries(12):
        data_stamp(hue.pk)
