"""The application's roles as data: Django groups and the permissions each grants.

Admins are superusers and work in Django admin. Data-entry staff add and change
records in their scope; officials read and download in their scope.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

DATA_ENTRY = "Cán bộ nhập liệu"
OFFICIAL = "Lãnh đạo, chỉ huy"

_VIEW = [
    "units.view_administrativeunit",
    "units.view_organization",
    "agreements.view_agreement",
    "agreements.view_agreementparty",
    "agreements.view_review",
    "agreements.view_indicatorvalue",
    "agreements.view_attachment",
    "agreements.view_focusarea",
    "agreements.view_legaldocument",
    "agreements.view_indicator",
    "documents.view_issueddocument",
]
_CHANGE = [
    "agreements.add_agreement",
    "agreements.change_agreement",
    "agreements.add_agreementparty",
    "agreements.change_agreementparty",
    "agreements.delete_agreementparty",
    "agreements.add_review",
    "agreements.change_review",
    "agreements.add_indicatorvalue",
    "agreements.change_indicatorvalue",
    "agreements.delete_indicatorvalue",
    "agreements.add_attachment",
    "units.add_organization",
    "units.change_organization",
    "documents.add_organizationheader",
    "documents.change_organizationheader",
]

ROLES: dict[str, list[str]] = {
    DATA_ENTRY: _VIEW + _CHANGE,
    # Officials issue documents for their own organization (documents.services).
    OFFICIAL: _VIEW + ["agreements.approve_review", "documents.issue_document"],
}


@transaction.atomic
def roles_sync() -> None:
    """Create the groups and give them exactly their permissions (idempotent)."""
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def can_edit(user) -> bool:
    return user.is_superuser or user.has_perm("agreements.change_agreement")


def can_approve(user) -> bool:
    return user.is_superuser or user.has_perm("agreements.approve_review")
