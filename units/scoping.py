"""Row-level scoping: the one function every view, export, report and autocomplete uses.

A user's organization decides their scope. An organization of central level (or a
superuser) sees everything; any other organization sees the rows of its current
province. A model opts in by naming the path to its province in `SCOPE_FIELD`.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
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


VIEW, CHANGE, DELETE = "view", "change", "delete"
ACTIONS = (VIEW, CHANGE, DELETE)


def has_model_permission(user, model, action: str) -> bool:
    """The role's right to `action` rows of `model` at all (Django's model permissions)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Limit `queryset` to the rows `user` may view, change or delete.

    Viewing needs the row to be in the user's scope. Changing and deleting also need
    the role's model permission, the row in the user's own province (a row shared
    with everyone, such as a central body, is changed only by a national user), and
    whatever the model's own rules allow for that action (`row_rules`: a draft may be
    deleted, an approved review is locked). Fails closed: a model that has not named
    its path to a province is an error, not a table shown whole to everyone.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    model = queryset.model
    if getattr(model, "SCOPE_PUBLIC", False):
        # Reference data (units, catalogues): every signed-in user reads all of it.
        return _restrict_public(queryset, user, action)
    field = getattr(model, "SCOPE_FIELD", None)
    if not field:
        raise ImproperlyConfigured(f"{model.__name__} has no SCOPE_FIELD to restrict it by")
    scope = scope_of(user)
    if action != VIEW:
        if not has_model_permission(user, model, action):
            return queryset.none()
        rules = getattr(model, "row_rules", None)
        if rules is not None:
            queryset = queryset.filter(rules(action, user))
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
        if action == VIEW and getattr(model, "SCOPE_SHARED_WHEN_NULL", False):
            condition |= Q(**{f"{path}__isnull": True})
    return queryset.filter(condition)


def _restrict_public(queryset: QuerySet, user, action: str) -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if action == VIEW:
        return queryset
    if not has_model_permission(user, queryset.model, action):
        return queryset.none()
    rules = getattr(queryset.model, "row_rules", None)
    return queryset.filter(rules(action, user)) if rules is not None else queryset


def permits(user, action: str, obj: Model) -> bool:
    """May `user` do `action` to this row? The same rule as restrict(), for one object."""
    if action == VIEW:
        return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def viewable(user, objects) -> set:
    """The pks among `objects` (rows of one model) that `user` may view, in one query:
    a page that names related rows links only to those, and prints the others' names."""
    objects = [o for o in objects if o is not None]
    if not objects:
        return set()
    model = type(objects[0])
    pks = {o.pk for o in objects}
    return set(
        restrict(model._default_manager.filter(pk__in=pks), user).values_list("pk", flat=True)
    )


def get_scoped_or_404(queryset_or_model, user, action: str = VIEW, **lookup) -> Model:
    """Fetch one object the user may see; anything else is a 404, never a 403.

    With `action` "change" or "delete", an object the user may see but not change
    (the wrong role, a locked row) is a 403: it exists, and the user knows it does.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    obj = get_object_or_404(restrict(queryset, user), **lookup)
    if action != VIEW and not permits(user, action, obj):
        raise PermissionDenied
    return obj


def provinces_of(user) -> QuerySet:
    """The current provinces a user may choose (filters, forms): their own, or every one."""
    from units.models import AdministrativeUnit

    provinces = AdministrativeUnit.objects.current().provinces().order_by("name")
    scope = scope_of(user)
    if scope.everything:
        return provinces
    if scope.province_id is None:
        return provinces.none()
    return provinces.filter(pk=scope.province_id)
