"""A list's export: the filtered rows in the order shown, in every registered type alike.

Small lists are written inside the request. A list longer than
settings.EXPORT_INLINE_MAX_ROWS is written by a background job (registry.tasks), which
rebuilds the same request from what the job recorded (the user, the query string with
its filters and sort order, the language) and goes through this same code, so the file
has the columns, order and formula guard an inline export would have had. The rows are
scoped by the job's user as read from the database, never by anything the client sent.
"""

from collections.abc import Callable

import tablib
from django.http import HttpRequest, QueryDict
from django_tables2 import RequestConfig

from registry.base import ObjectType
from registry.selectors import filtered
from units.resources import write_table
from units.scoping import Scope

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

Progress = Callable[..., None]


def export_request(*, user, query: str) -> HttpRequest:
    """The GET request a user's export would have made, for a job to replay."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    return request


def export_content(
    request, object_type: ObjectType, fmt: str, *, progress: Progress | None = None
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the list the request shows, every page.

    `progress(done, total)` hears how many rows are written, if given.
    """
    _filterset, queryset = filtered(request, object_type)
    table = object_type.table(queryset, request=request)
    RequestConfig(request, paginate=False).configure(table)
    ordered = table.data.data
    if progress is not None:
        progress(0, ordered.count())
    if object_type.export is not None:
        return object_type.export(ordered, fmt, progress=progress)
    rows = iter(table.as_values(exclude_columns=("actions",)))
    dataset = tablib.Dataset(headers=[str(h) for h in next(rows)])
    for done, row in enumerate(rows, start=1):
        dataset.append(["" if v is None else v for v in row])
        if progress is not None:
            progress(done)
    return write_table(dataset, fmt), EXPORT_FORMATS[fmt], f"{object_type.key}.{fmt}"


def scope_params(scope: Scope) -> dict:
    """A scope as a job records it, to tell whether the user's scope changed meanwhile."""
    return {"everything": scope.everything, "province": scope.province_id}
