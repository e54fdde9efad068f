"""Row-level scoping: the one function every view, export, report and autocomplete uses.

A user's organization decides their scope. An organization of central level (or a
superuser) sees everything; any other organization sees the rows of its current
province. A model opts in by naming the path to its province in `SCOPE_FIELD`.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from units.models import Level


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, one province, or nothing."""

    everything: bool
    province_id: int | None = None


NOTHING = Scope(everything=False)
EVERYTHING = Scope(everything=True)


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    organization = getattr(user, "organization", None)
    if organization is None:
        return NOTHING
    if organization.level == Level.CENTRAL and organization.province_id is None:
        return EVERYTHING
    if organization.province_id is None:
        return NOTHING
    return Scope(everything=False, province_id=organization.province_id)


def restrict(queryset: QuerySet, user) -> QuerySet:
    """Limit `queryset` to the rows `user` may see.

    Fails closed: a model that has not named its path to a province is an error, not
    a table shown whole to everyone.
    """
    model = queryset.model
    field = getattr(model, "SCOPE_FIELD", None)
    if not field:
        raise ImproperlyConfigured(f"{model.__name__} has no SCOPE_FIELD to restrict it by")
    scope = scope_of(user)
    if scope.everything:
        return queryset
    if scope.province_id is None:
        return queryset.none()
    # A model reachable by several paths (an attachment of an agreement or of a
    # review) names them all; a row is visible through any of them.
    paths = field if isinstance(field, tuple) else (field,)
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}_id": scope.province_id})
        if getattr(model, "SCOPE_SHARED_WHEN_NULL", False):
            condition |= Q(**{f"{path}__isnull": True})
    return queryset.filter(condition)


def get_scoped_or_404(queryset_or_model, user, **lookup) -> Model:
    """Fetch one object the user may see; anything else is a 404, never a 403."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    return get_object_or_404(restrict(queryset, user), **lookup)
