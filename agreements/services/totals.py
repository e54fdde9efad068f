"""Stored yearly indicator totals, kept exact by every write to review figures."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, IntegerField, Q, Value, When

from agreements.models import (
    Agreement,
    IndicatorTotal,
    IndicatorValue,
    Review,
)
from agreements.selectors import Contributions, TotalKey, figure_contributions

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
