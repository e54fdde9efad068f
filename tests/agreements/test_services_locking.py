import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, Review
from agreements.services import (
    ConcurrentEditError,
    agreement_terminate,
    agreement_update,
    review_approve,
    review_update,
)


def test_a_stale_agreement_edit_is_refused_and_overwrites_nothing(
    make_agreement, make_input, users
):
    agreement = make_agreement()
    opened_by_clerk = Agreement.objects.get(pk=agreement.pk)
    opened_by_admin = Agreement.objects.get(pk=agreement.pk)
    agreement_update(
        agreement=opened_by_admin,
        user=users.admin,
        data=make_input(title="Bản của quản trị viên"),
        expected_version=1,
    )
    with pytest.raises(ConcurrentEditError) as exc:
        agreement_update(
            agreement=opened_by_clerk,
            user=users.hue_clerk,
            data=make_input(title="Bản của cán bộ"),
            expected_version=1,
        )
    assert exc.value.code == "concurrent_edit"
    assert exc.value.messages[0].startswith("Bản ghi đã được người khác sửa sau khi bạn mở nó.")
    agreement.refresh_from_db()
    assert agreement.title == "Bản của quản trị viên"
    assert agreement.version == 2
    assert agreement.updated_by == users.admin


def test_an_edit_with_the_current_version_goes_through(make_agreement, make_input, users):
    agreement = make_agreement()
    agreement_update(
        agreement=agreement, user=users.hue_clerk, data=make_input(title="Sửa"), expected_version=1
    )
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("Sửa", 2)


def test_a_stale_review_edit_is_refused_and_overwrites_nothing(make_agreement, make_review, users):
    review = make_review(make_agreement(), situation="Ban đầu")
    review_update(review=review, user=users.hue_clerk, expected_version=1, situation="Lần một")
    stale = Review.objects.get(pk=review.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        review_update(review=stale, user=users.hue_official, expected_version=1, situation="Cũ")
    review.refresh_from_db()
    assert review.situation == "Lần một"
    assert review.version == 2


def test_an_approval_makes_an_open_edit_stale(make_agreement, make_review, users):
    review = make_review(make_agreement())
    review_approve(review=Review.objects.get(pk=review.pk), user=users.hue_official)
    with pytest.raises(ConcurrentEditError):
        review_update(review=review, user=users.admin, expected_version=1, situation="Muộn")
    assert Review.objects.get(pk=review.pk).situation == ""


@pytest.mark.parametrize("version", [None, "1", True])
def test_an_edit_must_name_the_version_it_started_from(
    make_agreement, make_review, make_input, users, version
):
    agreement = make_agreement()
    review = make_review(agreement)
    with pytest.raises(TypeError):
        agreement_update(
            agreement=agreement,
            user=users.admin,
            data=make_input(title="Không phiên bản"),
            expected_version=version,
        )
    with pytest.raises(TypeError):
        agreement_update(agreement=agreement, user=users.admin, data=make_input(title="Thiếu"))
    with pytest.raises(TypeError):
        review_update(review=review, user=users.admin, expected_version=version, situation="X")
    agreement.refresh_from_db()
    review.refresh_from_db()
    assert (agreement.title, agreement.version, review.version) == (
        "Quy chế phối hợp giữa Ban Chỉ huy BĐBP và Thành ủy Huế",
        1,
        1,
    )


def test_a_status_change_on_a_stale_copy_keeps_the_latest_content(
    make_agreement, make_input, users
):
    agreement = make_agreement()
    opened_earlier = Agreement.objects.get(pk=agreement.pk)
    agreement_update(
        agreement=agreement, user=users.admin, data=make_input(title="Đã sửa"), expected_version=1
    )
    agreement_terminate(
        agreement=opened_earlier,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=datetime.date(2024, 1, 1),
    )
    agreement.refresh_from_db()
    assert (agreement.title, agreement.status, agreement.version) == ("Đã sửa", "terminated", 3)


def test_a_stale_copy_cannot_end_an_agreement_twice(make_agreement, users):
    agreement = make_agreement()
    opened_earlier = Agreement.objects.get(pk=agreement.pk)
    agreement_terminate(
        agreement=agreement, user=users.admin, reason="mutual", on=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        agreement_terminate(
            agreement=opened_earlier,
            user=users.hue_clerk,
            reason="other",
            on=datetime.date(2024, 6, 1),
        )
    agreement.refresh_from_db()
    assert (agreement.termination_reason, agreement.ended_on) == (
        "mutual",
        datetime.date(2024, 1, 1),
    )
