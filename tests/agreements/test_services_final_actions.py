"""Deleting drafts, undoing a termination, and removing or replacing a file."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import Agreement, AgreementParty, Attachment, IndicatorTotal, Review

from .test_attachments import PDF, PNG

Status = Agreement.Status


def upload(content=PDF, name="ban-ky.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_draft_is_deleted_with_its_parties_and_its_history_kept(make_agreement, users):
    draft = make_agreement(in_force=False)
    pk = draft.pk

    services.agreement_delete(agreement=draft, user=users.hue_clerk)

    assert not Agreement.objects.filter(pk=pk).exists()
    assert not AgreementParty.objects.filter(agreement_id=pk).exists()
    deleted = Agreement.history.filter(id=pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", users.hue_clerk)
    parties = AgreementParty.history.filter(agreement_id=pk, history_type="-")
    assert {p.history_user for p in parties} == {users.hue_clerk}


def test_a_signed_agreement_cannot_be_deleted(make_agreement, users):
    agreement = make_agreement()
    with pytest.raises(ValidationError, match="dự thảo"):
        services.agreement_delete(agreement=agreement, user=users.hue_clerk)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_another_provinces_draft_cannot_be_deleted(make_agreement, users):
    draft = make_agreement(in_force=False)
    with pytest.raises(PermissionDenied):
        services.agreement_delete(agreement=draft, user=users.ls_clerk)
    assert Agreement.objects.filter(pk=draft.pk).exists()


def test_a_draft_review_is_deleted_and_leaves_the_totals(make_agreement, make_review, users):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    pk = review.pk
    assert IndicatorTotal.objects.get().total == 12

    services.review_delete(review=review, user=users.hue_clerk)

    assert not Review.objects.filter(pk=pk).exists()
    assert IndicatorTotal.objects.get().figures == 0
    deleted = Review.history.filter(id=pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", users.hue_clerk)


def test_an_approved_review_cannot_be_deleted(make_agreement, make_review, users):
    review = make_review(make_agreement())
    services.review_approve(review=review, user=users.hue_official)
    with pytest.raises(ValidationError, match="chưa được duyệt"):
        services.review_delete(review=review, user=users.admin)
    assert Review.objects.filter(pk=review.pk).exists()


def test_an_admin_undoes_a_termination_with_the_reason_in_history(make_agreement, users):
    agreement = make_agreement(valid_until=None)
    services.agreement_terminate(
        agreement=agreement, user=users.hue_clerk, reason="mutual", on=datetime.date(2024, 1, 1)
    )

    services.agreement_termination_undo(
        agreement=agreement, user=users.admin, reason="Chấm dứt nhầm văn bản"
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_on, agreement.termination_reason) == (
        Status.IN_FORCE,
        None,
        "",
    )
    latest = agreement.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (
        users.admin,
        "Chấm dứt nhầm văn bản",
    )


def test_an_undone_termination_of_an_ended_period_expires(make_agreement, users):
    agreement = make_agreement()  # valid until 31/12/2025, in the past
    services.agreement_terminate(
        agreement=agreement, user=users.hue_clerk, reason="mutual", on=datetime.date(2024, 1, 1)
    )
    services.agreement_termination_undo(agreement=agreement, user=users.admin, reason="Nhầm")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ended_on) == (Status.EXPIRED, datetime.date(2026, 1, 1))


def test_only_an_admin_may_undo_a_termination_and_only_with_a_reason(make_agreement, users):
    agreement = make_agreement(valid_until=None)
    services.agreement_terminate(agreement=agreement, user=users.hue_clerk, reason="mutual")
    with pytest.raises(PermissionDenied):
        services.agreement_termination_undo(
            agreement=agreement, user=users.hue_clerk, reason="Nhầm"
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.agreement_termination_undo(agreement=agreement, user=users.admin, reason=" ")
    agreement.refresh_from_db()
    assert agreement.status == Status.TERMINATED


def test_a_removed_file_is_kept_and_may_be_uploaded_again(make_agreement, users, files_in_tmp):
    agreement = make_agreement()
    first = services.attachment_add(
        user=users.hue_clerk, uploaded_file=upload(), agreement=agreement
    )

    services.attachment_remove(attachment=first, user=users.hue_clerk)

    first.refresh_from_db()
    assert first.removed_by == users.hue_clerk
    assert first.file.storage.exists(first.file.name)
    assert list(agreement.attachments.current()) == []
    again = services.attachment_add(
        user=users.hue_clerk, uploaded_file=upload(), agreement=agreement
    )
    assert list(agreement.attachments.current()) == [again]
    assert first.history.latest("history_id").removed_at is not None


def test_a_replaced_file_stays_reachable_and_the_new_one_is_shown(
    make_agreement, users, files_in_tmp
):
    agreement = make_agreement()
    old = services.attachment_add(user=users.hue_clerk, uploaded_file=upload(), agreement=agreement)

    new = services.attachment_replace(
        attachment=old, user=users.hue_clerk, uploaded_file=upload(PNG, "ro-hon.png")
    )

    assert list(agreement.attachments.current()) == [new]
    assert list(agreement.attachments.removed()) == [old]
    assert old.file.storage.exists(old.file.name)


def test_a_refused_replacement_keeps_the_old_file_shown(make_agreement, users, files_in_tmp):
    agreement = make_agreement()
    old = services.attachment_add(user=users.hue_clerk, uploaded_file=upload(), agreement=agreement)
    with pytest.raises(ValidationError):
        services.attachment_replace(
            attachment=old, user=users.hue_clerk, uploaded_file=upload(b"not a scan", "x.pdf")
        )
    old.refresh_from_db()
    assert old.removed_at is None


def test_an_agreement_and_its_scan_are_created_together(make_input, users, files_in_tmp):
    agreement = services.agreement_create_with_scan(
        user=users.hue_clerk, data=make_input(), scan=upload(), description="Bản ký"
    )
    attachment = agreement.attachments.get()
    assert (attachment.description, attachment.uploaded_by) == ("Bản ký", users.hue_clerk)


def test_a_failure_after_the_scan_was_stored_removes_the_file(
    make_input, users, files_in_tmp, row_counts
):
    before = row_counts()
    media = files_in_tmp / "media"
    with (
        mock.patch.object(Attachment, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.agreement_create_with_scan(user=users.hue_clerk, data=make_input(), scan=upload())
    assert row_counts() == before
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_a_refused_scan_leaves_no_agreement(make_input, users, files_in_tmp, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        services.agreement_create_with_scan(
            user=users.hue_clerk, data=make_input(), scan=upload(b"GIF89a", "x.gif")
        )
    assert "file" in error.value.message_dict
    assert row_counts() == before
