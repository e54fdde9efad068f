"""Reads for deadlines: what is owed and held, who complies with a directive, what falls
due soon. Like agreements.selectors, they take querysets already limited by
units.scoping.restrict, so one function answers for a province, a user or the country.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementParty, Review, in_force_during_q, in_force_q
from agreements.selectors import add_months, agreements_expiring
from deadlines.models import Directive, DirectiveReport, Notice
from deadlines.rules import (
    REVIEWED_KINDS,
    day_of_year,
    in_force_long_enough,
    obligation_day,
    report_year_due,
    review_due_date,
)
from units.models import Level, Organization

# Reviews ----------------------------------------------------------------------------


def _annual_review(year: int):
    return Review.objects.filter(agreement=OuterRef("pk"), kind=Review.Kind.ANNUAL, year=year)


def reviews_owed(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> QuerySet:
    """The agreements that owe an annual review for `year` (the rule: deadlines.rules).

    Two queries: the few that stopped during the year are judged one by one first.
    """
    on = obligation_day(year, today)
    start = datetime.date(year, 1, 1)
    reviewed = agreements.filter(kind__in=REVIEWED_KINDS)
    signers = ~Q(role=AgreementParty.Role.WITNESS)
    party_gone = AgreementParty.objects.filter(
        signers, agreement=OuterRef("pk"), organization__dissolved_on__lte=on
    )
    standing = in_force_q(on) & ~Exists(party_gone)
    stopped = (
        reviewed.filter(in_force_during_q(start, on))
        .exclude(standing)
        .annotate(
            party_end=Min(
                "parties__organization__dissolved_on",
                filter=~Q(parties__role=AgreementParty.Role.WITNESS),
            )
        )
        .order_by()
        .values_list("pk", "valid_from", "valid_until", "ended_on", "party_end")
    )
    long_enough = []
    for pk, valid_from, valid_until, ended_on, party_end in stopped:
        ends = [d for d in (ended_on, party_end) if d is not None]
        if valid_until is not None:
            ends.append(valid_until + datetime.timedelta(days=1))
        end = min(ends, default=datetime.date(year + 1, 1, 1))
        if in_force_long_enough(year=year, start=valid_from, end=end):
            long_enough.append(pk)
    return reviewed.filter(standing | Q(pk__in=long_enough))


def reviews_missing(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> QuerySet:
    """The agreements that owe an annual review for `year` and have none."""
    return (
        reviews_owed(agreements, year=year, today=today)
        .annotate(has_review=Exists(_annual_review(year)))
        .filter(has_review=False)
    )


@dataclass(frozen=True)
class ReviewDue:
    year: int
    overdue: bool
    due: int
    missing: int

    @property
    def held(self) -> int:
        return self.due - self.missing


def review_due_status(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> ReviewDue:
    """How many annual reviews are owed for `year`, how many are missing, and if overdue."""
    today = today or timezone.localdate()
    counts = reviews_owed(agreements, year=year, today=today).aggregate(
        due=Count("pk"), held=Count("pk", filter=Exists(_annual_review(year)))
    )
    return ReviewDue(
        year=year,
        overdue=today > datetime.date(year, 12, 31),
        due=counts["due"],
        missing=counts["due"] - counts["held"],
    )


# Completeness -----------------------------------------------------------------------

CATEGORIES = ("expected", "held", "on_time", "late", "missing", "overdue")


@dataclass(frozen=True)
class Rates:
    """Completeness's figures without the lists behind them, for reports and caches."""

    expected: int
    held: int
    on_time: int
    late: int
    missing: int
    held_rate: float | None
    on_time_rate: float | None


@dataclass
class Completeness:
    """DHIS2's reporting rates for one year's annual reviews: expected, held, on time.

    `ids` names the agreements behind each figure. A review held without a date is held
    but not on time; a missing review is overdue once its due day has passed.
    """

    year: int
    ids: dict[str, list[int]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})

    @property
    def expected(self) -> int:
        return len(self.ids["expected"])

    @property
    def held(self) -> int:
        return len(self.ids["held"])

    @property
    def on_time(self) -> int:
        return len(self.ids["on_time"])

    @property
    def late(self) -> int:
        return len(self.ids["late"])

    @property
    def missing(self) -> int:
        return len(self.ids["missing"])

    @property
    def overdue(self) -> int:
        return len(self.ids["overdue"])

    @property
    def held_rate(self) -> float | None:
        return _rate(self.held, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.expected)

    def rates(self) -> Rates:
        return Rates(
            expected=self.expected,
            held=self.held,
            on_time=self.on_time,
            late=self.late,
            missing=self.missing,
            held_rate=self.held_rate,
            on_time_rate=self.on_time_rate,
        )

    def add(self, pk: int, *, held: bool, on_time: bool, overdue: bool) -> None:
        self.ids["expected"].append(pk)
        if held:
            self.ids["held"].append(pk)
            self.ids["on_time" if on_time else "late"].append(pk)
        else:
            self.ids["missing"].append(pk)
            if overdue:
                self.ids["overdue"].append(pk)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Obligation:
    agreement_id: int
    province_id: int | None
    year: int
    due_on: datetime.date
    held_on: datetime.date | None
    held: bool


def obligations(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> list[Obligation]:
    """Each review owed for `year`, with its due day and when it was held. Two queries."""
    held_on = _annual_review(year).values("held_on")[:1]
    rows = (
        reviews_owed(agreements, year=year, today=today)
        .annotate(
            held=Exists(_annual_review(year)),
            held_on=Subquery(held_on),
            due_month=F("review_due__month"),
            due_day=F("review_due__day"),
        )
        .order_by()
        .values_list("pk", "province_id", "kind", "held", "held_on", "due_month", "due_day")
    )
    return [
        Obligation(
            agreement_id=pk,
            province_id=province_id,
            year=year,
            due_on=review_due_date(year=year, kind=kind, override=month and (month, day)),
            held_on=held_on,
            held=held,
        )
        for pk, province_id, kind, held, held_on, month, day in rows
    ]


def completeness(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> tuple[Completeness, dict[int | None, Completeness]]:
    """The scope's figures for `year`, and the same per province (None: national ones)."""
    today = today or timezone.localdate()
    total = Completeness(year)
    by_province: dict[int | None, Completeness] = {}
    for o in obligations(agreements, year=year, today=today):
        on_time = o.held_on is not None and o.held_on <= o.due_on
        for figures in (total, by_province.setdefault(o.province_id, Completeness(year))):
            figures.add(o.agreement_id, held=o.held, on_time=on_time, overdue=o.due_on < today)
    return total, by_province


# Directives -------------------------------------------------------------------------


def bound_organizations(directive: Directive, *, on: datetime.date) -> QuerySet:
    """The organizations of the directive's province it binds, existing on `on`."""
    Kind = Organization.Kind
    kinds = Q(pk__in=[])
    if directive.binds_departments:
        kinds |= Q(kind=Kind.DEPARTMENT)
    if directive.binds_enterprises:
        kinds |= Q(kind=Kind.ENTERPRISE)
    if directive.binds_non_border_communes:
        kinds |= Q(kind__in=Organization.LOCAL_KINDS, level=Level.COMMUNE, area__is_border=False)
    return (
        Organization.objects.filter(kinds, province_id=directive.province_id)
        .active(on)
        .exclude(founded_on__gt=on)
        .order_by("kind", "name")
    )


@dataclass
class ComplianceRow:
    organization: Organization
    agreements: list[dict]
    report: DirectiveReport | None
    required: int

    @property
    def complies(self) -> bool:
        return len(self.agreements) >= self.required


def directive_compliance(
    directive: Directive, *, on: datetime.date, year: int
) -> list[ComplianceRow]:
    """Every bound organization, the agreements with a Border Guard unit that satisfy the
    directive (of its kind, in force on `on`) and its report for `year`. Three queries."""
    bound = list(bound_organizations(directive, on=on))
    with_border_guard = AgreementParty.objects.filter(
        agreement=OuterRef("agreement"), organization__kind__in=Organization.BORDER_GUARD_KINDS
    )
    satisfying = (
        AgreementParty.objects.filter(
            in_force_q(on, "agreement__"),
            organization__in=[o.pk for o in bound],
            agreement__kind=directive.agreement_kind,
        )
        .filter(Exists(with_border_guard))
        .order_by("agreement__valid_from", "agreement_id")
        .values("organization_id", "agreement_id", "agreement__number", "agreement__title")
    )
    by_org: dict[int, list[dict]] = defaultdict(list)
    for row in satisfying:
        by_org[row["organization_id"]].append(
            {
                "pk": row["agreement_id"],
                "number": row["agreement__number"],
                "title": row["agreement__title"],
            }
        )
    reports = {
        r.organization_id: r
        for r in DirectiveReport.objects.filter(directive=directive, year=year).select_related(
            "review"
        )
    }
    return [
        ComplianceRow(
            organization=o,
            agreements=by_org.get(o.pk, []),
            report=reports.get(o.pk),
            required=directive.required_count,
        )
        for o in bound
    ]


def directive_report_due(directive: Directive, today: datetime.date) -> tuple[int, datetime.date]:
    """The year whose report is due next under the directive, and its due day."""
    year = report_year_due(month=directive.report_month, day=directive.report_day, today=today)
    return year, day_of_year(year + 1, directive.report_month, directive.report_day)


@dataclass(frozen=True)
class DirectiveSummary:
    directive: Directive
    bound: int
    complying: int
    report_year: int
    report_due_on: datetime.date
    reported: int

    @property
    def not_complying(self) -> int:
        return self.bound - self.complying


def directive_summaries(directives: QuerySet, *, today: datetime.date) -> list[DirectiveSummary]:
    summaries = []
    for directive in directives.select_related("issuer"):
        year, due_on = directive_report_due(directive, today)
        rows = directive_compliance(directive, on=today, year=year)
        summaries.append(
            DirectiveSummary(
                directive=directive,
                bound=len(rows),
                complying=sum(r.complies for r in rows),
                report_year=year,
                report_due_on=due_on,
                reported=sum(r.report is not None for r in rows),
            )
        )
    return summaries


# Notices and the calendar -----------------------------------------------------------


def unread_notices(user) -> QuerySet:
    return Notice.objects.restrict(user).filter(user=user, read_at__isnull=True)


def user_notices(user) -> QuerySet:
    """The user's notices in scope, unread first, newest first."""
    return (
        Notice.objects.restrict(user)
        .filter(user=user)
        .select_related("agreement", "directive", "organization")
        .order_by(F("read_at").asc(nulls_first=True), "-created_on", "-id")
    )


@dataclass(frozen=True)
class Deadline:
    on: datetime.date
    kind: str
    title: str
    url: str
    uid: str


def deadlines(
    agreements: QuerySet, directives: QuerySet, *, today: datetime.date, months: int = 3
) -> list[Deadline]:
    """What falls due from today over the coming `months`: reviews not yet held,
    directive reports, and the ends of agreements in force. Sorted by day."""
    until = add_months(today, months)
    found: list[Deadline] = []
    titles = {}
    for year in (today.year - 1, today.year):
        owed = [
            o
            for o in obligations(agreements, year=year, today=today)
            if not o.held and today <= o.due_on <= until
        ]
        missing_ids = [o.agreement_id for o in owed if o.agreement_id not in titles]
        titles.update(Agreement.objects.filter(pk__in=missing_ids).values_list("pk", "title"))
        for o in owed:
            found.append(
                Deadline(
                    on=o.due_on,
                    kind=_("Hạn sơ kết năm %(year)s") % {"year": year},
                    title=titles[o.agreement_id],
                    url=reverse("agreements:detail", args=[o.agreement_id]),
                    uid=f"review-{o.agreement_id}-{year}",
                )
            )
    for directive in directives:
        year, due_on = directive_report_due(directive, today)
        if due_on <= until:
            found.append(
                Deadline(
                    on=due_on,
                    kind=_("Hạn báo cáo năm %(year)s theo chỉ thị") % {"year": year},
                    title=f"{directive.number} – {directive.title}",
                    url=reverse("deadlines:directive_detail", args=[directive.pk]),
                    uid=f"directive-{directive.pk}-{year}",
                )
            )
    ending = agreements_expiring(agreements, months=months, today=today).filter(
        valid_until__lte=until
    )
    for pk, title, valid_until in ending.values_list("pk", "title", "valid_until"):
        found.append(
            Deadline(
                on=valid_until,
                kind=_("Hết hiệu lực"),
                title=title,
                url=reverse("agreements:detail", args=[pk]),
                uid=f"expiry-{pk}-{valid_until:%Y%m%d}",
            )
        )
    return sorted(found, key=lambda d: (d.on, d.uid))


DASHBOARD_NOTICES = 5


def dashboard_summary(user, *, today: datetime.date) -> dict:
    """The dashboard's deadlines block: last year's completeness, the directives of the
    scope and the latest unread notices. Not cached: notices change with every read."""
    figures, _by_province = completeness(
        Agreement.objects.restrict(user), year=today.year - 1, today=today
    )
    unread = user_notices(user).filter(read_at__isnull=True)
    return {
        "completeness": figures,
        "directives": directive_summaries(Directive.objects.restrict(user), today=today),
        "latest_notices": list(unread[:DASHBOARD_NOTICES]),
    }
