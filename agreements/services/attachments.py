"""Files attached to agreements and reviews: checked by content, kept when replaced."""

import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    Attachment,
    Review,
)
from agreements.services.agreements import AgreementInput, _check_in_scope, agreement_create

# Attachments -------------------------------------------------------------------------

# Judged by the file's first bytes, never by its name or the browser's claim.
FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in FILE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


@contextmanager
def files_discarded_on_failure():
    """Yield a list to note stored file names in; if the block fails, delete them.

    The rows that pointed to them were rolled back, and a file no record points to
    would stay in storage for ever. Enter it outside the transaction that writes the
    rows, so that transaction has rolled back before the files are judged.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            if not Attachment.objects.filter(file=name).exists():
                storage.delete(name)
        raise


def attachment_add(
    *,
    user,
    uploaded_file,
    agreement: Agreement | None = None,
    review: Review | None = None,
    description: str = "",
) -> Attachment:
    """Store a signed scan or minutes: PDF, JPEG or PNG only, within the size limit, once."""
    with files_discarded_on_failure() as stored:
        return _attachment_store(
            user=user,
            uploaded_file=uploaded_file,
            owner={"agreement": agreement, "review": review},
            description=description,
            stored=stored,
        )


def _check_upload(uploaded_file) -> tuple[str, str]:
    """(content type, SHA-256) of an acceptable upload; refused with the reason otherwise."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {"file": _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("Tệp rỗng.")})
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            {"file": _("Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).")}
        )
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    return content_type, digest.hexdigest()


@transaction.atomic
def _attachment_store(*, user, uploaded_file, owner: dict, description: str, stored: list):
    if len([v for v in owner.values() if v is not None]) != 1:
        raise ValueError("attach to exactly one of agreement or review")
    content_type, sha256 = _check_upload(uploaded_file)
    if Attachment.objects.current().filter(sha256=sha256, **owner).exists():
        raise ValidationError({"file": _("Tệp này đã được tải lên cho bản ghi này.")})
    uploaded_file.seek(0)
    attachment = Attachment(
        **owner,
        original_name=(uploaded_file.name or "tep")[-255:],
        content_type=content_type,
        size=uploaded_file.size,
        sha256=sha256,
        description=description,
        uploaded_by=user,
    )
    # Streamed to storage chunk by chunk, never read whole into memory.
    attachment.file.save(sha256, uploaded_file, save=False)
    stored.append(attachment.file.name)
    attachment._history_user = user
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
    except BaseException:
        # No row points at the stored file: it would be an orphan no view can reach.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user) -> Attachment:
    """Take a file off its record's page; the file and its row stay, for the history."""
    _check_in_scope(Attachment, attachment, user)
    attachment.refresh_from_db(from_queryset=Attachment.objects.select_for_update())
    if attachment.removed_at is not None:
        raise ValidationError(_("Tệp này đã được gỡ bỏ."))
    attachment.removed_at = timezone.now()
    attachment.removed_by = user
    attachment._history_user = user
    attachment.save(update_fields=["removed_at", "removed_by"])
    return attachment


def attachment_replace(
    *, attachment: Attachment, user, uploaded_file, description: str = ""
) -> Attachment:
    """A better scan takes the place of a file, which stays reachable from the history."""
    with files_discarded_on_failure() as stored, transaction.atomic():
        attachment_remove(attachment=attachment, user=user)
        return _attachment_store(
            user=user,
            uploaded_file=uploaded_file,
            owner={"agreement": attachment.agreement, "review": attachment.review},
            description=description or attachment.description,
            stored=stored,
        )


def agreement_create_with_scan(
    *, user, data: AgreementInput, in_force: bool = True, scan, description: str = ""
) -> Agreement:
    """Record an agreement and its signed scan at once: both are kept, or neither."""
    with files_discarded_on_failure() as stored, transaction.atomic():
        agreement = agreement_create(user=user, data=data, in_force=in_force)
        _attachment_store(
            user=user,
            uploaded_file=scan,
            owner={"agreement": agreement},
            description=description,
            stored=stored,
        )
        return agreement
