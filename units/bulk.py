"""Rows written by executemany, for the bulk writes whose Django cost outweighs the database's.

`QuerySet.bulk_create` builds a model instance per row and compiles every value of every
row through its field; for the link, party and history rows of a ten-thousand-row import
that costs more than the inserts themselves. `insert_rows` takes plain tuples instead and
sends them as one parametrised statement: columns whose Python value the database driver
cannot take as it is (dates, times, decimals) still go through their field's
`get_db_prep_save`, once per value. It bypasses `save()`, signals and the ORM's checks,
so callers validate first and record history themselves, as AgreementBatch does.
"""

from collections.abc import Iterable, Sequence

from django.db import connections, router

# Internal types whose values need the backend's adaptation (SQLite stores dates as text,
# datetimes naive in UTC). Integers, text and booleans go to the driver as they are.
_PREPARED_TYPES = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
    "DurationField",
    "UUIDField",
}


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT `rows` (one value per name in `fields`, by attname) into `model`'s table."""
    rows = list(rows)
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    if any(field.get_internal_type() == "JSONField" for field in columns):
        raise ValueError("insert_rows adapts hashable values only; write JSON another way")
    prepare = [
        (index, field)
        for index, field in enumerate(columns)
        if field.get_internal_type() in _PREPARED_TYPES
    ]
    if prepare:
        # Dates and timestamps repeat from row to row (a history batch shares one):
        # each distinct value is adapted once.
        known: list[dict] = [{} for _ in prepare]
        prepared = []
        for row in rows:
            row = list(row)
            for (index, field), cache in zip(prepare, known, strict=True):
                value = row[index]
                if value not in cache:
                    cache[value] = field.get_db_prep_save(value, connection)
                row[index] = cache[value]
            prepared.append(row)
        rows = prepared
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
