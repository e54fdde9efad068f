import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from agreements.models import FocusArea, IndicatorValue, Review, ReviewFocusResult
from agreements.services import review_approve, review_update


@pytest.fixture
def agreement(make_agreement):
    return make_agreement()


def test_an_annual_review_is_recorded_with_its_indicators(agreement, make_review):
    review = make_review(agreement, indicator_values={"joint_patrols": 12})
    assert review.status == Review.Status.DRAFT
    assert review.indicator_values.get().value == 12


def test_it_refuses_a_second_annual_review_for_the_same_year(agreement, make_review, row_counts):
    make_review(agreement, year=2023)
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_review(agreement, year=2023)
    assert exc.value.message_dict["year"] == ["Văn bản này đã có báo cáo sơ kết năm 2023."]
    assert row_counts() == before


def test_the_database_refuses_a_second_annual_review_too(agreement, make_review):
    first = make_review(agreement, year=2023)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            agreement=agreement,
            kind=Review.Kind.ANNUAL,
            year=2023,
            period_start=first.period_start,
            period_end=first.period_end,
        )
    assert Review.objects.filter(agreement=agreement, year=2023).count() == 1


def test_other_years_and_other_kinds_are_fine(agreement, make_review):
    make_review(agreement, year=2023)
    make_review(agreement, year=2024)
    make_review(agreement, year=2023, kind=Review.Kind.MID_TERM)
    assert agreement.reviews.count() == 3


def test_an_edit_cannot_move_a_review_onto_a_taken_year(agreement, make_review, users):
    make_review(agreement, year=2023)
    other = make_review(agreement, year=2024)
    with pytest.raises(ValidationError) as exc:
        review_update(review=other, user=users.hue_clerk, expected_version=other.version, year=2023)
    assert "year" in exc.value.message_dict
    assert Review.objects.get(pk=other.pk).year == 2024


def test_a_review_cannot_precede_the_agreement(agreement, make_review):
    with pytest.raises(ValidationError) as exc:
        make_review(agreement, year=2019)
    assert exc.value.message_dict["year"] == ["Năm sơ kết không thể trước năm văn bản có hiệu lực."]


def test_a_draft_agreement_cannot_be_reviewed(make_agreement, make_review):
    draft = make_agreement(in_force=False)
    with pytest.raises(ValidationError) as exc:
        make_review(draft)
    assert exc.value.message_dict["agreement"] == [
        "Văn bản còn là dự thảo, chưa thể sơ kết, tổng kết."
    ]


def test_it_refuses_a_review_period_that_ends_before_it_starts(agreement, make_review, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_review(
            agreement,
            period_start=datetime.date(2023, 12, 31),
            period_end=datetime.date(2023, 1, 1),
        )
    assert exc.value.message_dict["period_end"] == [
        "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."
    ]
    assert row_counts() == before


def test_a_negative_indicator_value_is_refused_and_nothing_is_written(
    agreement, make_review, row_counts
):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_review(agreement, indicator_values={"joint_patrols": -1})
    assert "indicator_values" in exc.value.message_dict
    assert row_counts() == before
    assert not IndicatorValue.objects.exists()


def test_an_approved_review_is_locked_for_a_clerk(agreement, make_review, users):
    review = make_review(agreement, situation="Ban đầu")
    review_approve(review=review, user=users.hue_official)
    with pytest.raises(PermissionDenied) as exc:
        review_update(
            review=review,
            user=users.hue_clerk,
            expected_version=review.version,
            situation="Sửa sau khi duyệt",
        )
    assert str(exc.value) == "Báo cáo đã được duyệt; chỉ quản trị viên mới có thể sửa."
    assert Review.objects.get(pk=review.pk).situation == "Ban đầu"


def test_an_approved_review_is_editable_by_an_admin(agreement, make_review, users):
    review = make_review(agreement)
    review_approve(review=review, user=users.hue_official)
    review_update(
        review=review,
        user=users.admin,
        expected_version=review.version,
        situation="Bổ sung số liệu",
    )
    review.refresh_from_db()
    assert review.situation == "Bổ sung số liệu"
    assert review.status == Review.Status.APPROVED
    assert review.updated_by == users.admin


def test_approval_records_who_and_when(agreement, make_review, users):
    review = make_review(agreement)
    review_approve(review=review, user=users.hue_official)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.approved_by == users.hue_official
    assert review.approved_at is not None


def test_a_review_cannot_be_approved_twice(agreement, make_review, users):
    review = make_review(agreement)
    review_approve(review=review, user=users.hue_official)
    with pytest.raises(ValidationError) as exc:
        review_approve(review=review, user=users.hue_official)
    assert exc.value.messages == ["Báo cáo này đã được duyệt."]


@pytest.mark.parametrize(
    ("catalogue", "message"),
    [
        ("indicator_values", "Chỉ tiêu “no-such-code” không có trong danh mục."),
        ("focus_results", "Nội dung trọng tâm “no-such-code” không có trong danh mục."),
    ],
)
def test_a_code_outside_the_catalogues_is_refused_and_nothing_is_written(
    agreement, make_review, row_counts, catalogue, message
):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_review(agreement, **{catalogue: {"no-such-code": "1"}})
    assert exc.value.messages == [message]
    assert row_counts() == before


def test_an_emptied_figure_or_result_is_removed_in_the_users_name(agreement, make_review, users):
    area = FocusArea.objects.order_by("pk").first()
    review = make_review(
        agreement,
        indicator_values={"joint_patrols": 12},
        focus_results={area.code: "Trao đổi thông tin."},
    )
    review_update(
        review=review,
        user=users.hue_clerk,
        expected_version=review.version,
        indicator_values={"joint_patrols": ""},
        focus_results={area: "  "},
    )
    assert not review.indicator_values.exists() and not review.focus_results.exists()
    removed = IndicatorValue.history.filter(history_type="-").get()
    assert removed.history_user == users.hue_clerk
    assert ReviewFocusResult.history.filter(history_type="-").get().history_user == (
        users.hue_clerk
    )
