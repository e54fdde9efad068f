"""Writes to agreements and reviews: every status change goes through here.

Each service is keyword-only, atomic, validates with Vietnamese messages before it
writes, and records who made the change in the history tables.
"""

import datetime
import hashlib
from contextlib import contextmanager
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
from units import organization_services
from units.bulk import insert_rows
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


class AgreementBatch:
    """New agreements checked one by one and written together: a spreadsheet import.

    `add` applies validate_agreement to each, against the agreements in force read
    once and those added before it, so a clash within the file is caught as well as
    one with the database; `save` writes the batch with a few queries per table,
    with the same history records (and importing user) agreement_create leaves. New
    agreements have no reviews, so the indicator totals do not move. A caller that
    writes agreements another way in between calls `save` first and `refresh` after.
    """

    def __init__(self, *, user):
        self.user = user
        self.today = _today()
        self.pending: list[tuple[Agreement, AgreementInput, list[AgreementParty]]] = []
        self.in_force_with: dict[str, list[Agreement]] = {}
        self._in_force_key: dict[int, str] = {}
        in_force = Agreement.objects.filter(status=Status.IN_FORCE).only(
            "parties_key", "title", "valid_from", "valid_until"
        )
        for agreement in in_force.order_by("-valid_from", "-id"):
            self._hold(agreement)

    def _hold(self, agreement: Agreement) -> None:
        self.in_force_with.setdefault(agreement.parties_key, []).append(agreement)
        if agreement.pk:
            self._in_force_key[agreement.pk] = agreement.parties_key

    def refresh(self, *, pks) -> None:
        """Read again the agreements a write outside the batch may have changed."""
        for pk in pks:
            key = self._in_force_key.pop(pk, None)
            if key is not None:
                self.in_force_with[key] = [a for a in self.in_force_with[key] if a.pk != pk]
        for agreement in Agreement.objects.filter(pk__in=pks, status=Status.IN_FORCE).only(
            "parties_key", "title", "valid_from", "valid_until"
        ):
            self._hold(agreement)

    def add(self, *, data: AgreementInput, in_force: bool = True) -> Agreement:
        """Validate as agreement_create does and hold the agreement until `save`."""
        if data.supersedes:
            raise ValueError("a batch creates agreements that replace none (agreement_renew does)")
        parties_key = validate_agreement(
            data=data, in_force=in_force, in_force_with=self.in_force_with, today=self.today
        )
        agreement = _new_agreement(
            user=self.user, data=data, parties_key=parties_key, in_force=in_force
        )
        agreement.full_clean(exclude=_TRUSTED_FIELDS, validate_constraints=False)
        agreement.refresh_search_text()
        parties = []
        for order, item in enumerate(data.parties, start=1):
            party = AgreementParty(
                organization_id=item.organization.pk, **_party_values(item, order)
            )
            party.clean_fields(exclude=["agreement", "organization"])
            parties.append(party)
        self.pending.append((agreement, data, parties))
        if in_force:
            self._hold(agreement)
        return agreement

    @transaction.atomic
    def save(self) -> list[Agreement]:
        """Write the held agreements, their links, parties and history records.

        The agreements go through bulk_create, which returns their ids; the rest (links,
        parties and the history copy of each, some fifteen rows per agreement) go in as
        plain rows by units.bulk.insert_rows, each history row a copy of what was just
        stored, read back by id, under one timestamp and the importing user.
        """
        if not self.pending:
            return []
        agreements = Agreement.objects.bulk_create([a for a, _data, _parties in self.pending])
        for agreement in agreements:
            if agreement.status == Status.IN_FORCE:
                self._in_force_key[agreement.pk] = agreement.parties_key
        ids = {agreement.pk for agreement in agreements}
        stamp = (timezone.now(), None, "+", self.user.pk)
        history = self._copy_to_history(Agreement, "id", ids, stamp)
        for name in ("focus_areas", "legal_bases"):
            field = Agreement._meta.get_field(name)
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            insert_rows(
                through,
                [source, target],
                (
                    (a.pk, pk)
                    for a, data, _parties in self.pending
                    # A code named twice is one link, as .set() makes it.
                    for pk in dict.fromkeys(linked.pk for linked in getattr(data, name))
                ),
            )
            # The copies create_historical_record keeps of the links, as agreement_create.
            m2m_history = AGREEMENT_HISTORY.m2m_models[field]
            columns = ["id", source, target]
            insert_rows(
                m2m_history,
                [*columns, "history_id"],
                ((*link, history[link[1]]) for link in _rows_of(through, columns, source, ids)),
            )
        insert_rows(
            AgreementParty,
            ["agreement_id", "organization_id", *_PARTY_COLUMNS],
            (
                (agreement.pk, party.organization_id, *(getattr(party, c) for c in _PARTY_COLUMNS))
                for agreement, _data, items in self.pending
                for party in items
            ),
        )
        self._copy_to_history(AgreementParty, "agreement_id", ids, stamp)
        self.pending = []
        return agreements

    @staticmethod
    def _copy_to_history(model, key: str, ids: set[int], stamp: tuple) -> dict[int, int]:
        """History rows ("+", by the importing user) of `model`'s rows whose `key` is in
        `ids`, copied from the database; returns each record's history_id by its id."""
        history = model.history.model
        tracked = [f.attname for f in history.tracked_fields]
        rows = _rows_of(model, tracked, key, ids)
        insert_rows(
            history,
            [*tracked, "history_date", "history_change_reason", "history_type", "history_user_id"],
            ((*row, *stamp) for row in rows),
        )
        if model is not Agreement:
            return {}
        return dict(_rows_of(history, ["id", "history_id"], "id", ids, history_type="+"))


# The party values AgreementBatch writes besides its agreement and organization.
_PARTY_COLUMNS = ("role", "signatory_name", "signatory_title", "order")


def _rows_of(model, columns, key: str, ids: set[int], **filters) -> list[tuple]:
    """`columns` (among them `key`) of the rows whose `key` is one of `ids`, the new ids
    of one batch: read by their range, one condition whatever their number, keeping only
    those of the batch, as another transaction may have taken ids in between."""
    position = columns.index(key)
    bounds = {f"{key}__gte": min(ids), f"{key}__lte": max(ids)}
    query = model._base_manager.filter(**bounds, **filters)
    return [row for row in query.values_list(*columns).order_by("pk") if row[position] in ids]


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
