"""A small, realistic cast for the agreements tests.

Huế (46) has its Border Guard command and party committee, two border posts that
cover real communes, local party committees at province and commune level, a
people's committee, a department, an enterprise and a Lao counterpart. Lạng Sơn (20)
has its own command and party committee so scoping has something to hide. Users: a
Huế data-entry clerk, a Huế official, a Lạng Sơn clerk, a national user and an admin.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from agreements.models import Agreement, AgreementParty, Review
from agreements.services import AgreementInput, PartyInput, agreement_create, review_create
from units.models import AdministrativeUnit, Level, Organization, User
from units.roles import DATA_ENTRY, OFFICIAL, roles_sync

# A period safely in the past, whatever day the tests run on.
START = datetime.date(2021, 1, 1)
END = datetime.date(2025, 12, 31)
SIGNED = datetime.date(2020, 12, 28)


def _org(name, kind, level, province=None, **extra) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, level=level, province=province, **extra
    )


@pytest.fixture
def hue(db) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(code="46")


@pytest.fixture
def lang_son(db) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(code="20")


@pytest.fixture
def hue_communes(hue) -> list[AdministrativeUnit]:
    """Four real communes of Huế, by code."""
    return list(AdministrativeUnit.objects.current().communes().filter(parent=hue)[:4])


@pytest.fixture
def orgs(hue, lang_son, hue_communes) -> SimpleNamespace:
    Kind = Organization.Kind
    national = _org("Bộ Tư lệnh Bộ đội Biên phòng", Kind.BORDER_GUARD_COMMAND, Level.CENTRAL)
    bg_party = _org(
        "Đảng ủy Bộ đội Biên phòng thành phố Huế",
        Kind.BORDER_GUARD_PARTY_COMMITTEE,
        Level.PROVINCE,
        hue,
    )
    bg_command = _org(
        "Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
        Kind.BORDER_GUARD_COMMAND,
        Level.PROVINCE,
        hue,
        code="BCH-BDBP-HUE",
        parent=national,
    )
    post_a = _org(
        "Đồn Biên phòng Hồng Vân", Kind.BORDER_POST, Level.COMMUNE, hue, parent=bg_command
    )
    post_a.covered_communes.set(hue_communes[:2])
    post_b = _org("Đồn Biên phòng A Đớt", Kind.BORDER_POST, Level.COMMUNE, hue, parent=bg_command)
    post_b.covered_communes.set(hue_communes[2:3])
    city_party = _org("Thành ủy Huế", Kind.LOCAL_PARTY_COMMITTEE, Level.PROVINCE, hue)
    commune = hue_communes[0]
    commune_party = _org(
        f"Đảng ủy {commune.name}", Kind.LOCAL_PARTY_COMMITTEE, Level.COMMUNE, hue, area=commune
    )
    peoples_committee = _org(
        "Ủy ban nhân dân thành phố Huế", Kind.PEOPLES_COMMITTEE, Level.PROVINCE, hue
    )
    department = _org("Sở Y tế thành phố Huế", Kind.DEPARTMENT, Level.PROVINCE, hue)
    enterprise = _org("Công ty Cổ phần Dệt may Huế", Kind.ENTERPRISE, Level.PROVINCE, hue)
    foreign = _org(
        "Ban Chỉ huy Quân sự tỉnh Salavan", Kind.FOREIGN, Level.PROVINCE, hue, country="Lào"
    )
    ls_command = _org(
        "Ban Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn",
        Kind.BORDER_GUARD_COMMAND,
        Level.PROVINCE,
        lang_son,
    )
    ls_party = _org("Tỉnh ủy Lạng Sơn", Kind.LOCAL_PARTY_COMMITTEE, Level.PROVINCE, lang_son)
    return SimpleNamespace(
        national=national,
        bg_party=bg_party,
        bg_command=bg_command,
        post_a=post_a,
        post_b=post_b,
        city_party=city_party,
        commune_party=commune_party,
        peoples_committee=peoples_committee,
        department=department,
        enterprise=enterprise,
        foreign=foreign,
        ls_command=ls_command,
        ls_party=ls_party,
    )


def _user(username, organization=None, group=None, **extra) -> User:
    user = User.objects.create_user(username, password="x", organization=organization, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def users(orgs) -> SimpleNamespace:
    roles_sync()
    return SimpleNamespace(
        hue_clerk=_user("canbo.hue", orgs.bg_command, DATA_ENTRY),
        hue_official=_user("lanhdao.hue", orgs.bg_command, OFFICIAL),
        ls_clerk=_user("canbo.langson", orgs.ls_command, DATA_ENTRY),
        national=_user("canbo.bttl", orgs.national, DATA_ENTRY),
        admin=User.objects.create_superuser("admin", password="x"),
    )


@pytest.fixture
def make_input(orgs):
    """An AgreementInput for a Huế regulation; keyword overrides change any field."""

    def build(parties=None, **overrides) -> AgreementInput:
        values = {
            "kind": Agreement.Kind.REGULATION,
            "title": "Quy chế phối hợp giữa Ban Chỉ huy BĐBP và Thành ủy Huế",
            "number": "01/QC-PH",
            "valid_from": START,
            "valid_until": END,
            "signed_on": SIGNED,
        }
        values.update(overrides)
        members = parties if parties is not None else [orgs.bg_command, orgs.city_party]
        values["parties"] = [PartyInput(organization=o) for o in members]
        return AgreementInput(**values)

    return build


@pytest.fixture
def make_agreement(make_input, users):
    """Record an agreement through the service, as the Huế clerk unless told otherwise."""

    def create(parties=None, *, user=None, in_force=True, **overrides) -> Agreement:
        return agreement_create(
            user=user or users.hue_clerk,
            data=make_input(parties, **overrides),
            in_force=in_force,
        )

    return create


@pytest.fixture
def make_review(users):
    def create(agreement, *, year=2023, user=None, **fields) -> Review:
        values = {
            "kind": Review.Kind.ANNUAL,
            "year": year,
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year, 12, 31),
        }
        values.update(fields)
        return review_create(user=user or users.hue_clerk, agreement=agreement, **values)

    return create


@pytest.fixture
def row_counts(db):
    """How many agreements, parties and reviews exist: to show a refusal wrote nothing."""

    def count() -> tuple[int, int, int]:
        return (Agreement.objects.count(), AgreementParty.objects.count(), Review.objects.count())

    return count


@pytest.fixture
def admin_client(client, users):
    client.force_login(users.admin)
    return client
