"""Reads for deadlines: what is owed and held, who complies with a directive, what falls
due soon. Like agreements.selectors, they take querysets already limited by
units.scoping.restrict, so one function answers for a province, a user or the country.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementParty, Review, in_force_during_q, in_force_q
from agreements.selectors import add_months, agreements_expiring
from deadlines.models import Directive, DirectiveReport, Notice, ReviewDueOverride
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


def _ends_after(day: datetime.date) -> Q:
    """Still in force on `day` as far as its end dates go (see in_force_q)."""
    return (Q(valid_until__isnull=True) | Q(valid_until__gte=day)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def reviews_owed(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> QuerySet:
    """The agreements that owe an annual review for `year` (the rule: deadlines.rules).

    Two queries. Most agreements are decided by dates in SQL: in force on the obligation
    day, or from 1 January through the year's middle day, written so SQLite reads one
    range of agreement_in_force_idx. The few that started during the year and stopped,
    or lost a signing party, are judged one by one first and named by id.
    """
    on = obligation_day(year, today)
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    # In force on more than half of the days: from 1 January through this day.
    middle = first + datetime.timedelta(days=(after - first).days // 2)
    reviewed = agreements.filter(kind__in=REVIEWED_KINDS).exclude(status=Agreement.Status.DRAFT)
    signing = ~Q(parties__role=AgreementParty.Role.WITNESS)
    # From the few dissolved organizations to their agreements through party_signed_idx,
    # rather than through every party row.
    dissolved = Organization.objects.filter(dissolved_on__lte=on).values("pk")
    lost_party = (
        AgreementParty.objects.filter(organization__in=dissolved)
        .exclude(role=AgreementParty.Role.WITNESS)
        .values("agreement_id")
    )
    started_and_stopped = reviewed.filter(valid_from__gt=first, valid_from__lte=on).exclude(
        _ends_after(on)
    )
    one_by_one = (
        reviewed.filter(in_force_during_q(first, on))
        .filter(Q(pk__in=lost_party) | Q(pk__in=started_and_stopped.values("pk")))
        .annotate(
            party_end=Min(
                "parties__organization__dissolved_on",
                filter=signing & Q(parties__organization__dissolved_on__lte=on),
            )
        )
        .order_by()
        .values_list("pk", "valid_from", "valid_until", "ended_on", "party_end")
    )
    lost, long_enough = [], []
    for pk, valid_from, valid_until, ended_on, party_end in one_by_one:
        if party_end is not None:
            lost.append(pk)
        ends = [d for d in (ended_on, party_end) if d is not None]
        if valid_until is not None:
            ends.append(valid_until + datetime.timedelta(days=1))
        end = min(ends, default=after)
        if in_force_long_enough(year=year, start=valid_from, end=end):
            long_enough.append(pk)
    by_dates = Q(valid_from__lte=on) & (
        _ends_after(on) | (Q(valid_from__lte=first) & _ends_after(middle))
    )
    return reviewed.filter((by_dates & ~Q(pk__in=lost)) | Q(pk__in=long_enough))


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
class Completeness:
    """DHIS2's reporting rates for one year's annual reviews: expected, held, on time.

    A review held without a date is held but not on time; a missing review is overdue
    once its due day has passed.
    """

    year: int
    expected: int = 0
    held: int = 0
    on_time: int = 0
    overdue: int = 0

    @property
    def late(self) -> int:
        return self.held - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.held

    @property
    def held_rate(self) -> float | None:
        return _rate(self.held, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.expected)

    def __add__(self, other: "Completeness") -> "Completeness":
        return Completeness(
            year=self.year,
            expected=self.expected + other.expected,
            held=self.held + other.held,
            on_time=self.on_time + other.on_time,
            overdue=self.overdue + other.overdue,
        )


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Timing:
    """Conditions on the agreements that owe a year's review, each named without a
    negation (a negated condition on the joined review turns into a subquery per row).

    They name the year's review as ANNUAL_REVIEW, which `with_annual_review` joins.
    """

    held: Q
    missing: Q
    on_time: Q
    late: Q
    overdue: Q


# The year's annual review of each agreement, joined once (at most one per year: the
# constraint one_annual_review_per_agreement_year), rather than probed by a subquery per
# figure: the national annual summary counts 20,000 agreements four ways.
ANNUAL_REVIEW = "annual_review"


def with_annual_review(owed: QuerySet, *, year: int) -> QuerySet:
    return owed.annotate(
        **{
            ANNUAL_REVIEW: FilteredRelation(
                "reviews", condition=Q(reviews__kind=Review.Kind.ANNUAL, reviews__year=year)
            )
        }
    )


def _any(conditions: list[Q]) -> Q:
    """Any of the conditions; none of them matches nothing."""
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def _timing(owed: QuerySet, *, year: int, today: datetime.date) -> Timing:
    """Held on time, late and overdue, as conditions: by the kinds' due days in SQL, and
    for the few agreements with a day of their own, judged one by one (one query).

    A review held without a date is held late.
    """
    held = Q(**{f"{ANNUAL_REVIEW}__isnull": False})
    missing = Q(**{f"{ANNUAL_REVIEW}__isnull": True})
    held_on = f"{ANNUAL_REVIEW}__held_on"
    # From the few overrides to their agreements: a join from every owed agreement to
    # its override reads all 20,000 of them.
    with_own_day = owed.filter(pk__in=ReviewDueOverride.objects.values("agreement_id"))
    rows = list(
        with_annual_review(with_own_day, year=year)
        .order_by()
        .values_list("pk", "kind", "review_due__month", "review_due__day", ANNUAL_REVIEW, held_on)
    )
    # The few with a day of their own, by id rather than by a join to every row's override.
    own_day = ~Q(pk__in=[row[0] for row in rows]) if rows else Q()
    on_time, late, overdue = [], [], []
    for kind in REVIEWED_KINDS:
        due = review_due_date(year=year, kind=kind)
        by_kind = Q(kind=kind) & own_day
        on_time.append(by_kind & Q(**{f"{held_on}__lte": due}))
        late.append(by_kind & (Q(**{f"{held_on}__gt": due}) | Q(**{f"{held_on}__isnull": True})))
        if due < today:
            overdue.append(by_kind)
    own_on_time, own_late, own_overdue = [], [], []
    for pk, kind, month, day, review, held_day in rows:
        due = review_due_date(year=year, kind=kind, override=(month, day))
        if held_day is not None and held_day <= due:
            own_on_time.append(pk)
        elif review is not None:
            own_late.append(pk)
        if due < today:
            own_overdue.append(pk)
    for conditions, pks in ((on_time, own_on_time), (late, own_late), (overdue, own_overdue)):
        if pks:
            conditions.append(Q(pk__in=pks))
    return Timing(
        held=held,
        missing=missing,
        on_time=held & _any(on_time),
        late=held & _any(late),
        overdue=missing & _any(overdue),
    )


def completeness(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> tuple[Completeness, dict[int | None, Completeness]]:
    """The scope's figures for `year`, and the same per province (None: national ones).

    Counted in the database: three queries whatever the number of agreements, one of
    them grouped by province.
    """
    today = today or timezone.localdate()
    owed = reviews_owed(agreements, year=year, today=today)
    timing = _timing(owed, year=year, today=today)
    rows = (
        with_annual_review(owed, year=year)
        .order_by()
        .values("province_id")
        .annotate(
            expected=Count("pk"),
            held=Count("pk", filter=timing.held),
            on_time=Count("pk", filter=timing.on_time),
            overdue=Count("pk", filter=timing.overdue),
        )
    )
    by_province = {row.pop("province_id"): Completeness(year=year, **row) for row in rows}
    return sum(by_province.values(), Completeness(year=year)), by_province


def completeness_list(
    agreements: QuerySet, *, year: int, category: str, today: datetime.date | None = None
) -> QuerySet:
    """The agreements behind one of the completeness figures (CATEGORIES)."""
    today = today or timezone.localdate()
    owed = reviews_owed(agreements, year=year, today=today)
    if category == "expected":
        return owed
    timing = _timing(owed, year=year, today=today)
    owed = with_annual_review(owed, year=year)
    condition = {
        "held": timing.held,
        "on_time": timing.on_time,
        "late": timing.late,
        "missing": timing.missing,
        "overdue": timing.overdue,
    }[category]
    return owed.filter(condition)


@dataclass(frozen=True)
class Obligation:
    agreement_id: int
    province_id: int | None
    year: int
    due_on: datetime.date


def missing_obligations(
    agreements: QuerySet, *, year: int, today: datetime.date | None = None
) -> list[Obligation]:
    """Each review owed for `year` and not held, with its due day. Two queries."""
    rows = (
        reviews_missing(agreements, year=year, today=today)
        .order_by()
        .values_list("pk", "province_id", "kind", "review_due__month", "review_due__day")
    )
    return [
        Obligation(
            agreement_id=pk,
            province_id=province_id,
            year=year,
            due_on=review_due_date(year=year, kind=kind, override=month and (month, day)),
        )
        for pk, province_id, kind, month, day in rows
    ]


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
    not_complying_names: list[str]

    @property
    def not_complying(self) -> int:
        return len(self.not_complying_names)


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
                not_complying_names=[r.organization.name for r in rows if not r.complies],
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
            for o in missing_obligations(agreements, year=year, today=today)
            if today <= o.due_on <= until
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
    """The dashboard's directives and latest unread notices (its completeness figures are
    cached with its other figures). Not cached: notices change with every read."""
    unread = user_notices(user).filter(read_at__isnull=True)
    return {
        "directives": directive_summaries(Directive.objects.restrict(user), today=today),
        "latest_notices": list(unread[:DASHBOARD_NOTICES]),
    }
