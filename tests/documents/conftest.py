"""The reports' world (Huế and Lạng Sơn), with officials who may issue documents."""

import datetime

import pytest
from django.contrib.auth.models import Group

from documents.models import PartyTerm
from documents.services import IssueInput
from tests.reports.conftest import world  # noqa: F401  (the shared fixture)
from units.models import User
from units.roles import DATA_ENTRY, OFFICIAL, roles_sync


def member(username, organization, group) -> User:
    user = User.objects.create_user(username, organization=organization)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(world):  # noqa: F811
    """Officials of Huế's Border Guard command and party committee, and a clerk."""
    roles_sync()
    PartyTerm.objects.create(organization=world.bg_party, starts_on=datetime.date(2020, 10, 1))
    return {
        "command_official": member("lanhdao.bch", world.bg_command, OFFICIAL),
        "party_official": member("lanhdao.du", world.bg_party, OFFICIAL),
        "clerk": member("canbo.bch", world.bg_command, DATA_ENTRY),
        "lang_son_official": member("lanhdao.ls", world.lang_son_user.organization, OFFICIAL),
    }


def state_input(organization, on=datetime.date(2026, 1, 5), **extra) -> IssueInput:
    fields = {
        "organization": organization,
        "issued_on": on,
        "signer_name": "Lê Văn Bình",
        "signing_capacity": "KT.",
        "signer_title": "PHÓ CHỈ HUY TRƯỞNG",
        "recipients": "Bộ Tư lệnh BĐBP (để báo cáo)\nThành ủy Huế",
        "drafting_unit": "TM",
    }
    return IssueInput(**{**fields, **extra})


def party_input(organization, on=datetime.date(2026, 1, 5), **extra) -> IssueInput:
    fields = {
        "organization": organization,
        "issued_on": on,
        "signer_name": "Nguyễn Văn Hùng",
        "signing_capacity": "T/M",
        "signer_title": "PHÓ BÍ THƯ",
        "recipients": "Thường trực Thành ủy",
    }
    return IssueInput(**{**fields, **extra})
