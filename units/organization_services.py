"""Writes to organizations: create, update, dissolve. The web pages, the import and the
commands all call these, so every path applies the same rules and the same version check.

Terminating the agreements of a dissolved organization belongs to the agreements app
(agreements.services.organization_dissolve), which calls organization_dissolve here.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from units.models import AdministrativeUnit, Level, Organization
from units.scoping import scope_of
from units.text import nfc
from units.versioning import bump_version

# Fields an organization's form, import row or command sets directly.
EDITABLE_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "level",
    "parent",
    "area",
    "province",
    "party_of",
    "country",
    "founded_on",
)


@dataclass
class OrganizationInput:
    name: str
    kind: str
    level: str
    short_name: str = ""
    code: str | None = None
    parent: Organization | None = None
    area: AdministrativeUnit | None = None
    province: AdministrativeUnit | None = None
    party_of: Organization | None = None
    country: str = ""
    founded_on: datetime.date | None = None
    covered_communes: list[AdministrativeUnit] = field(default_factory=list)


def _province_for(data: OrganizationInput, user) -> AdministrativeUnit | None:
    """The current province that decides who sees the organization.

    A province's staff only ever create organizations of their own province; a
    national user may name one, or leave it blank for a central body. An area implies
    its province when none is given.
    """
    scope = scope_of(user)
    if data.level == Level.CENTRAL:
        if not scope.everything:
            raise ValidationError(
                {"level": _("Chỉ người dùng cấp toàn quốc mới ghi cơ quan trung ương.")}
            )
        return None
    province = data.province
    if province is None and data.area is not None:
        province = data.area.current_province()
    if scope.everything:
        return province
    if province is not None and province.pk != scope.province_id:
        raise ValidationError(
            {"province": _("Bạn chỉ có thể ghi tổ chức thuộc tỉnh, thành phố của mình.")}
        )
    return AdministrativeUnit.objects.get(pk=scope.province_id)


def _validate(data: OrganizationInput, organization: Organization | None) -> None:
    errors: dict[str, list[str]] = {}
    own_pk = organization.pk if organization else None
    for name in ("parent", "party_of"):
        other = getattr(data, name)
        if other is not None and own_pk is not None and other.pk == own_pk:
            errors.setdefault(name, []).append(_("Tổ chức không thể liên kết với chính nó."))
    if data.party_of is not None and data.kind not in Organization.PARTY_COMMITTEE_KINDS:
        errors.setdefault("party_of", []).append(
            _("Chỉ đảng ủy, cấp ủy mới ghi “đảng ủy của” một cơ quan.")
        )
    if data.covered_communes:
        if data.kind not in Organization.BORDER_GUARD_UNIT_KINDS:
            errors.setdefault("covered_communes", []).append(
                _("Chỉ đơn vị Bộ đội Biên phòng (đồn, ban chỉ huy) mới có xã, phường phụ trách.")
            )
        elif any(not unit.is_commune for unit in data.covered_communes):
            errors.setdefault("covered_communes", []).append(
                _("Xã, phường phụ trách phải là đơn vị cấp xã.")
            )
    if data.level == Level.CENTRAL and data.province is not None:
        errors.setdefault("province", []).append(
            _("Cơ quan trung ương không thuộc tỉnh, thành phố nào.")
        )
    if errors:
        raise ValidationError(errors)


def _apply(organization: Organization, data: OrganizationInput, user) -> None:
    for name in EDITABLE_FIELDS:
        setattr(organization, name, getattr(data, name))
    organization.name = nfc(organization.name).strip()
    organization.short_name = nfc(organization.short_name).strip()
    organization.code = (organization.code or "").strip() or None
    organization.province = _province_for(data, user)
    organization._history_user = user


def _generated_code(organization: Organization) -> str:
    """A code for files when the user gave none: stable, unique, readable."""
    province = organization.province.code if organization.province_id else "TW"
    return f"TC-{province}-{organization.pk:05d}"


@transaction.atomic
def organization_create(*, user, data: OrganizationInput) -> Organization:
    """Record a new organization; a blank code is generated."""
    _validate(data, None)
    organization = Organization()
    _apply(organization, data, user)
    organization.full_clean()
    organization.save()
    if organization.code is None:
        organization.code = _generated_code(organization)
        organization.skip_history_when_saving = True
        try:
            Organization.objects.filter(pk=organization.pk).update(code=organization.code)
        finally:
            del organization.skip_history_when_saving
        organization.history.filter(history_type="+").update(code=organization.code)
    organization.covered_communes.set(data.covered_communes)
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, user, data: OrganizationInput, expected_version: int
) -> Organization:
    """Change an organization; refused if someone else saved since `expected_version`."""
    _validate(data, organization)
    bump_version(organization, expected_version)
    _apply(organization, data, user)
    if organization.code is None:
        organization.code = _generated_code(organization)
    organization.full_clean()
    organization.save()
    if {u.pk for u in data.covered_communes} != set(
        organization.covered_communes.values_list("pk", flat=True)
    ):
        organization.covered_communes.set(data.covered_communes)
    return organization


@transaction.atomic
def organization_dissolve(
    *,
    organization: Organization,
    user,
    on: datetime.date,
    successors: list[Organization] | tuple = (),
    expected_version: int,
) -> Organization:
    """Mark an organization dissolved on a day, its work passing to its successors."""
    if organization.founded_on and on < organization.founded_on:
        raise ValidationError({"dissolved_on": _("Ngày giải thể không thể trước ngày thành lập.")})
    if any(s.pk == organization.pk for s in successors):
        raise ValidationError({"successors": _("Tổ chức không thể tự kế thừa chính mình.")})
    bump_version(organization, expected_version)
    organization.dissolved_on = on
    organization._history_user = user
    organization.full_clean()
    organization.save()
    organization.successors.set(successors)
    return organization


def organization_input_from(organization: Organization) -> OrganizationInput:
    """The organization as it stands, as input: a change of one field keeps the rest."""
    return OrganizationInput(
        **{name: getattr(organization, name) for name in EDITABLE_FIELDS},
        covered_communes=list(organization.covered_communes.all()),
    )
