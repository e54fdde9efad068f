"""A small world for the web tests: Huế and Lạng Sơn, their organizations and users.

Huế's data-entry clerk is the owner; Huế's official a colleague; Lạng Sơn's clerk
the outsider who must never see Huế's records.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from agreements import services
from agreements.models import Agreement, Review
from agreements.services import AgreementInput, PartyInput
from units.models import AdministrativeUnit, Level, Organization, User
from units.roles import DATA_ENTRY, OFFICIAL, roles_sync

PASSWORD = "test-pass-123"
HUE_CODE = "46"
LANG_SON_CODE = "20"


@dataclass
class World:
    hue: AdministrativeUnit
    lang_son: AdministrativeUnit
    hue_command: Organization
    hue_post: Organization
    hue_commune_party: Organization
    hue_commune_party_2: Organization
    ls_command: Organization
    ls_commune_party: Organization
    national: Organization
    staff: User
    official: User
    outsider: User
    reader: User
    national_official: User
    agreement: Agreement


def make_org(name, kind, level, province, **extra) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, level=level, province=province, **extra
    )


def make_user(username, organization, group=None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organization=organization, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def regulation(*, user, parties, title="Quy chế phối hợp bảo vệ biên giới", **extra) -> Agreement:
    data = AgreementInput(
        kind=Agreement.Kind.REGULATION,
        title=title,
        valid_from=extra.pop("valid_from", datetime.date(2025, 1, 12)),
        valid_until=extra.pop("valid_until", datetime.date(2030, 12, 31)),
        parties=[PartyInput(organization=o) for o in parties],
        **extra,
    )
    return services.agreement_create(user=user, data=data)


def build_world() -> World:
    roles_sync()
    units = AdministrativeUnit.objects.current()
    hue = units.get(code=HUE_CODE)
    lang_son = units.get(code=LANG_SON_CODE)
    kinds = Organization.Kind
    hue_command = make_org(
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
        kinds.BORDER_GUARD_PARTY_COMMITTEE,
        Level.PROVINCE,
        hue,
    )
    hue_post = make_org("Đồn Biên phòng A Lưới", kinds.BORDER_POST, Level.COMMUNE, hue)
    hue_commune_party = make_org(
        "Đảng ủy xã A Lưới 1", kinds.LOCAL_PARTY_COMMITTEE, Level.COMMUNE, hue
    )
    hue_commune_party_2 = make_org(
        "Đảng ủy xã Hồng Vân", kinds.LOCAL_PARTY_COMMITTEE, Level.COMMUNE, hue
    )
    ls_command = make_org(
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn",
        kinds.BORDER_GUARD_PARTY_COMMITTEE,
        Level.PROVINCE,
        lang_son,
    )
    ls_commune_party = make_org(
        "Đảng ủy xã Đồng Đăng", kinds.LOCAL_PARTY_COMMITTEE, Level.COMMUNE, lang_son
    )
    national = make_org(
        "Đảng ủy Bộ đội Biên phòng", kinds.BORDER_GUARD_PARTY_COMMITTEE, Level.CENTRAL, None
    )
    staff = make_user("canbo.hue", hue_command, DATA_ENTRY, first_name="Lan")
    official = make_user("lanhdao.hue", hue_command, OFFICIAL)
    outsider = make_user("canbo.langson", ls_command, DATA_ENTRY)
    reader = make_user("khach.hue", hue_command)
    national_official = make_user("lanhdao.bdbp", national, OFFICIAL)
    agreement = regulation(
        user=staff,
        parties=[hue_command, hue_commune_party],
        title="Quy chế phối hợp giữa Đảng ủy BĐBP Huế và Đảng ủy xã A Lưới 1",
        number="01-QC/ĐU",
    )
    return World(
        hue=hue,
        lang_son=lang_son,
        hue_command=hue_command,
        hue_post=hue_post,
        hue_commune_party=hue_commune_party,
        hue_commune_party_2=hue_commune_party_2,
        ls_command=ls_command,
        ls_commune_party=ls_commune_party,
        national=national,
        staff=staff,
        official=official,
        outsider=outsider,
        reader=reader,
        national_official=national_official,
        agreement=agreement,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.fixture
def official_client(client, world):
    client.force_login(world.official)
    return client


@pytest.fixture
def outsider_client(client, world):
    client.force_login(world.outsider)
    return client


@pytest.fixture
def review(world):
    """An annual review of the world's agreement, recorded by the Huế clerk."""
    return services.review_create(
        user=world.staff,
        agreement=world.agreement,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=world.agreement.valid_from,
        period_end=world.agreement.valid_from.replace(month=12, day=31),
    )
