"""Writes for deadlines: due-day overrides, directives and their reports, notices, digests."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementParty, Review
from agreements.selectors import agreements_expiring
from deadlines import selectors
from deadlines.models import (
    Directive,
    DirectiveReport,
    Notice,
    NoticePreference,
    ReviewDueOverride,
)
from units.models import Level, Organization, User
from units.roles import DATA_ENTRY, OFFICIAL

# Due-day overrides and directives ---------------------------------------------------


@transaction.atomic
def review_due_override_set(
    *, agreement: Agreement, month: int | None, day: int | None, note: str = "", user=None
) -> ReviewDueOverride | None:
    """Give an agreement its own review due day, or (no month) return it to its kind's.
    `user` is recorded in the history as who made the change."""
    override = ReviewDueOverride.objects.filter(agreement=agreement).first()
    if month is None:
        if override is not None:
            override._history_user = user
            override.delete()
        return None
    override = override or ReviewDueOverride(agreement=agreement)
    override.month, override.day, override.note = month, day, note
    override._history_user = user
    override.full_clean()
    override.save()
    return override


@transaction.atomic
def directive_save(*, directive: Directive) -> Directive:
    """Create or change a directive after checking every rule (admin and demo use it)."""
    directive.full_clean()
    directive.save()
    return directive


@transaction.atomic
def directive_report_record(
    *,
    directive: Directive,
    organization: Organization,
    year: int,
    received_on: datetime.date,
    user,
    review: Review | None = None,
    file: UploadedFile | None = None,
    note: str = "",
) -> DirectiveReport:
    """Record the yearly report an organization bound by the directive made under it."""
    errors = {}
    if (
        not selectors.bound_organizations(directive, on=received_on)
        .filter(pk=organization.pk)
        .exists()
    ):
        errors["organization"] = _("Tổ chức này không thuộc đối tượng của chỉ thị.")
    if (
        review is not None
        and not review.agreement.parties.filter(organization=organization).exists()
    ):
        errors["review"] = _("Hội nghị sơ kết này không phải của tổ chức đã chọn.")
    if year < directive.issued_on.year:
        errors["year"] = _("Năm báo cáo trước năm ban hành chỉ thị.")
    if errors:
        raise ValidationError(errors)
    report = DirectiveReport(
        directive=directive,
        organization=organization,
        year=year,
        received_on=received_on,
        review=review,
        note=note,
        recorded_by=user,
    )
    if file is not None:
        report.file = file
    report.full_clean()
    report.save()
    return report


# Notices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Something to tell the data-entry staff and officials of a province about."""

    kind: str
    subject: str
    province_id: int | None
    agreement_id: int | None = None
    directive_id: int | None = None
    organization_id: int | None = None
    year: int | None = None
    due_on: datetime.date | None = None
    count: int | None = None


def _review_subjects(on: datetime.date) -> list[Subject]:
    """Reviews due within the notice days, and those whose due day passed within a year."""
    ahead = on + datetime.timedelta(days=settings.DEADLINES_NOTICE_DAYS)
    subjects = []
    for year in (on.year - 2, on.year - 1, on.year):
        for o in selectors.missing_obligations(Agreement.objects.all(), year=year, today=on):
            if on <= o.due_on <= ahead:
                kind = Notice.Kind.REVIEW_DUE
            elif o.due_on < on and (on - o.due_on).days <= 365:
                kind = Notice.Kind.REVIEW_OVERDUE
            else:
                continue
            subjects.append(
                Subject(
                    kind=kind,
                    subject=f"agreement:{o.agreement_id}:{year}",
                    province_id=o.province_id,
                    agreement_id=o.agreement_id,
                    year=year,
                    due_on=o.due_on,
                )
            )
    return subjects


def _expiring_subjects(on: datetime.date) -> list[Subject]:
    expiring = agreements_expiring(
        Agreement.objects.all(), months=settings.DEADLINES_EXPIRING_MONTHS, today=on
    )
    return [
        Subject(
            kind=Notice.Kind.AGREEMENT_EXPIRING,
            subject=f"agreement:{pk}:{valid_until:%Y-%m-%d}",
            province_id=province_id,
            agreement_id=pk,
            due_on=valid_until,
        )
        for pk, province_id, valid_until in expiring.values_list("pk", "province_id", "valid_until")
    ]


def _directive_subjects(on: datetime.date) -> list[Subject]:
    subjects = []
    ahead = on + datetime.timedelta(days=settings.DEADLINES_NOTICE_DAYS)
    for directive in Directive.objects.filter(issued_on__lte=on):
        year, due_on = selectors.directive_report_due(directive, on)
        if due_on > ahead:
            continue
        rows = selectors.directive_compliance(directive, on=on, year=year)
        subjects.append(
            Subject(
                kind=Notice.Kind.DIRECTIVE_REPORT_DUE,
                subject=f"directive:{directive.pk}:{year}",
                province_id=directive.province_id,
                directive_id=directive.pk,
                year=year,
                due_on=due_on,
                count=sum(r.report is None for r in rows),
            )
        )
    return subjects


def _dissolved_subjects(on: datetime.date) -> list[Subject]:
    parties = (
        AgreementParty.objects.filter(
            agreement__status=Agreement.Status.IN_FORCE, organization__dissolved_on__lte=on
        )
        .exclude(role=AgreementParty.Role.WITNESS)
        .values_list("agreement_id", "agreement__province_id", "organization_id")
    )
    return [
        Subject(
            kind=Notice.Kind.PARTY_DISSOLVED,
            subject=f"agreement:{agreement_id}:organization:{organization_id}",
            province_id=province_id,
            agreement_id=agreement_id,
            organization_id=organization_id,
        )
        for agreement_id, province_id, organization_id in parties
    ]


def concerned_users(province_id: int | None):
    """The data-entry staff and officials of a province, or national ones for the country."""
    users = User.objects.filter(is_active=True, groups__name__in=[DATA_ENTRY, OFFICIAL])
    if province_id is None:
        where = Q(organization__level=Level.CENTRAL, organization__province__isnull=True)
    else:
        where = Q(organization__province_id=province_id)
    return users.filter(where).distinct()


@transaction.atomic
def notices_create_daily(*, on: datetime.date) -> int:
    """Create today's notices for the people concerned; returns how many are new.

    A notice is created once per user and subject (notice_once_per_subject): running
    again the same day, or the next, adds only what newly fell due.
    """
    subjects = (
        _review_subjects(on)
        + _expiring_subjects(on)
        + _directive_subjects(on)
        + _dissolved_subjects(on)
    )
    recipients: dict[int | None, list[int]] = {}
    for province_id in {s.province_id for s in subjects}:
        recipients[province_id] = list(concerned_users(province_id).values_list("pk", flat=True))
    existing = set(
        Notice.objects.filter(
            user_id__in={u for ids in recipients.values() for u in ids}
        ).values_list("user_id", "kind", "subject")
    )
    new = []
    for s in subjects:
        for user_id in recipients[s.province_id]:
            if (user_id, s.kind, s.subject) in existing:
                continue
            notice = Notice(
                user_id=user_id,
                kind=s.kind,
                subject=s.subject,
                province_id=s.province_id,
                agreement_id=s.agreement_id,
                directive_id=s.directive_id,
                organization_id=s.organization_id,
                year=s.year,
                due_on=s.due_on,
                count=s.count,
                created_on=on,
            )
            # The constraint is left to the database: a concurrent run is ignored below.
            notice.full_clean(validate_unique=False, validate_constraints=False)
            new.append(notice)
            existing.add((user_id, s.kind, s.subject))
    Notice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def notice_mark_read(*, notice: Notice, user) -> Notice:
    if notice.user_id != user.pk:
        raise ValidationError(_("Thông báo này không phải của bạn."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.full_clean()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, user) -> int:
    return selectors.unread_notices(user).update(read_at=timezone.now())


@transaction.atomic
def notice_preference_set(*, user, email_digest: bool, language: str) -> NoticePreference:
    preference = NoticePreference.objects.filter(user=user).first() or NoticePreference(user=user)
    preference.email_digest, preference.language = email_digest, language
    preference.full_clean()
    preference.save()
    return preference


# The daily digest -------------------------------------------------------------------


def _digest_recipients():
    """Active users with an address who have not turned the digest off."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(notice_preference__email_digest=False)
        .select_related("notice_preference")
        .order_by("pk")
    )


def digest_send_daily(*, on: datetime.date) -> int:
    """E-mail each user who wants it a digest of their unread notices not yet e-mailed,
    in their language; returns how many e-mails were sent. Each notice is e-mailed once.

    Not one transaction: each user's notices are marked as e-mailed right after their
    message has left, so a failing server stops the run without losing who got what.
    """
    sent = 0
    with get_connection() as connection:
        for user in _digest_recipients():
            notices = list(
                selectors.user_notices(user).filter(read_at__isnull=True, emailed_at__isnull=True)
            )
            if not notices:
                continue
            preference = getattr(user, "notice_preference", None)
            language = preference.language if preference else settings.LANGUAGE_CODE
            with translation.override(language):
                context = {"user": user, "notices": notices, "on": on}
                subject = _("Thông báo hằng ngày: %(count)s việc cần chú ý") % {
                    "count": len(notices)
                }
                body = render_to_string("deadlines/digest.txt", context)
            EmailMessage(subject, body, to=[user.email], connection=connection).send()
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
            sent += 1
    return sent


def deadlines_daily() -> tuple[int, int]:
    """The day's notices, then the digest that reports them: the consumer's periodic task
    (settings.PERIODIC_TASKS) and `manage.py deadlines_daily` do the same."""
    today = timezone.localdate()
    return notices_create_daily(on=today), digest_send_daily(on=today)
