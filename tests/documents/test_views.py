"""The issuing pages, the register and the issued PDFs, as the roles see them."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import IssuedDocument, OrganizationHeader
from documents.services import annual_summary_issue
from tests.documents.conftest import state_input
from tests.reports import pdf as read


def issued(world, people):
    return annual_summary_issue(
        user=people["command_official"],
        province=world.hue,
        year=2025,
        data=state_input(world.bg_command),
    )


def issue_form(**extra):
    return {
        "organization": extra.pop("organization"),
        "issued_on": "2026-01-05",
        "signing_capacity": "KT.",
        "signer_title": "PHÓ CHỈ HUY TRƯỞNG",
        "signer_name": "Lê Văn Bình",
        "recipients": "Bộ Tư lệnh BĐBP",
        "drafting_unit": "TM",
        **extra,
    }


def test_an_official_issues_the_annual_summary_and_downloads_it(client, world, people):
    client.force_login(people["command_official"])
    url = "/documents/issue/annual/2025/?province=46"
    assert client.get(url).status_code == 200
    response = client.post(url, issue_form(organization=world.bg_command.pk))
    document = IssuedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    download = client.get(f"/documents/{document.pk}.pdf")
    assert download.status_code == 200
    assert "Số: 01/BC-BCH" in read.flat(b"".join(download.streaming_content))


def test_a_bad_issue_gets_a_message_and_takes_no_number(client, world, people):
    client.force_login(people["command_official"])
    response = client.post(
        "/documents/issue/annual/2025/?province=46",
        issue_form(organization=world.bg_command.pk, signer_name=" "),
    )
    assert response.status_code == 200
    assert "Họ tên người ký" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_data_entry_staff_cannot_open_the_issue_page(client, world, people):
    client.force_login(people["clerk"])
    assert client.get("/documents/issue/annual/2025/?province=46").status_code == 403


def test_the_issue_page_of_another_provinces_review_is_a_404(client, world, people):
    client.force_login(people["lang_son_official"])
    assert client.get(f"/documents/issue/reviews/{world.party_review.pk}/").status_code == 404


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_reads_as_many_queries_for_two_documents_as_for_one(client, world, people):
    issued(world, people)
    client.force_login(people["clerk"])
    one = queries_of(client, "/documents/")
    issued(world, people)
    assert queries_of(client, "/documents/") == one


def test_the_register_lists_and_exports_the_documents_in_scope(client, world, people):
    document = issued(world, people)
    client.force_login(people["clerk"])
    page = client.get("/documents/").content.decode()
    assert document.number_line in page and "Lê Văn Bình" in page
    export = client.get("/documents/?format=csv").content.decode()
    assert "Số: 01/BC-BCH" in export and "05/01/2026" in export
    assert client.get("/documents/?format=xlsx").status_code == 200


def test_another_province_sees_neither_the_register_row_nor_the_pdf(client, world, people):
    document = issued(world, people)
    client.force_login(people["lang_son_official"])
    assert document.number_line not in client.get("/documents/").content.decode()
    assert client.get(f"/documents/{document.pk}.pdf").status_code == 404
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_staff_record_header_lines_and_a_line_too_long_is_refused(client, world, people):
    client.force_login(people["clerk"])
    url = f"/documents/headers/{world.bg_command.pk}/"
    page = client.get(url).content.decode()
    assert "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG" in page
    too_long = client.post(
        url,
        {
            "superior_lines": "BỘ CHỈ HUY QUÂN SỰ THÀNH PHỐ HUẾ TỈNH THỪA THIÊN HUẾ CŨ",
            "own_lines": "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG",
            "abbreviation": "BCH",
        },
    )
    assert too_long.status_code == 200
    assert "quá dài" in too_long.content.decode()
    assert not OrganizationHeader.objects.exists()
    saved = client.post(
        url,
        {
            "superior_lines": "Bộ Chỉ huy Quân sự\nthành phố Huế",
            "own_lines": "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG",
            "abbreviation": "BCH",
            "valid_from": "2025-07-01",
        },
    )
    assert saved.status_code == 302
    header = OrganizationHeader.objects.get()
    assert header.superior() == ["BỘ CHỈ HUY QUÂN SỰ", "THÀNH PHỐ HUẾ"]
    assert header.valid_from == datetime.date(2025, 7, 1)


def test_officials_do_not_edit_header_lines(client, world, people):
    client.force_login(people["command_official"])
    assert client.get(f"/documents/headers/{world.bg_command.pk}/").status_code == 403


def test_the_review_page_links_its_issued_summary(client, world, people):
    from agreements.models import Review
    from documents.services import review_summary_issue
    from tests.documents.conftest import party_input

    document = review_summary_issue(
        user=people["party_official"],
        review=Review.objects.get(pk=world.party_review.pk),
        data=party_input(world.bg_party),
    )
    client.force_login(people["party_official"])
    page = client.get(f"/reviews/{world.party_review.pk}/").content.decode()
    assert f"/documents/{document.pk}.pdf" in page
    assert "/documents/issue/reviews/" in page


def test_an_issued_pdf_whose_file_was_deleted_is_a_404_that_says_so(client, world, people):
    document = issued(world, people)
    document.pdf.storage.delete(document.pdf.name)
    client.force_login(people["clerk"])

    response = client.get(f"/documents/{document.pk}.pdf")

    assert response.status_code == 404
    assert "Tệp không còn trong kho lưu trữ" in response.content.decode()
