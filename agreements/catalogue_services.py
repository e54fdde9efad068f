"""Writes to the catalogues (focus areas, legal documents, indicators): admins only,
with history and the same version check as every other record."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from units.versioning import bump_version


def _check_admin(user) -> None:
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied


@transaction.atomic
def catalogue_item_create(*, model: type[Model], user, values: dict) -> Model:
    _check_admin(user)
    item = model(**values)
    item._history_user = user
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def catalogue_item_update(*, item: Model, user, values: dict, expected_version: int) -> Model:
    _check_admin(user)
    bump_version(item, expected_version)
    for name, value in values.items():
        setattr(item, name, value)
    item._history_user = user
    item.full_clean()
    item.save()
    return item
