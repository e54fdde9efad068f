"""Writes to agreements: create, edit, status moves, renewal, deletion, and the
agreements that end when an organization is dissolved.

Each service is keyword-only, atomic, validates with Vietnamese messages before it
writes, and records who made the change in the history tables.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    AGREEMENT_HISTORY,
    Agreement,
    AgreementParty,
    FocusArea,
    LegalDocument,
)
from agreements.services.totals import indicator_contributions, indicator_totals_update
from units import organization_services
from units.models import AdministrativeUnit, Organization
from units.scoping import restrict
from units.versioning import ConcurrentEditError, bump_version

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
    "period_start_year",
    "period_end_year",
    "summary",
    "province",
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
    period_start_year: int | None = None
    period_end_year: int | None = None
    # The agreements this one replaces; they are superseded once it is in force.
    supersedes: list[Agreement] = field(default_factory=list)


# The years a period (giai đoạn) may name: the Border Guard's agreements start after 1959.
TERM_YEARS = (1959, 2100)


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


def _validate_dates(data: AgreementInput, today: datetime.date | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if data.valid_until and data.valid_until <= data.valid_from:
        errors.setdefault("valid_until", []).append(
            _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        )
    start, end = data.period_start_year, data.period_end_year
    for name, year in (("period_start_year", start), ("period_end_year", end)):
        if year is not None and not TERM_YEARS[0] <= year <= TERM_YEARS[1]:
            errors.setdefault(name, []).append(
                _("Năm của giai đoạn phải từ %(first)s đến %(last)s.")
                % {"first": TERM_YEARS[0], "last": TERM_YEARS[1]}
            )
    if end is not None and start is None:
        errors.setdefault("period_start_year", []).append(_("Hãy ghi năm bắt đầu của giai đoạn."))
    elif start is not None and end is not None and end < start:
        errors.setdefault("period_end_year", []).append(
            _("Năm kết thúc giai đoạn không thể trước năm bắt đầu.")
        )
    if data.signed_on:
        if data.signed_on > (today or _today()):
            errors.setdefault("signed_on", []).append(_("Ngày ký không thể ở tương lai."))
        if data.valid_until and data.signed_on > data.valid_until:
            errors.setdefault("signed_on", []).append(
                _("Ngày ký không thể sau ngày hết hiệu lực của văn bản.")
            )
    if errors:
        raise ValidationError(errors)


def _validate_no_overlap(
    *, parties_key: str, valid_from, valid_until, exclude: list[int], in_force=None
) -> None:
    """No two agreements in force between the same parties over overlapping periods.

    `in_force` is the agreements in force with these parties when the caller already
    holds them (a bulk import keeps them in memory); they are read otherwise.
    """
    if in_force is None:
        in_force = Agreement.objects.filter(parties_key=parties_key, status=Status.IN_FORCE).only(
            "title", "valid_from", "valid_until"
        )
    excluded = {pk for pk in exclude if pk}
    for other in in_force:
        if other.pk in excluded:
            continue
        if (valid_until is None or other.valid_from <= valid_until) and (
            other.valid_until is None or other.valid_until >= valid_from
        ):
            raise ValidationError(
                {
                    "parties": _(
                        "Các bên này đã có văn bản đang hiệu lực trong thời gian trùng lặp: "
                        "%(title)s (%(period)s). Hãy gia hạn, thay thế hoặc chấm dứt văn bản đó "
                        "trước."
                    )
                    % {"title": other.title, "period": other.period_label}
                }
            )


def validate_agreement(
    *,
    data: AgreementInput,
    in_force: bool,
    agreement: Agreement | None = None,
    in_force_with=None,
    today: datetime.date | None = None,
) -> str:
    """Every rule an agreement's content must meet; returns its parties key.

    The one home of these rules: agreement_create (agreement None), agreement_update
    and the bulk import (AgreementBatch) all call it. `in_force_with` maps a parties
    key to the agreements in force with those parties, when the caller holds them;
    `today`, the day a batch started, when it checks thousands of rows.
    """
    if agreement is not None:
        _check_not_locked(agreement)
    _validate_dates(data, today)
    _validate_parties(data)
    _validate_supersedes(data, agreement)
    if agreement is not None:
        _validate_links_kept(agreement, data)
    parties_key = _parties_key(data.parties)
    if in_force:
        _validate_no_overlap(
            parties_key=parties_key,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            exclude=[agreement and agreement.pk, *(a.pk for a in data.supersedes)],
            in_force=None if in_force_with is None else in_force_with.get(parties_key, []),
        )
    return parties_key


def _party_values(item: PartyInput, order: int) -> dict:
    return {
        "role": item.role,
        "signatory_name": item.signatory_name,
        "signatory_title": item.signatory_title,
        "order": item.order or order,
    }


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
        values = _party_values(item, order)
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


def _validate_supersedes(data: AgreementInput, agreement: Agreement | None = None) -> None:
    """What an agreement replaces: signed agreements that came into force before it."""
    errors = []
    for old in data.supersedes:
        if agreement is not None and old.pk == agreement.pk:
            errors.append(_("Văn bản không thể thay thế chính nó."))
        elif old.status == Status.DRAFT:
            errors.append(
                _("“%(title)s” còn là dự thảo nên không thể bị thay thế.") % {"title": old.title}
            )
        elif data.valid_from <= old.valid_from:
            errors.append(
                _("Văn bản mới phải có hiệu lực sau ngày văn bản “%(title)s” có hiệu lực.")
                % {"title": old.title}
            )
    if errors:
        raise ValidationError({"supersedes": errors})


def _supersede(new: Agreement, user) -> None:
    """The agreements `new` replaces, still in force or expired, end when it starts.

    One already superseded, or ended early (a partner dissolved), keeps its status:
    it is only linked, as a district regulation replaced by several commune ones is.
    """
    if new.status == Status.DRAFT:
        return
    for old in new.supersedes.filter(status__in=[Status.IN_FORCE, Status.EXPIRED]):
        _transition(old, Status.SUPERSEDED)
        old.ended_on = new.valid_from
        _save_status(old, user)


def _new_agreement(*, user, data: AgreementInput, parties_key: str, in_force: bool) -> Agreement:
    """The unsaved agreement a create writes, with the user its history records."""
    agreement = Agreement(
        kind=data.kind,
        number=data.number,
        title=data.title,
        signed_on=data.signed_on,
        signed_at=data.signed_at,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        period_start_year=data.period_start_year,
        period_end_year=data.period_end_year,
        summary=data.summary,
        province=data.province or _infer_province(data.parties),
        status=Status.IN_FORCE if in_force else Status.DRAFT,
        parties_key=parties_key,
        created_by=user,
        updated_by=user,
    )
    agreement._history_user = user
    return agreement


@transaction.atomic
def agreement_create(*, user, data: AgreementInput, in_force: bool = True) -> Agreement:
    """Record a signed agreement (in force) or a draft; validates every rule first."""
    parties_key = validate_agreement(data=data, in_force=in_force)
    agreement = _new_agreement(user=user, data=data, parties_key=parties_key, in_force=in_force)
    _save_with_relations(agreement, data, created=True)
    _save_parties(agreement, data.parties, user)
    if data.supersedes:
        _supersede(agreement, user)
    return agreement


# Set by the service from objects it holds; checking them again costs a query each.
_TRUSTED_FIELDS = ["province", "created_by", "updated_by"]


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
        # A new agreement has no links to compare with: an empty set costs a query.
        if data.supersedes or not created:
            agreement.supersedes.set(data.supersedes)
    finally:
        del agreement.skip_history_when_saving
    AGREEMENT_HISTORY.create_historical_record(agreement, "+" if created else "~")


def _bump_version(model, obj, expected_version: int | None) -> None:
    """Optimistic lock: claim the next version or fail if someone saved in between.

    Edits of content always name the version they started from (agreement_update,
    review_update) and go through units.versioning.bump_version, the one check every
    service shares; status moves pass None, as they judge the row as it is now.
    """
    if expected_version is not None:
        bump_version(obj, expected_version)
        return
    if model.objects.filter(pk=obj.pk).update(version=F("version") + 1) != 1:
        raise ConcurrentEditError()
    # The copy in hand may be stale; saving its number would move the version
    # backwards and hide the next concurrent edit.
    obj.version = model.objects.values_list("version", flat=True).get(pk=obj.pk)


def _require_version(expected_version) -> None:
    # bool is an int too, and True would pass for version 1.
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise TypeError("expected_version must be the int version the edit started from")


def _validate_links_kept(agreement: Agreement, data: AgreementInput) -> None:
    """A link may go only if its agreement does not stay superseded by nothing."""
    dropped = set(agreement.supersedes.values_list("pk", flat=True)) - {
        a.pk for a in data.supersedes
    }
    orphaned = (
        Agreement.objects.filter(pk__in=dropped, status=Status.SUPERSEDED)
        .exclude(superseded_by__in=Agreement.objects.exclude(pk=agreement.pk))
        .values_list("title", flat=True)
    )
    if orphaned:
        raise ValidationError(
            {
                "supersedes": [
                    _(
                        "“%(title)s” đã chuyển sang được thay thế bởi văn bản này; không thể bỏ liên kết."
                    )
                    % {"title": title}
                    for title in orphaned
                ]
            }
        )


@transaction.atomic
def agreement_update(
    *, agreement: Agreement, user, data: AgreementInput, expected_version: int
) -> Agreement:
    """Edit an agreement's content; refused if someone else saved since `expected_version`."""
    _require_version(expected_version)
    parties_key = validate_agreement(
        data=data, in_force=agreement.status == Status.IN_FORCE, agreement=agreement
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
    if data.supersedes:
        _supersede(agreement, user)
    # A move to another province moves its reviews' figures with it.
    indicator_totals_update(before=before, review_ids=reviews)
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
        exclude=[agreement.pk, *agreement.supersedes.values_list("pk", flat=True)],
    )
    _save_status(agreement, user)
    _supersede(agreement, user)
    return agreement


def _save_status(agreement: Agreement, user) -> Agreement:
    agreement.updated_by = user
    agreement._history_user = user
    _bump_version(Agreement, agreement, None)
    agreement.full_clean()
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
    if data.valid_from <= old.valid_from:
        raise ValidationError(
            {"valid_from": _("Văn bản mới phải có hiệu lực sau ngày văn bản cũ có hiệu lực.")}
        )
    if old not in data.supersedes:
        data.supersedes = [old, *data.supersedes]
    return agreement_create(user=user, data=data)


def _check_in_scope(model, obj, user) -> None:
    # Views fetch through get_scoped_or_404 already; a script or a later view that
    # forgets to must not delete another province's record.
    if not restrict(model.objects.filter(pk=obj.pk), user).exists():
        raise PermissionDenied


@transaction.atomic
def agreement_delete(*, agreement: Agreement, user) -> None:
    """Delete a draft that was never signed; the history keeps it and its parties.

    Anything signed stays on record: it ends by expiry, termination or supersession.
    """
    _check_in_scope(Agreement, agreement, user)
    agreement.refresh_from_db(from_queryset=Agreement.objects.select_for_update())
    if agreement.status != Status.DRAFT:
        raise ValidationError(_("Chỉ có thể xóa văn bản còn là dự thảo."))
    for party in agreement.parties.all():
        party._history_user = user
        party.delete()
    for attachment in agreement.attachments.all():
        attachment._history_user = user
        attachment.delete()
    agreement._history_user = user
    agreement.delete()


@transaction.atomic
def agreement_termination_undo(*, agreement: Agreement, user, reason: str) -> Agreement:
    """An admin takes back a termination recorded by mistake; the reason goes to history.

    The agreement returns to force, or expires if its period has ended meanwhile, and
    must not clash with an agreement that came into force since.
    """
    if not (user and user.is_superuser):
        raise PermissionDenied(_("Chỉ quản trị viên mới có thể hủy việc chấm dứt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do hủy việc chấm dứt.")})
    agreement.refresh_from_db(from_queryset=Agreement.objects.select_for_update())
    if agreement.status != Status.TERMINATED:
        raise ValidationError(_("Văn bản không ở trạng thái chấm dứt."))
    if agreement.valid_until is not None and agreement.valid_until < _today():
        agreement.status = Status.EXPIRED
        agreement.ended_on = agreement.valid_until + datetime.timedelta(days=1)
    else:
        _validate_no_overlap(
            parties_key=agreement.parties_key,
            valid_from=agreement.valid_from,
            valid_until=agreement.valid_until,
            exclude=[agreement.pk, *agreement.supersedes.values_list("pk", flat=True)],
        )
        agreement.status = Status.IN_FORCE
        agreement.ended_on = None
    agreement.termination_reason = ""
    agreement.termination_note = ""
    agreement._change_reason = reason
    return _save_status(agreement, user)


@transaction.atomic
def organization_dissolve(
    *,
    organization: Organization,
    user,
    on: datetime.date,
    expected_version: int,
    successors: list[Organization] | tuple = (),
    terminate_agreements: bool = False,
    note: str = "",
) -> list[Agreement]:
    """Mark an organization dissolved; optionally terminate its in-force agreements.

    Returns the agreements terminated (reason: partner dissolved).
    """
    organization_services.organization_dissolve(
        organization=organization,
        user=user,
        on=on,
        successors=successors,
        expected_version=expected_version,
    )
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
