"""Writes to reviews (sơ kết, tổng kết): their figures, focus results and approval."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    FocusArea,
    Indicator,
    IndicatorValue,
    Review,
    ReviewFocusResult,
)
from agreements.services.agreements import _bump_version, _check_in_scope, _require_version, _today
from agreements.services.totals import (
    _lock_agreement,
    indicator_contributions,
    indicator_totals_update,
)

Status = Agreement.Status


REVIEW_EDITABLE_FIELDS = (
    "kind",
    "year",
    "period_start",
    "period_end",
    "held_on",
    "held_at",
    "chaired_by",
    "attendees",
    "situation",
    "results_leadership",
    "shortcomings",
    "causes",
    "lessons",
    "directions",
    "proposals",
    "report_number",
    "report_symbol",
    "report_date",
    "report_place",
    "issuing_organization",
    "signer_name",
    "signer_title",
    "signer_on_behalf",
    "recipients",
)


# Reviews -----------------------------------------------------------------------------


def _can_edit_review(review: Review, user) -> bool:
    return review.status != Review.Status.APPROVED or bool(user and user.is_superuser)


def _validate_review(review: Review) -> None:
    errors: dict[str, list[str]] = {}
    if review.period_start and review.period_end and review.period_end < review.period_start:
        errors.setdefault("period_end", []).append(
            _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
        )
    if review.held_on and review.held_on > _today():
        errors.setdefault("held_on", []).append(_("Ngày tổ chức hội nghị không thể ở tương lai."))
    if review.agreement.status == Status.DRAFT:
        errors.setdefault("agreement", []).append(
            _("Văn bản còn là dự thảo, chưa thể sơ kết, tổng kết.")
        )
    if review.kind == Review.Kind.ANNUAL:
        if review.year < review.agreement.valid_from.year:
            errors.setdefault("year", []).append(
                _("Năm sơ kết không thể trước năm văn bản có hiệu lực.")
            )
        duplicate = Review.objects.filter(
            agreement=review.agreement, year=review.year, kind=Review.Kind.ANNUAL
        ).exclude(pk=review.pk)
        if duplicate.exists():
            errors.setdefault("year", []).append(
                _("Văn bản này đã có báo cáo sơ kết năm %(year)s.") % {"year": review.year}
            )
    if errors:
        raise ValidationError(errors)


def _from_catalogue(key, model, by_code: dict, unknown):
    """A catalogue entry given as itself or by its code; an unknown code is refused."""
    entry = key if isinstance(key, model) else by_code.get(key)
    if entry is None:
        raise ValidationError(unknown % {"code": key})
    return entry


def _remove(item, user) -> None:
    """A review's figure or result emptied by the user: deleted, with who did it."""
    if item is not None:
        item._history_user = user
        item.delete()


def _save_indicator_values(review: Review, values: dict, user) -> None:
    """Set indicator values; a blank value removes the figure. Keys: Indicator or code."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    existing = {v.indicator_id: v for v in review.indicator_values.all()}
    for key, raw in values.items():
        indicator = _from_catalogue(
            key, Indicator, indicators, _("Chỉ tiêu “%(code)s” không có trong danh mục.")
        )
        current = existing.get(indicator.pk)
        if raw is None or raw == "":
            _remove(current, user)
            continue
        value = Decimal(str(raw))
        if value < 0:
            raise ValidationError(
                {
                    "indicator_values": _("Giá trị chỉ tiêu “%(name)s” không thể âm.")
                    % {"name": indicator.name}
                }
            )
        if current and current.value == value:
            continue
        item = current or IndicatorValue(review=review, indicator=indicator)
        item.value = value
        item._history_user = user
        # The foreign keys come from the catalogue and the review just saved, and the
        # database enforces the constraints: checking only the value saves two queries.
        item.clean_fields(exclude=["review", "indicator"])
        item.save()


def _save_focus_results(review: Review, results: dict, user) -> None:
    areas = {a.code: a for a in FocusArea.objects.all()}
    existing = {r.focus_area_id: r for r in review.focus_results.all()}
    for key, text in results.items():
        area = _from_catalogue(
            key, FocusArea, areas, _("Nội dung trọng tâm “%(code)s” không có trong danh mục.")
        )
        current = existing.get(area.pk)
        text = (text or "").strip()
        if not text:
            _remove(current, user)
            continue
        if current and current.text == text:
            continue
        item = current or ReviewFocusResult(review=review, focus_area=area)
        item.text = text
        item._history_user = user
        item.save()


@transaction.atomic
def review_create(
    *,
    user,
    agreement: Agreement,
    indicator_values: dict | None = None,
    focus_results: dict | None = None,
    **fields,
) -> Review:
    """Record a review conference and its report; one annual review per agreement and year."""
    review = Review(agreement=agreement, created_by=user, updated_by=user)
    for name, value in fields.items():
        if name not in REVIEW_EDITABLE_FIELDS:
            raise TypeError(f"unexpected review field {name}")
        setattr(review, name, value)
    _validate_review(review)
    review._history_user = user
    review.full_clean()
    _lock_agreement(agreement.pk)
    review.save()
    _save_indicator_values(review, indicator_values or {}, user)
    _save_focus_results(review, focus_results or {}, user)
    indicator_totals_update(before={}, review_ids=[review.pk])
    return review


@transaction.atomic
def review_update(
    *,
    review: Review,
    user,
    expected_version: int,
    indicator_values: dict | None = None,
    focus_results: dict | None = None,
    **fields,
) -> Review:
    """Edit a review; an approved review is locked for everyone but admins.

    Refused if someone else saved it since `expected_version`.
    """
    _require_version(expected_version)
    if not _can_edit_review(review, user):
        raise PermissionDenied(_("Báo cáo đã được duyệt; chỉ quản trị viên mới có thể sửa."))
    # The agreement before the review, the order agreement_update locks them in.
    _lock_agreement(review.agreement_id)
    _bump_version(Review, review, expected_version)
    before = indicator_contributions(review_ids=[review.pk])
    for name, value in fields.items():
        if name not in REVIEW_EDITABLE_FIELDS:
            raise TypeError(f"unexpected review field {name}")
        setattr(review, name, value)
    _validate_review(review)
    review.updated_by = user
    review._history_user = user
    review.full_clean()
    review.save()
    if indicator_values is not None:
        _save_indicator_values(review, indicator_values, user)
    if focus_results is not None:
        _save_focus_results(review, focus_results, user)
    indicator_totals_update(before=before, review_ids=[review.pk])
    return review


@transaction.atomic
def review_approve(*, review: Review, user) -> Review:
    """Approve a review: from now on only admins may change it."""
    if review.status == Review.Status.APPROVED:
        raise ValidationError(_("Báo cáo này đã được duyệt."))
    _bump_version(Review, review, None)
    review.status = Review.Status.APPROVED
    review.approved_by = user
    review.approved_at = timezone.now()
    review.updated_by = user
    review._history_user = user
    review.save()
    return review


@transaction.atomic
def review_delete(*, review: Review, user) -> None:
    """Delete a draft review; its figures leave the stored totals, the history keeps it."""
    _check_in_scope(Review, review, user)
    _lock_agreement(review.agreement_id)
    review.refresh_from_db(from_queryset=Review.objects.select_for_update())
    if review.status != Review.Status.DRAFT:
        raise ValidationError(_("Chỉ có thể xóa báo cáo chưa được duyệt."))
    before = indicator_contributions(review_ids=[review.pk])
    for item in [*review.indicator_values.all(), *review.focus_results.all()]:
        item._history_user = user
        item.delete()
    for attachment in review.attachments.all():
        attachment._history_user = user
        attachment.delete()
    indicator_totals_update(before=before, review_ids=[review.pk])
    review._history_user = user
    review.delete()
