"""Reads that cross relations: expiries, coverage, list/detail fetches (what reviews are
owed and when: deadlines.selectors).

Selectors take a base queryset already limited by `units.scoping.restrict`, so the
same code answers for a province, a user or the whole country.
"""

import datetime
import functools
import hashlib
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Manager, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from agreements.coverage import Coverage, coverage_table
from agreements.models import (
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
from deadlines.models import ReviewDueOverride
from units.models import AdministrativeUnit, Organization

__all__ = ["Coverage", "coverage", "coverage_table"]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def agreement_list(agreements: QuerySet) -> QuerySet:
    """What a list row shows: province and parties with their organizations."""
    return agreements.select_related("province").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("organization").order_by("order"),
        )
    )


def agreement_detail(agreements: QuerySet) -> QuerySet:
    return (
        agreement_list(agreements)
        .select_related("created_by", "updated_by")
        .prefetch_related(
            "focus_areas",
            "legal_bases",
            Prefetch("supersedes", queryset=Agreement.objects.order_by("valid_from", "id")),
            Prefetch("superseded_by", queryset=Agreement.objects.order_by("valid_from", "id")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("removed_by")),
            Prefetch(
                "reviews",
                queryset=Review.objects.order_by("-year", "-held_on").prefetch_related(
                    Prefetch(
                        "indicator_values",
                        queryset=IndicatorValue.objects.select_related("indicator"),
                    )
                ),
            ),
        )
    )


def agreements_in_force_on(agreements: QuerySet, on: datetime.date) -> QuerySet:
    """In force on a past or present day, judged by dates, not today's status."""
    return agreements.in_force(on)


def agreements_expiring(
    agreements: QuerySet, *, months: int, today: datetime.date | None = None
) -> QuerySet:
    """In force today and ending within the next `months` months."""
    today = today or timezone.localdate()
    return agreements.filter(
        status=Agreement.Status.IN_FORCE,
        valid_until__gte=today,
        valid_until__lte=add_months(today, months),
    ).order_by("valid_until")


def in_force_by_kind(agreements: QuerySet, *, on: datetime.date | None = None) -> dict[str, int]:
    on = on or timezone.localdate()
    rows = (
        agreements_in_force_on(agreements, on)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    counts = {kind: 0 for kind in Agreement.Kind.values}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def coverage(*, province_id: int | None = None, on: datetime.date | None = None) -> Coverage:
    """Border communes with an agreement in force with their border post, and posts with one.

    One province's row of `coverage_table` (the country's when `province_id` is None);
    the rule itself lives in agreements.coverage.
    """
    return coverage_table(on=on).get(province_id, Coverage(0, 0, 0, 0))


# Every write path (services, admin, imports, loaders) records history, so the newest
# history id of each tracked model moves with any edit, deletion or import.
STAMPED_MODELS = (
    Agreement,
    AgreementParty,
    Review,
    ReviewFocusResult,
    IndicatorValue,
    Organization,
    AdministrativeUnit,
    # An agreement's own due day: it moves reviews between on time and late.
    ReviewDueOverride,
)
# Small catalogues without history: their whole content goes into the stamp.
STAMPED_CATALOGUES = (FocusArea, Indicator, LegalDocument)


def data_stamp(province_id: int | None = None) -> str:
    """A cheap stamp of the state of the data: equal stamps, equal data.

    A handful of index lookups, so caches of costly figures (the dashboard, annual
    summaries) are checked on every request without gathering anything. Without a
    province it covers all the data (what national figures show); with one, only what
    that province's figures can show, so an edit in Lạng Sơn leaves Huế's caches valid:
    the agreements that ever belonged to it (so one moved away still counts), their
    parties, reviews, figures and own due days, the organizations of the province, its parties' and
    national ones, and its stored totals. Units and catalogues change rarely; they
    count everywhere.
    """
    if province_id is None:
        parts = [str(_last(_history(m).all())) for m in STAMPED_MODELS]
        # Stored totals have no history; a rebuild gives them new ids.
        parts.append(str(IndicatorTotal.objects.aggregate(last=Max("pk"))["last"]))
    else:
        ever_here = _history(Agreement).filter(province_id=province_id).values("id")
        reviews = _history(Review).filter(agreement_id__in=ever_here).values("id")
        organizations = (
            _history(Organization)
            .filter(
                Q(province_id=province_id)
                | Q(province_id__isnull=True)
                | Q(
                    id__in=_history(AgreementParty)
                    .filter(agreement_id__in=ever_here)
                    .values("organization_id")
                )
            )
            .values("id")
        )
        parts = [
            province_id,
            _last(_history(Agreement).filter(id__in=ever_here)),
            _last(_history(AgreementParty).filter(agreement_id__in=ever_here)),
            _last(_history(Review).filter(id__in=reviews)),
            _last(_history(ReviewFocusResult).filter(review_id__in=reviews)),
            _last(_history(IndicatorValue).filter(review_id__in=reviews)),
            _last(_history(ReviewDueOverride).filter(agreement_id__in=ever_here)),
            _last(_history(Organization).filter(id__in=organizations)),
            _last(_history(AdministrativeUnit).all()),
            IndicatorTotal.objects.filter(province_id=province_id).aggregate(last=Max("pk"))[
                "last"
            ],
        ]
        parts = [str(part) for part in parts]
    parts += [repr(list(m.objects.order_by("pk").values_list())) for m in STAMPED_CATALOGUES]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# What a row of the agreement list (and its filter form) shows: the agreements, their
# parties, the parties' organizations and the provinces' names.
LISTED_MODELS = (Agreement, AgreementParty, Organization, AdministrativeUnit)


def list_stamp() -> str:
    """A stamp of what the agreement list shows, cheaper than `data_stamp`: one index
    lookup per listed model and the few focus areas the filter offers.

    The list's rendered filter form, count and rows are cached under it (with the
    user's scope and the query string), so a page served again runs none of their
    queries. `data_stamp(province_id=...)` would narrow it to one province but costs
    more than rendering the page it would save.
    """
    # Plain SQL, one statement for the four lookups: building ORM queries cost more
    # than running them.
    quote = connection.ops.quote_name
    newest = ", ".join(
        f"(SELECT MAX(history_id) FROM {quote(_history(m).model._meta.db_table)})"
        for m in LISTED_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}")
        parts = [str(value) for value in cursor.fetchone()]
        cursor.execute(f"SELECT * FROM {quote(FocusArea._meta.db_table)} ORDER BY 1")
        parts.append(repr(cursor.fetchall()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@functools.cache
def _history(model) -> Manager:
    """The manager of a model's history table. `Model.history` builds a new manager
    class on every access, which cost more than the stamp's queries themselves."""
    return model.history.model._default_manager


def _last(history: QuerySet) -> int | None:
    return history.aggregate(last=Max("history_id"))["last"]


# Stored indicator totals ------------------------------------------------------------

# (province id or None for national agreements, year, indicator id)
TotalKey = tuple[int | None, int, int]
Contributions = dict[TotalKey, tuple[Decimal, int]]


def figure_contributions(values: QuerySet) -> Contributions:
    """What these indicator values add to the stored yearly totals: annual reviews only."""
    rows = (
        values.filter(review__kind=Review.Kind.ANNUAL)
        .order_by()
        .values_list("review__agreement__province_id", "review__year", "indicator_id")
        .annotate(total=Sum("value"), figures=Count("pk"))
    )
    return {(province, year, indicator): (total, n) for province, year, indicator, total, n in rows}


def indicator_totals_drift() -> list[TotalKey]:
    """The stored totals that differ from a fresh sum of the figures: none, if all is well."""
    live = figure_contributions(IndicatorValue.objects.all())
    rows = IndicatorTotal.objects.exclude(figures=0, total=0).values_list(
        "province_id", "year", "indicator_id", "total", "figures"
    )
    stored = {(p, y, i): (total, n) for p, y, i, total, n in rows}
    differing = {key for key in live.keys() | stored.keys() if live.get(key) != stored.get(key)}
    return sorted(differing, key=lambda k: (k[0] is None, k[0] or 0, k[1], k[2]))
