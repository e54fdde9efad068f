"""What a registered type's list shows a user: the one read behind the list and its exports."""

from django.db.models import QuerySet

from registry.base import ObjectType
from units.scoping import restrict


def filtered(request, object_type: ObjectType) -> tuple:
    """(filterset, rows): the type's rows in the user's scope, filtered by the query string.

    Scoping comes from `request.user` alone; the query string only narrows it.
    """
    filterset = object_type.filterset(
        request.GET or None,
        queryset=restrict(object_type.queryset(), request.user),
        request=request,
    )
    rows: QuerySet = filterset.qs if filterset.is_bound else filterset.queryset
    return filterset, rows
