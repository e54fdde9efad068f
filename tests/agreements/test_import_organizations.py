"""Importing organizations: natural keys, links by code or name, scope, round trip."""

import datetime

import pytest
import tablib

from units import organization_services
from units.models import Organization
from units.resources import OrganizationResource, run_import, write_table

HEADERS = ["Mã", "Tên", "Loại tổ chức", "Cấp", "Cơ quan cấp trên", "Tỉnh, thành phố (mã)"]


def spreadsheet(rows, headers=HEADERS, fmt="csv") -> bytes:
    return write_table(tablib.Dataset(*rows, headers=headers), fmt)


def do_import(data, user, dry_run=False):
    return run_import(OrganizationResource(), data, user=user, dry_run=dry_run)


@pytest.mark.django_db
def test_it_creates_organizations_linked_by_code_or_exact_name(orgs, users):
    rows = [
        ["DBP-MOI", "Đồn Biên phòng Mới", "Đồn Biên phòng", "Cấp xã", "BCH-BDBP-HUE", "46"],
        ["", "Đảng ủy Đồn Mới", "bg_party", "commune", "đồn biên phòng mới", ""],
    ]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    assert outcome.ok, outcome.problems
    post = Organization.objects.get(code="DBP-MOI")
    assert post.parent == orgs.bg_command
    assert post.province.code == "46"
    committee = Organization.objects.get(name="Đảng ủy Đồn Mới")
    assert committee.parent == post
    # A Huế clerk's new organization belongs to Huế even when the cell is blank.
    assert committee.province == orgs.bg_command.province
    assert committee.history.get().history_user == users.hue_clerk


@pytest.mark.django_db
def test_a_province_user_cannot_create_or_change_another_provinces_organizations(orgs, users):
    rows = [
        ["LS-MOI", "Đồn mới ở Lạng Sơn", "Đồn Biên phòng", "Cấp xã", "", "20"],
        ["", orgs.national.name, "Bộ Tư lệnh / Ban Chỉ huy BĐBP", "Cấp tỉnh", "", ""],
    ]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [2, 3]
    assert "tỉnh, thành phố của mình" in outcome.problems[0].messages[0]
    assert "không thuộc phạm vi" in outcome.problems[1].messages[0]
    assert not Organization.objects.filter(code="LS-MOI").exists()


@pytest.mark.django_db
def test_model_rules_are_enforced_and_nothing_is_half_imported(orgs, users):
    headers = [*HEADERS, "Ngày thành lập", "Ngày giải thể"]
    rows = [
        ["OK-1", "Tổ chức hợp lệ", "Sở, ban, ngành", "Cấp tỉnh", "", "46", "", ""],
        ["NN-1", "Đối tác không quốc gia", "Đối tác nước ngoài", "Cấp tỉnh", "", "46", "", ""],
        [
            "DT-1",
            "Giải thể trước thành lập",
            "Doanh nghiệp",
            "Cấp tỉnh",
            "",
            "46",
            "01/01/2020",
            "01/01/2019",
        ],
        ["XX-1", "Loại sai", "Quân đội", "Cấp tỉnh", "", "46", "", ""],
    ]

    outcome = do_import(spreadsheet(rows, headers=headers), users.admin)

    assert [p.row for p in outcome.problems] == [3, 4, 5]
    assert not Organization.objects.filter(code="OK-1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(orgs, users, fmt):
    orgs.post_a.code = "DBP-HONGVAN"
    orgs.post_a.founded_on = datetime.date(1960, 3, 3)
    orgs.post_a.save()
    dataset = OrganizationResource().export(Organization.objects.all())
    content = write_table(dataset, fmt)
    before = list(Organization.objects.order_by("pk").values())

    outcome = do_import(content, users.admin)

    assert outcome.ok, outcome.problems
    assert outcome.unchanged == Organization.objects.count()
    assert list(Organization.objects.order_by("pk").values()) == before
    covered = dataset["Xã, phường phụ trách (mã)"]
    assert any(covered)


@pytest.mark.django_db
def test_a_changed_row_updates_the_organization_and_its_covered_communes(orgs, users, hue_communes):
    headers = ["Mã", "Tên", "Xã, phường phụ trách (mã)", "Ngày giải thể", "Phiên bản"]
    row = [
        "BCH-BDBP-HUE",
        "Ban Chỉ huy BĐBP thành phố Huế",
        hue_communes[3].code,
        "01/07/2025",
        orgs.bg_command.version,
    ]

    outcome = do_import(spreadsheet([row], headers=headers), users.hue_clerk)

    assert outcome.ok, outcome.problems
    orgs.bg_command.refresh_from_db()
    assert orgs.bg_command.name == "Ban Chỉ huy BĐBP thành phố Huế"
    assert orgs.bg_command.dissolved_on == datetime.date(2025, 7, 1)
    assert list(orgs.bg_command.covered_communes.all()) == [hue_communes[3]]
    assert orgs.bg_command.history.latest().history_user == users.hue_clerk


@pytest.mark.django_db
def test_a_row_without_the_version_does_not_change_an_existing_organization(orgs, users):
    headers = ["Mã", "Tên"]
    outcome = do_import(
        spreadsheet([["BCH-BDBP-HUE", "Tên mới"]], headers=headers), users.hue_clerk
    )
    assert [p.row for p in outcome.problems] == [2]
    assert "Phiên bản" in outcome.problems[0].messages[0]
    orgs.bg_command.refresh_from_db()
    assert orgs.bg_command.name != "Tên mới"


@pytest.mark.django_db
def test_a_stale_spreadsheet_row_is_refused_with_its_row_number(orgs, users):
    exported = orgs.bg_command.version
    organization_services.organization_update(
        organization=orgs.bg_command,
        user=users.hue_clerk,
        data=organization_services.OrganizationInput(
            **{
                **organization_services.organization_input_from(orgs.bg_command).__dict__,
                "short_name": "sửa trên web",
            }
        ),
        expected_version=exported,
    )
    headers = ["Mã", "Tên", "Phiên bản"]
    rows = [["BCH-BDBP-HUE", "Tên từ tệp cũ", exported]]
    outcome = do_import(spreadsheet(rows, headers=headers), users.hue_clerk)
    assert [p.row for p in outcome.problems] == [2]
    assert "người khác sửa" in outcome.problems[0].messages[0]
    orgs.bg_command.refresh_from_db()
    assert (orgs.bg_command.name, orgs.bg_command.short_name)[1] == "sửa trên web"
    assert orgs.bg_command.name != "Tên từ tệp cũ"


@pytest.mark.django_db
def test_another_provinces_code_is_refused_without_confirming_it_exists(orgs, users):
    taken = Organization.objects.create(
        code="LS-DON-1",
        name="Đồn ở Lạng Sơn",
        kind="border_post",
        level="commune",
        province=orgs.ls_command.province,
    )
    rows = [[taken.code, "Đồn mới của Huế", "Đồn Biên phòng", "Cấp xã", "", "46"]]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [2]
    message = " ".join(outcome.problems[0].messages)
    assert "không dùng được" in message
    assert "tồn tại" not in message and "already" not in message
    assert Organization.objects.filter(code=taken.code).get() == taken
