"""Optimistic locking shared by every service that updates an edited record."""

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(ValidationError):
    """Someone else saved the record since this user opened it."""

    def __init__(self):
        super().__init__(
            _(
                "Bản ghi đã được người khác sửa sau khi bạn mở nó. Hãy tải lại trang để "
                "xem bản mới nhất rồi nhập lại thay đổi của bạn."
            ),
            code="concurrent_edit",
        )


def bump_version(obj: Model, expected_version: int) -> None:
    """Claim the next version, or fail if someone saved since `expected_version` was read.

    The expected version is required: a write that does not say which version it
    was made from could silently overwrite a newer one.
    """
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ConcurrentEditError()
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise ConcurrentEditError()
    obj.version = expected_version + 1
