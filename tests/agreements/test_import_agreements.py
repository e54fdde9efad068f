"""Importing agreements from spreadsheets: the services' rules, all or nothing, scope, history."""

import datetime
import re

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, AgreementParty
from agreements.resources import AgreementResource, export_agreements
from units.models import Organization
from units.resources import run_import, write_table
from units.text import fold

HEADERS = [
    "Số, ký hiệu",
    "Tên văn bản",
    "Loại văn bản",
    "Ngày ký",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Nội dung trọng tâm (mã)",
    "Căn cứ (số văn bản)",
    "Bên 1",
    "Bên 1 - vai trò",
    "Bên 1 - người ký",
    "Bên 1 - chức vụ",
    "Bên 2",
    "Bên 2 - vai trò",
    "Bên 2 - người ký",
    "Bên 2 - chức vụ",
]


def spreadsheet(rows, headers=HEADERS, fmt="csv") -> bytes:
    return write_table(tablib.Dataset(*rows, headers=headers), fmt)


def regulation(orgs, number="05/QC-PH", **overrides) -> list:
    values = {
        "number": number,
        "title": f"Quy chế phối hợp {number}",
        "kind": "Quy chế phối hợp",
        "signed_on": "28/12/2020",
        "valid_from": "01/01/2021",
        "valid_until": "31/12/2025",
        "focus": "information_exchange; sovereignty_security",
        "legal": "66/2020/QH14",
        "party_1": orgs.bg_command.code,
        "party_2": orgs.city_party.name,
    }
    values.update(overrides)
    return [
        values["number"],
        values["title"],
        values["kind"],
        values["signed_on"],
        values["valid_from"],
        values["valid_until"],
        values["focus"],
        values["legal"],
        values["party_1"],
        "Chủ trì",
        "Nguyễn Văn A",
        "Chỉ huy trưởng",
        values["party_2"],
        "",
        "Trần Văn B" if values["party_2"] else "",
        "Bí thư" if values["party_2"] else "",
    ]


def do_import(data: bytes, user, dry_run=False):
    return run_import(AgreementResource(), data, user=user, dry_run=dry_run)


def database_dump() -> dict:
    """Every row of every table, in primary-key order: 'nothing changed' made literal."""
    dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            dump[table] = cursor.fetchall()
    return dump


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_creates_agreements_with_their_parties_through_the_services(orgs, users, fmt):
    data = spreadsheet([regulation(orgs)], fmt=fmt)

    outcome = do_import(data, users.hue_clerk)

    assert outcome.ok, outcome.problems
    assert outcome.created == 1
    agreement = Agreement.objects.get(number="05/QC-PH")
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.province == orgs.bg_command.province
    assert agreement.valid_from == datetime.date(2021, 1, 1)
    parties = list(agreement.parties.order_by("order"))
    assert [p.organization for p in parties] == [orgs.bg_command, orgs.city_party]
    assert parties[0].role == AgreementParty.Role.LEAD
    assert parties[0].signatory_name == "Nguyễn Văn A"
    assert sorted(a.code for a in agreement.focus_areas.all()) == [
        "information_exchange",
        "sovereignty_security",
    ]
    assert [d.number for d in agreement.legal_bases.all()] == ["66/2020/QH14"]
    assert agreement.parties_key == ",".join(
        str(pk) for pk in sorted(p.organization_id for p in parties)
    )
    assert agreement.search_text == fold("05/QC-PH Quy chế phối hợp 05/QC-PH")
    assert agreement.created_by == users.hue_clerk


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_but_reports_what_would_change(orgs, users):
    before = database_dump()

    outcome = do_import(spreadsheet([regulation(orgs)]), users.hue_clerk, dry_run=True)

    assert outcome.ok
    assert [(r.row, r.action) for r in outcome.rows] == [(2, "new")]
    assert database_dump() == before


@pytest.mark.django_db
def test_one_invalid_row_among_valid_ones_changes_nothing_at_all(orgs, users, make_agreement):
    make_agreement()
    rows = [
        regulation(orgs, "10/QC"),
        regulation(orgs, "11/QC", party_2=orgs.bg_party.code or orgs.bg_party.name),
        regulation(orgs, "12/QC", party_1=orgs.post_a.name, party_2=orgs.commune_party.name),
    ]
    before = database_dump()

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    assert not outcome.ok
    assert database_dump() == before


@pytest.mark.django_db
def test_every_bad_row_is_listed_with_its_row_number_and_reason(orgs, users, make_agreement):
    make_agreement()  # 01/QC-PH: Ban Chỉ huy and Thành ủy, 2021–2025, in force
    rows = [
        regulation(orgs, "20/QC", party_1=orgs.post_a.name, party_2=orgs.commune_party.name),
        ["# a comment row is skipped", *[""] * (len(HEADERS) - 1)],
        regulation(orgs, "21/QC", party_2=""),  # one party
        regulation(orgs, "22/QC", valid_until="01/01/2020"),  # ends before it starts
        regulation(orgs, "23/QC"),  # same parties as 01/QC-PH, overlapping
        regulation(orgs, "24/QC", party_2="Không có tổ chức này"),
        regulation(orgs, "25/QC", party_2=orgs.department.name),  # no local side
        regulation(orgs, "26/QC", signed_on="31/02/2021"),
        regulation(orgs, "27/QC", kind="Hiệp định"),
        regulation(orgs, "28/QC", focus="khong_co"),
        regulation(orgs, "20/QC", party_1=orgs.post_b.name, party_2=orgs.commune_party.name),
    ]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    problems = {p.row: " ".join(p.messages) for p in outcome.problems}
    assert sorted(problems) == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "ít nhất hai bên" in problems[4]
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu" in problems[5]
    assert "trùng lặp" in problems[6]
    assert "Không tìm thấy tổ chức" in problems[7] and problems[7].startswith("Bên 2")
    assert "cấp ủy, chính quyền địa phương" in problems[8]
    assert "không phải ngày hợp lệ" in problems[9]
    assert "Hiệp định" in problems[10]
    assert "khong_co" in problems[11]
    assert "Trùng với dòng 2" in problems[12]
    assert not Agreement.objects.filter(number="20/QC").exists()


@pytest.mark.django_db
def test_a_dissolved_organization_cannot_sign_through_an_import(orgs, users):
    orgs.commune_party.dissolved_on = datetime.date(2020, 7, 1)
    orgs.commune_party.save()
    row = regulation(orgs, party_1=orgs.post_a.name, party_2=orgs.commune_party.name)

    outcome = do_import(spreadsheet([row]), users.hue_clerk)

    assert "đã giải thể" in " ".join(outcome.problems[0].messages)


@pytest.mark.django_db
def test_rows_of_one_file_are_checked_against_each_other(orgs, users):
    rows = [regulation(orgs, "30/QC"), regulation(orgs, "31/QC", valid_from="01/06/2022")]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [3]
    assert Agreement.objects.count() == 0


@pytest.mark.django_db
def test_a_province_user_cannot_import_into_another_province(orgs, users):
    rows = [regulation(orgs, party_1=orgs.ls_command.name, party_2=orgs.ls_party.name)]

    outcome = do_import(spreadsheet(rows), users.hue_clerk)

    # Lạng Sơn's organizations are invisible to a Huế clerk, as if they did not exist.
    assert "Không tìm thấy tổ chức" in " ".join(outcome.problems[0].messages)
    outcome = do_import(spreadsheet(rows), users.national)
    assert outcome.ok
    agreement = Agreement.objects.get()
    row = regulation(
        orgs, title="Đổi tên", party_1=orgs.ls_command.name, party_2=orgs.ls_party.name
    )
    outcome = do_import(spreadsheet([row]), users.hue_clerk)
    assert not outcome.ok
    agreement.refresh_from_db()
    assert agreement.title == "Quy chế phối hợp 05/QC-PH"


@pytest.mark.django_db
def test_a_province_column_naming_another_province_is_refused(orgs, users):
    headers = [*HEADERS, "Tỉnh, thành phố (mã)"]
    row = [*regulation(orgs), "20"]

    outcome = do_import(spreadsheet([row], headers=headers), users.hue_clerk)

    assert "tỉnh, thành phố của mình" in " ".join(outcome.problems[0].messages)


@pytest.mark.django_db
def test_a_matching_row_updates_the_agreement_and_an_unchanged_row_is_skipped(orgs, users):
    do_import(spreadsheet([regulation(orgs)]), users.hue_clerk)
    agreement = Agreement.objects.get()
    headers = [*HEADERS, "Phiên bản"]

    unchanged = do_import(spreadsheet([regulation(orgs)]), users.hue_clerk)
    changed = do_import(
        spreadsheet(
            [[*regulation(orgs, title="Quy chế phối hợp (sửa đổi)"), agreement.version]],
            headers=headers,
        ),
        users.national,
    )

    assert [r.action for r in unchanged.rows] == ["skip"]
    assert [r.action for r in changed.rows] == ["update"]
    agreement.refresh_from_db()
    assert agreement.title == "Quy chế phối hợp (sửa đổi)"
    assert agreement.updated_by == users.national
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_history_records_imported_changes_with_the_importing_user(orgs, users):
    do_import(spreadsheet([regulation(orgs)]), users.hue_clerk)
    version = Agreement.objects.get().version
    do_import(
        spreadsheet(
            [[*regulation(orgs, title="Tên mới"), version]], headers=[*HEADERS, "Phiên bản"]
        ),
        users.national,
    )

    agreement = Agreement.objects.get()
    history = [(h.history_type, h.history_user) for h in agreement.history.order_by("history_id")]
    # Setting focus areas and legal bases adds "~" rows of their own (m2m history).
    assert history[0] == ("+", users.hue_clerk)
    assert history[-1] == ("~", users.national)
    assert {user for _type, user in history} == {users.hue_clerk, users.national}
    party_history = AgreementParty.history.filter(agreement_id=agreement.pk)
    assert {h.history_user for h in party_history} == {users.hue_clerk}
    assert party_history.count() == 2


@pytest.mark.django_db
def test_statuses_are_reached_through_the_services(orgs, users):
    headers = [*HEADERS, "Trạng thái", "Ngày kết thúc hiệu lực", "Lý do chấm dứt"]
    extra = {
        "40/QC": ["Dự thảo", "", ""],
        "41/QC": ["Hết hiệu lực", "", ""],
        "42/QC": ["Chấm dứt", "01/07/2025", "Đơn vị ký kết giải thể, sáp nhập"],
        "43/QC": ["Chấm dứt", "", ""],
    }
    pairs = [
        (orgs.bg_command, orgs.city_party),
        (orgs.post_a, orgs.commune_party),
        (orgs.post_b, orgs.commune_party),
        (orgs.bg_party, orgs.city_party),
    ]
    rows = [
        [*regulation(orgs, number, party_1=a.name, party_2=b.name), *extra[number]]
        for number, (a, b) in zip(extra, pairs, strict=True)
    ]

    outcome = do_import(spreadsheet(rows, headers=headers), users.hue_clerk)
    assert [p.row for p in outcome.problems] == [5]
    outcome = do_import(spreadsheet(rows[:3], headers=headers), users.hue_clerk)

    assert outcome.ok, outcome.problems
    status = dict(Agreement.objects.values_list("number", "status"))
    assert status == {"40/QC": "draft", "41/QC": "expired", "42/QC": "terminated"}
    terminated = Agreement.objects.get(number="42/QC")
    assert terminated.ended_on == datetime.date(2025, 7, 1)
    assert terminated.termination_reason == "partner_dissolved"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_and_recreates_what_was_deleted(
    orgs, users, make_agreement, fmt
):
    first = make_agreement()
    parties = [orgs.post_a, orgs.commune_party, orgs.peoples_committee]
    second = make_agreement(parties, number="", title="Kết nghĩa không số", kind="twinning")
    second.summary = "Dòng 1\nDòng 2"
    second.save()
    content, content_type, filename = export_agreements(Agreement.objects.all(), fmt)
    assert filename.endswith(f".{fmt}")

    again = do_import(content, users.hue_clerk)
    assert again.ok and again.unchanged == 2 and again.created == 0

    def shape(agreement):
        return (
            agreement.kind,
            agreement.number,
            agreement.title,
            agreement.signed_on,
            agreement.valid_from,
            agreement.valid_until,
            agreement.summary,
            agreement.province_id,
            agreement.status,
            agreement.parties_key,
            [
                (p.organization_id, p.role, p.signatory_name, p.order)
                for p in agreement.parties.order_by("order")
            ],
        )

    shapes = sorted([shape(first), shape(second)], key=lambda s: s[2])
    AgreementParty.objects.all().delete()
    Agreement.objects.all().delete()
    recreated = do_import(content, users.hue_clerk)

    assert recreated.ok, recreated.problems
    assert recreated.created == 2
    assert sorted([shape(a) for a in Agreement.objects.all()], key=lambda s: s[2]) == shapes


@pytest.mark.django_db
def test_more_parties_than_the_template_shows_get_more_column_groups(orgs, users):
    headers = [*HEADERS, "Bên 3", "Bên 3 - vai trò", "ben 4", "party_4_role"]
    row = regulation(orgs, party_1=orgs.post_a.name, party_2=orgs.commune_party.name)
    row += [orgs.peoples_committee.name, "Chứng kiến", orgs.post_b.name, "witness"]

    outcome = do_import(spreadsheet([row], headers=headers, fmt="xlsx"), users.hue_clerk)

    assert outcome.ok, outcome.problems
    parties = Agreement.objects.get().parties.order_by("order")
    assert [p.organization for p in parties][2:] == [orgs.peoples_committee, orgs.post_b]
    assert {p.role for p in parties[2:]} == {"witness"}


LOOKUP = re.compile(
    r'^SELECT "(units_organization|units_administrativeunit|agreements_focusarea|'
    r'agreements_legaldocument)"\."id", '
)
# What one new two-party row costs: savepoints, the overlap check, full_clean's
# constraint and foreign-key checks, the agreement, its focus areas and legal bases,
# two parties, and a history row for each of those writes.
WRITES_PER_ROW = 55


@pytest.mark.django_db
def test_lookups_do_not_cost_a_query_per_row(orgs, users, django_assert_max_num_queries):
    def rows(n):
        lines = []
        for i in range(n):
            post = Organization.objects.create(
                name=f"Đồn {n}-{i}",
                kind="border_post",
                level="commune",
                province=orgs.post_a.province,
            )
            lines.append(
                regulation(orgs, f"Q{n}-{i}", party_1=post.name, party_2=orgs.city_party.name)
            )
        return spreadsheet(lines)

    small, large = rows(5), rows(50)
    with CaptureQueriesContext(connection) as five:
        assert do_import(small, users.hue_clerk).ok
    with django_assert_max_num_queries(20 + 50 * WRITES_PER_ROW) as fifty:
        assert do_import(large, users.hue_clerk).ok

    def lookups(context):
        return [q["sql"] for q in context.captured_queries if LOOKUP.match(q["sql"])]

    assert len(lookups(fifty)) == len(lookups(five)) == 4
    assert (len(fifty) - len(five)) / 45 <= WRITES_PER_ROW
