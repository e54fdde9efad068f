"""Bounded imports: broken and hostile files are refused with a clear message, changing nothing."""

import pytest
import tablib
from django.urls import reverse

from agreements.models import Agreement
from jobs.models import Job
from units import resources as units_resources
from units.resources import write_table

from .test_import_agreements import HEADERS, regulation
from .test_import_page import dump_without_sessions, upload
from .xlsx_files import sheet_xml, xlsx

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol3;</workbook>'
)
EXTERNAL = '<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


# Comment rows enough to outgrow the parser's first chunks, so the break below is met
# while rows stream, not while the workbook opens.
PADDING = [["# " + "x" * 100]] * 2000
BREAK = "<row><c><is>"


class Chunked:
    """A file-like object that hands out at most `size` bytes per read."""

    def __init__(self, data: bytes, size: int):
        self.data, self.size, self.at = data, size, 0

    def read(self, _wanted=-1) -> bytes:
        chunk = self.data[self.at : self.at + self.size]
        self.at += len(chunk)
        return chunk


@pytest.fixture
def clerk(client, users):
    client.force_login(users.hue_clerk)
    return client


def refused_at_upload(client, content: bytes, message: str) -> None:
    """The upload page itself answers with the message; no job, no data."""
    before = dump_without_sessions()

    response = upload(client, content)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("agreements:import_start")
    assert message in response.content.decode()
    assert dump_without_sessions() == before
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_workbook_is_refused(clerk):
    content = xlsx(sheet_xml([HEADERS]), workbook=b"<workbook><sheets")

    refused_at_upload(clerk, content, "không phải bảng tính Excel (.xlsx) hợp lệ")


@pytest.mark.django_db
def test_a_billion_laughs_file_is_refused(clerk):
    content = xlsx(sheet_xml([HEADERS]), workbook=LAUGHS)

    refused_at_upload(clerk, content, "khai báo XML không được phép")


@pytest.mark.django_db
def test_an_external_entity_in_the_sheet_is_refused(clerk):
    content = xlsx(sheet_xml([HEADERS, ["&secret;"]], prolog=EXTERNAL))

    refused_at_upload(clerk, content, "khai báo XML không được phép")


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_by_its_unpacked_size(clerk, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    content = xlsx(sheet_xml([HEADERS]), extra={"xl/media/image1.bin": b"\0" * 2_000_000})

    assert len(content) < 10_000
    refused_at_upload(clerk, content, "khi giải nén quá lớn")


@pytest.mark.django_db
def test_a_zip_of_too_many_entries_is_refused(clerk, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 10
    extra = {f"xl/media/{n}.bin": b"x" for n in range(10)}

    refused_at_upload(clerk, xlsx(sheet_xml([HEADERS]), extra=extra), "quá nhiều thành phần")


@pytest.mark.django_db
def test_a_sheet_of_too_many_rows_is_refused_before_any_row_is_parsed(clerk, settings):
    settings.IMPORT_MAX_ROWS = 1000
    # The declared size says two rows: the rows are counted from the sheet itself.
    content = xlsx(sheet_xml([HEADERS, *PADDING], dimension="A1:B2"))

    refused_at_upload(clerk, content, "tối đa 1.000 dòng")


def test_rows_are_counted_across_chunk_boundaries():
    sheet = sheet_xml([["a"]] * 5000).encode()

    for size in (7, 64, 1000):
        assert units_resources._count_rows(Chunked(sheet, size)) == 5000


def test_rows_with_a_namespace_prefix_are_counted_too():
    sheet = sheet_xml([["a"]] * 3000).replace("<row", "<x:row").replace("</row>", "</x:row>")

    assert units_resources._count_rows(Chunked(sheet.encode(), 64)) == 3000


@pytest.mark.django_db
def test_a_wrong_header_is_reported_at_upload(clerk):
    sheet = sheet_xml([["Họ tên", "Địa chỉ"], *PADDING], dimension="A1:B2001")

    refused_at_upload(clerk, xlsx(sheet), "Thiếu cột bắt buộc")


@pytest.mark.django_db
def test_a_sheet_broken_after_its_header_is_refused_at_upload(clerk, orgs):
    # The sheet is parsed whole (bounded by the checks above), so a break anywhere
    # refuses the file before any job starts.
    rows = [HEADERS, [str(v) for v in regulation(orgs)], *PADDING]
    broken = sheet_xml(rows, dimension="A1:Z2002").replace("</sheetData>", BREAK)

    refused_at_upload(clerk, xlsx(broken), "không phải bảng tính Excel (.xlsx) hợp lệ")
    assert Agreement.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_row_limit_fails_with_a_message_and_writes_nothing(clerk, orgs, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [regulation(orgs, f"{n}/QC") for n in range(1, 4)]
    content = write_table(tablib.Dataset(*rows, headers=HEADERS), "csv")

    response = upload(clerk, content, name="a.csv")

    assert response.context["job"].state == Job.State.FAILED
    assert "tối đa 2 dòng" in response.content.decode()
    assert Agreement.objects.count() == 0
