"""Writes to agreements and reviews: every status change goes through here.

Each service is keyword-only, atomic, validates with Vietnamese messages before it
writes, and records who made the change in the history tables.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    AGREEMENT_HISTORY,
    Agreement,
    AgreementParty,
    Attachment,
    FocusArea,
    Indicator,
    IndicatorTotal,
    IndicatorValue,
    LegalDocument,
    Review,
    ReviewFocusResult,
)
from agreements.selectors import Contributions, TotalKey, figure_contributions
from units.models import AdministrativeUnit, Organization

Status = Agreement.Status

# Status moves an agreement may make, and only through the services below.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.IN_FORCE},
    Status.IN_FORCE: {Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED},
    Status.EXPIRED: {Status.SUPERSEDED},
    Status.TERMINATED: set(),
    Status.SUPERSEDED: set(),
}

# Fields an edit may change; status and its dates only move through transitions.
AGREEMENT_EDITABLE_FIELDS = (
    "kind",
    "number",
    "title",
    "signed_on",
    "signed_at",
    "valid_from",
    "valid_until",
    "summary",
    "province",
)
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


class ConcurrentEditError(ValidationError):
    """Someone else saved the record since this user opened it."""

    def __init__(self):
        super().__init__(
            _(
                "Bản ghi đã được người khác sửa sau khi bạn mở nó. Hãy tải lại trang để "
                "xem bản mới nhất rồi nhập lại thay đổi của bạn."
            ),
            code="concurrent_edit",
        )


@dataclass
class PartyInput:
    organization: Organization
    role: str = AgreementParty.Role.PARTY
    signatory_name: str = ""
    signatory_title: str = ""
    order: int = 0


@dataclass
class AgreementInput:
    kind: str
    title: str
    valid_from: datetime.date
    valid_until: datetime.date | None = None
    number: str = ""
    signed_on: datetime.date | None = None
    signed_at: str = ""
    summary: str = ""
    province: AdministrativeUnit | None = None
    focus_areas: list[FocusArea] = field(default_factory=list)
    legal_bases: list[LegalDocument] = field(default_factory=list)
    parties: list[PartyInput] = field(default_factory=list)


def _today() -> datetime.date:
    return timezone.localdate()


def _parties_key(parties: list[PartyInput]) -> str:
    return ",".join(str(pk) for pk in sorted({p.organization.pk for p in parties}))


def _infer_province(parties: list[PartyInput]) -> AdministrativeUnit | None:
    """The one current province the parties share, or none for a national agreement."""
    provinces = {p.organization.province_id for p in parties if p.organization.province_id}
    if len(provinces) == 1:
        return AdministrativeUnit.objects.get(pk=provinces.pop())
    return None


def _validate_parties(data: AgreementInput) -> None:
    errors = []
    organizations = [p.organization for p in data.parties]
    if len({o.pk for o in organizations}) != len(organizations):
        errors.append(_("Một tổ chức chỉ được ghi một lần trong các bên ký kết."))
    if len({o.pk for o in organizations}) < 2:
        errors.append(_("Văn bản phối hợp phải có ít nhất hai bên ký kết."))
    if data.kind == Agreement.Kind.REGULATION:
        if not any(o.is_border_guard for o in organizations):
            errors.append(
                _(
                    "Quy chế phối hợp phải có ít nhất một bên là Bộ đội Biên phòng (đơn vị hoặc đảng ủy)."
                )
            )
        if not any(o.is_local for o in organizations):
            errors.append(
                _("Quy chế phối hợp phải có ít nhất một bên là cấp ủy, chính quyền địa phương.")
            )
    signing_day = data.signed_on or data.valid_from
    for organization in organizations:
        if organization.dissolved_on and signing_day and signing_day >= organization.dissolved_on:
            errors.append(
                _("%(org)s đã giải thể từ ngày %(date)s nên không thể ký sau ngày đó.")
                % {"org": organization.name, "date": organization.dissolved_on.strftime("%d/%m/%Y")}
            )
    if errors:
        raise ValidationError({"parties": errors})


def _validate_dates(data: AgreementInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.valid_until and data.valid_until <= data.valid_from:
        errors.setdefault("valid_until", []).append(
            _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        )
    if data.signed_on:
        if data.signed_on > _today():
            errors.setdefault("signed_on", []).append(_("Ngày ký không thể ở tương lai."))
        if data.valid_until and data.signed_on > data.valid_until:
            errors.setdefault("signed_on", []).append(
                _("Ngày ký không thể sau ngày hết hiệu lực của văn bản.")
            )
    if errors:
        raise ValidationError(errors)


def _validate_no_overlap(*, parties_key: str, valid_from, valid_until, exclude: list[int]) -> None:
    """No two agreements in force between the same parties over overlapping periods."""
    overlapping = Agreement.objects.filter(parties_key=parties_key, status=Status.IN_FORCE).exclude(
        pk__in=[pk for pk in exclude if pk]
    )
    if valid_until:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    overlapping = overlapping.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    clash = overlapping.first()
    if clash:
        raise ValidationError(
            {
                "parties": _(
                    "Các bên này đã có văn bản đang hiệu lực trong thời gian trùng lặp: "
                    "%(title)s (%(period)s). Hãy gia hạn, thay thế hoặc chấm dứt văn bản đó trước."
                )
                % {"title": clash.title, "period": clash.period_label}
            }
        )


def agreement_validate(*, data: AgreementInput, agreement: Agreement | None = None) -> None:
    """Every rule on an agreement's content, for paths that save by other means (admin).

    The overlap rule binds only agreements in force; without an agreement in hand the
    content is checked as if it were to come into force.
    """
    _validate_dates(data)
    _validate_parties(data)
    if agreement is None or agreement.status == Status.IN_FORCE:
        _validate_no_overlap(
            parties_key=_parties_key(data.parties),
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude=[
                agreement.pk if agreement else None,
                agreement.supersedes_id if agreement else None,
            ],
        )


def _save_parties(agreement: Agreement, parties: list[PartyInput], user) -> None:
    existing = {p.organization_id: p for p in agreement.parties.all()}
    wanted = {p.organization.pk for p in parties}
    for party in existing.values():
        if party.organization_id not in wanted:
            party._history_user = user
            party.delete()
    for order, item in enumerate(parties, start=1):
        party = existing.get(item.organization.pk) or AgreementParty(
            agreement=agreement, organization=item.organization
        )
        values = {
            "role": item.role,
            "signatory_name": item.signatory_name,
            "signatory_title": item.signatory_title,
            "order": item.order or order,
        }
        if party.pk and all(getattr(party, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(party, key, value)
        party._history_user = user
        # Organizations were checked (distinct, not dissolved) by _validate_parties.
        party.clean_fields(exclude=["agreement", "organization"])
        party.save()


def _check_not_locked(agreement: Agreement) -> None:
    if agreement.is_locked_status:
        raise ValidationError(
            _("Văn bản đã %(status)s; không thể sửa nội dung.")
            % {"status": agreement.get_status_display().lower()}
        )


@transaction.atomic
def agreement_create(
    *, user, data: AgreementInput, in_force: bool = True, supersedes: Agreement | None = None
) -> Agreement:
    """Record a signed agreement (in force) or a draft; validates every rule first."""
    _validate_dates(data)
    _validate_parties(data)
    parties_key = _parties_key(data.parties)
    if in_force:
        _validate_no_overlap(
            parties_key=parties_key,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude=[supersedes.pk if supersedes else None],
        )
    agreement = Agreement(
        kind=data.kind,
        number=data.number,
        title=data.title,
        signed_on=data.signed_on,
        signed_at=data.signed_at,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        summary=data.summary,
        province=data.province or _infer_province(data.parties),
        status=Status.IN_FORCE if in_force else Status.DRAFT,
        supersedes=supersedes,
        parties_key=parties_key,
        created_by=user,
        updated_by=user,
    )
    agreement._history_user = user
    _save_with_relations(agreement, data, created=True)
    _save_parties(agreement, data.parties, user)
    return agreement


# Set by the service from objects it holds; checking them again costs a query each.
_TRUSTED_FIELDS = ["supersedes", "province", "created_by", "updated_by"]


def _save_with_relations(agreement: Agreement, data: AgreementInput, *, created: bool) -> None:
    """Save an agreement with its focus areas and legal bases as one history record.

    simple_history would otherwise write a record, with a copy of every
    many-to-many row, for the save and again for each `.set()`. The rules the
    check constraints express were validated above; the database still enforces them.
    """
    agreement.full_clean(exclude=_TRUSTED_FIELDS, validate_constraints=False)
    agreement.skip_history_when_saving = True
    try:
        agreement.save()
        agreement.focus_areas.set(data.focus_areas)
        agreement.legal_bases.set(data.legal_bases)
    finally:
        del agreement.skip_history_when_saving
    AGREEMENT_HISTORY.create_historical_record(agreement, "+" if created else "~")


def _bump_version(model, obj, expected_version: int | None) -> None:
    """Optimistic lock: claim the next version or fail if someone saved in between."""
    query = model.objects.filter(pk=obj.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if query.update(version=F("version") + 1) != 1:
        raise ConcurrentEditError()
    # Without an expected version the copy in hand may be stale; saving its number
    # would move the version backwards and hide the next concurrent edit.
    obj.version = model.objects.values_list("version", flat=True).get(pk=obj.pk)


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, user, data: AgreementInput, expected_version: int | None = None
) -> Agreement:
    """Edit an agreement's content; refused if someone else saved since `expected_version`."""
    _check_not_locked(agreement)
    _validate_dates(data)
    _validate_parties(data)
    parties_key = _parties_key(data.parties)
    if agreement.status == Status.IN_FORCE:
        _validate_no_overlap(
            parties_key=parties_key,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude=[agreement.pk, agreement.supersedes_id],
        )
    _bump_version(Agreement, agreement, expected_version)
    reviews = list(agreement.reviews.values_list("pk", flat=True))
    before = indicator_contributions(review_ids=reviews)
    for name in AGREEMENT_EDITABLE_FIELDS:
        setattr(agreement, name, getattr(data, name))
    if agreement.province is None:
        agreement.province = _infer_province(data.parties)
    agreement.parties_key = parties_key
    agreement.updated_by = user
    agreement._history_user = user
    _save_with_relations(agreement, data, created=False)
    _save_parties(agreement, data.parties, user)
    # A move to another province moves its reviews' figures with it.
    indicator_totals_update(before=before, review_ids=reviews)
    return agreement


@transaction.atomic
def agreement_parties_recorded(*, agreement: Agreement, user) -> Agreement:
    """Bring the agreement's key of parties in line with its party rows, once they were
    edited elsewhere (the admin's party inline): with history and a new version, so an
    edit form opened before is refused rather than saved over the change."""
    stored = AgreementParty.objects.filter(agreement=agreement).values_list(
        "organization_id", flat=True
    )
    key = ",".join(str(pk) for pk in sorted(set(stored)))
    if agreement.parties_key == key:
        return agreement
    _bump_version(Agreement, agreement, None)
    agreement.parties_key = key
    agreement.updated_by = user
    agreement._history_user = user
    agreement.save(update_fields=["parties_key", "version", "updated_by", "updated_at"])
    return agreement


def _transition(agreement: Agreement, target: str) -> None:
    # Judge the move, and save afterwards, from the row as it is now: a copy opened
    # earlier would undo edits made since, or end an already ended agreement again.
    agreement.refresh_from_db(from_queryset=Agreement.objects.select_for_update())
    if target not in ALLOWED_TRANSITIONS[agreement.status]:
        raise ValidationError(
            _("Không thể chuyển văn bản từ trạng thái “%(from)s” sang “%(to)s”.")
            % {"from": agreement.get_status_display(), "to": Status(target).label}
        )
    agreement.status = target


@transaction.atomic
def agreement_activate(*, agreement: Agreement, user) -> Agreement:
    """A draft was signed: it comes into force."""
    _transition(agreement, Status.IN_FORCE)
    _validate_no_overlap(
        parties_key=agreement.parties_key,
        valid_from=agreement.valid_from,
        valid_until=agreement.valid_until,
        exclude=[agreement.pk, agreement.supersedes_id],
    )
    return _save_status(agreement, user)


def _save_status(agreement: Agreement, user) -> Agreement:
    agreement.updated_by = user
    agreement._history_user = user
    _bump_version(Agreement, agreement, None)
    agreement.full_clean(exclude=["supersedes"])
    agreement.save()
    return agreement


@transaction.atomic
def agreement_terminate(
    *,
    agreement: Agreement,
    user,
    reason: str,
    note: str = "",
    on: datetime.date | None = None,
) -> Agreement:
    """End an agreement early, with a reason (e.g. a party was dissolved)."""
    on = on or _today()
    if reason not in Agreement.TerminationReason.values:
        raise ValidationError({"termination_reason": _("Hãy chọn lý do chấm dứt.")})
    if on < agreement.valid_from:
        raise ValidationError(
            {"ended_on": _("Ngày chấm dứt không thể trước ngày văn bản có hiệu lực.")}
        )
    _transition(agreement, Status.TERMINATED)
    agreement.termination_reason = reason
    agreement.termination_note = note
    agreement.ended_on = on
    return _save_status(agreement, user)


@transaction.atomic
def agreement_expire(*, agreement: Agreement, user=None) -> Agreement:
    """An agreement whose period is over expires: out of force from the day after its last."""
    if agreement.valid_until is None or agreement.valid_until >= _today():
        raise ValidationError(_("Văn bản chưa hết thời hạn hiệu lực."))
    _transition(agreement, Status.EXPIRED)
    agreement.ended_on = agreement.valid_until + datetime.timedelta(days=1)
    return _save_status(agreement, user)


def agreements_expire_due(*, user=None) -> int:
    """Expire every in-force agreement whose period ended; returns how many."""
    due = Agreement.objects.filter(status=Status.IN_FORCE, valid_until__lt=_today())
    count = 0
    for agreement in due:
        agreement_expire(agreement=agreement, user=user)
        count += 1
    return count


@transaction.atomic
def agreement_renew(*, old: Agreement, user, data: AgreementInput) -> Agreement:
    """A new agreement replaces `old`, which becomes superseded at the new one's start."""
    if Status.SUPERSEDED not in ALLOWED_TRANSITIONS[old.status]:
        raise ValidationError(
            _("Chỉ văn bản đang hiệu lực hoặc đã hết hiệu lực mới có thể được thay thế.")
        )
    if hasattr(old, "superseded_by"):
        raise ValidationError(_("Văn bản này đã được thay thế bởi một văn bản khác."))
    if data.valid_from <= old.valid_from:
        raise ValidationError(
            {"valid_from": _("Văn bản mới phải có hiệu lực sau ngày văn bản cũ có hiệu lực.")}
        )
    new = agreement_create(user=user, data=data, supersedes=old)
    _transition(old, Status.SUPERSEDED)
    old.ended_on = data.valid_from
    _save_status(old, user)
    return new


@transaction.atomic
def organization_dissolve(
    *,
    organization: Organization,
    user,
    on: datetime.date,
    successor: Organization | None = None,
    terminate_agreements: bool = False,
    note: str = "",
) -> list[Agreement]:
    """Mark an organization dissolved; optionally terminate its in-force agreements.

    Returns the agreements terminated (reason: partner dissolved).
    """
    if organization.founded_on and on < organization.founded_on:
        raise ValidationError({"dissolved_on": _("Ngày giải thể không thể trước ngày thành lập.")})
    if successor is not None and successor.pk == organization.pk:
        raise ValidationError({"successor": _("Tổ chức không thể tự kế thừa chính mình.")})
    organization.dissolved_on = on
    organization.successor = successor
    organization._history_user = user
    organization.full_clean()
    organization.save()
    terminated = []
    if terminate_agreements:
        # An agreement that already ran its full term expires; it is not terminated.
        in_force = (
            Agreement.objects.filter(status=Status.IN_FORCE, parties__organization=organization)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .distinct()
        )
        for agreement in in_force:
            terminated.append(
                agreement_terminate(
                    agreement=agreement,
                    user=user,
                    reason=Agreement.TerminationReason.PARTNER_DISSOLVED,
                    note=note
                    or _("%(org)s giải thể từ ngày %(date)s.")
                    % {"org": organization.name, "date": on.strftime("%d/%m/%Y")},
                    on=max(on, agreement.valid_from),
                )
            )
    return terminated


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


def _save_indicator_values(review: Review, values: dict, user) -> None:
    """Set indicator values; a blank value removes the figure. Keys: Indicator or code."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    existing = {v.indicator_id: v for v in review.indicator_values.all()}
    for key, raw in values.items():
        indicator = key if isinstance(key, Indicator) else indicators.get(key)
        if indicator is None:
            raise ValidationError(_("Chỉ tiêu “%(code)s” không có trong danh mục.") % {"code": key})
        current = existing.get(indicator.pk)
        if raw is None or raw == "":
            if current:
                current._history_user = user
                current.delete()
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
        area = key if isinstance(key, FocusArea) else areas.get(key)
        if area is None:
            raise ValidationError(
                _("Nội dung trọng tâm “%(code)s” không có trong danh mục.") % {"code": key}
            )
        current = existing.get(area.pk)
        text = (text or "").strip()
        if not text:
            if current:
                current._history_user = user
                current.delete()
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
    expected_version: int | None = None,
    indicator_values: dict | None = None,
    focus_results: dict | None = None,
    **fields,
) -> Review:
    """Edit a review; an approved review is locked for everyone but admins."""
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


# Stored indicator totals --------------------------------------------------------------


def indicator_contributions(*, review_ids) -> Contributions:
    """What these reviews add to the stored totals now; taken before a write changes them.

    The reviews' rows are locked first (PostgreSQL; SQLite lets one writer in at a
    time anyway), so no other writer can change their figures between this reading and
    the one indicator_totals_update takes after the write.
    """
    ids = sorted(set(review_ids))
    if not ids:
        return {}
    list(Review.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    return figure_contributions(IndicatorValue.objects.filter(review_id__in=ids))


def _lock_agreement(agreement_id: int) -> None:
    """Hold the agreement's province still while its reviews' figures are counted.

    Inserting a review only takes a key-share lock on its agreement, which does not wait
    for an agreement_update moving it to another province; this lock does.
    """
    list(Agreement.objects.select_for_update(no_key=True).filter(pk=agreement_id).values_list("pk"))


def indicator_totals_update(*, before: Contributions, review_ids) -> None:
    """Apply to the stored totals the difference these reviews' write made.

    Deltas added in the database (total = total + delta) rather than totals written
    back, so two writers in different transactions cannot undo each other: the row
    lock serialises them and additions commute. Rows are created first with
    INSERT ... ON CONFLICT DO NOTHING, which waits for a concurrent insert of the
    same key instead of failing, then locked in one order (province, year, indicator)
    before they are updated, which keeps two writers from waiting on each other.
    """
    after = indicator_contributions(review_ids=review_ids)
    none = (Decimal(0), 0)
    deltas: dict[TotalKey, tuple[Decimal, int]] = {}
    for key in before.keys() | after.keys():
        (old_total, old_n), (new_total, new_n) = before.get(key, none), after.get(key, none)
        if (old_total, old_n) != (new_total, new_n):
            deltas[key] = (new_total - old_total, new_n - old_n)
    if not deltas:
        return
    keys = sorted(deltas, key=lambda k: (k[0] is None, k[0] or 0, k[1], k[2]))
    IndicatorTotal.objects.bulk_create(
        [IndicatorTotal(province_id=p, year=y, indicator_id=i) for p, y, i in keys],
        ignore_conflicts=True,
    )
    groups: dict[tuple[int | None, int], list[TotalKey]] = {}
    for key in keys:
        groups.setdefault(key[:2], []).append(key)
    rows = Q()
    for (province, year), group in groups.items():
        rows |= Q(province_id=province, year=year, indicator_id__in=[k[2] for k in group])
    list(
        IndicatorTotal.objects.select_for_update()
        .filter(rows)
        .order_by(F("province_id").asc(nulls_last=True), "year", "indicator_id")
        .values_list("pk")
    )
    for (province, year), group in groups.items():
        IndicatorTotal.objects.filter(
            province_id=province, year=year, indicator_id__in=[k[2] for k in group]
        ).update(
            total=F("total")
            + Case(
                *[When(indicator_id=k[2], then=Value(deltas[k][0])) for k in group],
                output_field=DecimalField(max_digits=18, decimal_places=2),
            ),
            figures=F("figures")
            + Case(
                *[When(indicator_id=k[2], then=Value(deltas[k][1])) for k in group],
                output_field=IntegerField(),
            ),
        )


@transaction.atomic
def indicator_totals_rebuild() -> int:
    """Recompute every stored total from the figures; for bulk loads that skip services.

    Writers wait for the rebuild (on PostgreSQL the table is locked; SQLite lets one
    writer in at a time), so none adds its difference to a row about to be replaced.
    The new rows' ids change the data stamp, so cached reports are rendered again.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {IndicatorTotal._meta.db_table} IN EXCLUSIVE MODE")
    IndicatorTotal.objects.all().delete()
    rows = [
        IndicatorTotal(province_id=p, year=y, indicator_id=i, total=total, figures=n)
        for (p, y, i), (total, n) in figure_contributions(IndicatorValue.objects.all()).items()
    ]
    IndicatorTotal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


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


def attachment_add(
    *,
    user,
    uploaded_file,
    agreement: Agreement | None = None,
    review: Review | None = None,
    description: str = "",
) -> Attachment:
    """Store a signed scan or minutes: PDF, JPEG or PNG only, within the size limit, once."""
    if (agreement is None) == (review is None):
        raise ValueError("attach to exactly one of agreement or review")
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
    sha256 = digest.hexdigest()
    owner = {"agreement": agreement} if agreement else {"review": review}
    if Attachment.objects.filter(sha256=sha256, **owner).exists():
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
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
    except BaseException:
        # No row points at the stored file: it would be an orphan no view can reach.
        attachment.file.delete(save=False)
        raise
    return attachment
