import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import (
    agreement_activate,
    agreement_expire,
    agreement_terminate,
    agreement_update,
    agreements_expire_due,
)

Status = Agreement.Status


def test_a_draft_comes_into_force_when_activated(make_agreement, users):
    draft = make_agreement(in_force=False)
    agreement_activate(agreement=draft, user=users.hue_official)
    draft.refresh_from_db()
    assert draft.status == Status.IN_FORCE
    assert draft.updated_by == users.hue_official
    assert draft.version == 2


def test_an_agreement_in_force_cannot_be_activated_again(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_activate(agreement=agreement, user=users.hue_clerk)
    assert exc.value.messages == [
        "Không thể chuyển văn bản từ trạng thái “Đang có hiệu lực” sang “Đang có hiệu lực”."
    ]


def test_a_terminated_agreement_cannot_return_into_force(make_agreement, users):
    agreement = make_agreement()
    agreement_terminate(
        agreement=agreement, user=users.hue_clerk, reason="mutual", on=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        agreement_activate(agreement=agreement, user=users.hue_clerk)
    assert exc.value.messages == [
        "Không thể chuyển văn bản từ trạng thái “Chấm dứt” sang “Đang có hiệu lực”."
    ]
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED


def test_a_draft_cannot_be_terminated(make_agreement, users):
    draft = make_agreement(in_force=False)
    with pytest.raises(ValidationError) as exc:
        agreement_terminate(agreement=draft, user=users.hue_clerk, reason="mutual")
    assert exc.value.messages == [
        "Không thể chuyển văn bản từ trạng thái “Dự thảo” sang “Chấm dứt”."
    ]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.ended_on is None


def test_termination_records_the_reason_and_the_day(make_agreement, users):
    agreement = make_agreement()
    agreement_terminate(
        agreement=agreement,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.OTHER,
        note="Các bên thống nhất ký quy chế mới",
        on=datetime.date(2024, 3, 1),
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED
    assert agreement.termination_reason == "other"
    assert agreement.termination_note == "Các bên thống nhất ký quy chế mới"
    assert agreement.ended_on == datetime.date(2024, 3, 1)


def test_termination_needs_a_known_reason(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_terminate(agreement=agreement, user=users.hue_clerk, reason="")
    assert exc.value.message_dict["termination_reason"] == ["Hãy chọn lý do chấm dứt."]
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_termination_cannot_precede_the_start(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_terminate(
            agreement=agreement, user=users.hue_clerk, reason="mutual", on=datetime.date(2020, 1, 1)
        )
    assert exc.value.message_dict["ended_on"] == [
        "Ngày chấm dứt không thể trước ngày văn bản có hiệu lực."
    ]


def test_an_agreement_expires_once_its_period_is_over(make_agreement, users):
    agreement = make_agreement()
    agreement_expire(agreement=agreement, user=users.hue_clerk)
    agreement.refresh_from_db()
    assert agreement.status == Status.EXPIRED
    assert agreement.ended_on == agreement.valid_until + datetime.timedelta(days=1)


def test_an_agreement_cannot_expire_before_its_period_ends(make_agreement, users):
    today = timezone.localdate()
    agreement = make_agreement(valid_until=today)
    with pytest.raises(ValidationError) as exc:
        agreement_expire(agreement=agreement, user=users.hue_clerk)
    assert exc.value.messages == ["Văn bản chưa hết thời hạn hiệu lực."]
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE


def test_an_open_ended_agreement_never_expires(make_agreement, users):
    agreement = make_agreement(valid_until=None)
    with pytest.raises(ValidationError):
        agreement_expire(agreement=agreement, user=users.hue_clerk)


def test_expire_due_expires_only_the_agreements_whose_period_is_over(make_agreement, orgs):
    over = make_agreement()
    running = make_agreement([orgs.bg_command, orgs.peoples_committee], valid_until=None)
    draft = make_agreement([orgs.bg_command, orgs.commune_party], in_force=False)
    assert agreements_expire_due() == 1
    assert Agreement.objects.get(pk=over.pk).status == Status.EXPIRED
    assert Agreement.objects.get(pk=running.pk).status == Status.IN_FORCE
    assert Agreement.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_terminated_agreement_cannot_be_edited(make_agreement, make_input, users):
    agreement = make_agreement()
    agreement_terminate(
        agreement=agreement, user=users.hue_clerk, reason="mutual", on=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        agreement_update(
            agreement=agreement,
            user=users.hue_clerk,
            data=make_input(title="Sửa đổi"),
            expected_version=agreement.version,
        )
    assert exc.value.messages == ["Văn bản đã chấm dứt; không thể sửa nội dung."]
    agreement.refresh_from_db()
    assert agreement.title != "Sửa đổi"


def test_an_edit_does_not_change_the_status(make_agreement, make_input, users):
    agreement = make_agreement(in_force=False)
    agreement_update(
        agreement=agreement,
        user=users.hue_clerk,
        data=make_input(title="Sửa"),
        expected_version=agreement.version,
    )
    agreement.refresh_from_db()
    assert agreement.title == "Sửa"
    assert agreement.status == Status.DRAFT
