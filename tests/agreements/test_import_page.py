"""The staff import page: login and permission, file errors, preview, confirm, templates."""

import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from agreements.models import Agreement
from jobs.models import Job
from units.resources import write_table

from .test_import_agreements import HEADERS, database_dump, regulation

START = reverse("agreements:import_start")


@pytest.fixture(autouse=True)
def login_url(settings):
    settings.LOGIN_URL = "/login/"


def upload(client, content: bytes, name="van-ban.xlsx", kind="agreements"):
    """Upload a file; the preview job runs at once in tests, and its page is returned."""
    file = io.BytesIO(content)
    file.name = name
    return client.post(START, {"kind": kind, "file": file}, follow=True)


def confirm(client, preview_job):
    return client.post(reverse("agreements:import_confirm"), {"job": preview_job.pk}, follow=True)


def dump_without_sessions():
    """The data, leaving out sessions and the job records the upload itself creates."""
    dump = database_dump()
    dump.pop("django_session", None)
    dump.pop("jobs_job", None)
    return dump


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.get(START)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_it_requires_the_permission_to_add_agreements(client, users):
    client.force_login(users.hue_official)

    assert client.get(START).status_code == 403
    assert (
        client.get(reverse("agreements:import_template", args=["agreements", "csv"])).status_code
        == 403
    )


@pytest.mark.django_db
def test_a_clerk_previews_then_confirms_an_import(client, orgs, users):
    client.force_login(users.hue_clerk)
    content = write_table(tablib.Dataset(regulation(orgs), headers=HEADERS), "xlsx")

    preview = upload(client, content)

    assert preview.status_code == 200
    assert "Xác nhận nhập" in preview.content.decode()
    assert Agreement.objects.count() == 0
    job = preview.context["job"]
    assert (job.kind, job.state, job.done, job.total) == ("import_preview", "done", 1, 1)
    confirmed = confirm(client, job)
    assert confirmed.context["job"].kind == "import_confirm"
    agreement = Agreement.objects.get()
    assert agreement.history.first().history_user == users.hue_clerk
    assert "thêm mới 1" in confirmed.content.decode()
    # A preview is confirmed once: a second confirm finds nothing.
    again = client.post(reverse("agreements:import_confirm"), {"job": job.pk})
    assert again.status_code == 404


@pytest.mark.django_db
def test_another_users_preview_cannot_be_confirmed(client, orgs, users):
    client.force_login(users.hue_clerk)
    content = write_table(tablib.Dataset(regulation(orgs), headers=HEADERS), "csv")
    job = upload(client, content, name="a.csv").context["job"]
    client.force_login(users.national)

    response = client.post(reverse("agreements:import_confirm"), {"job": job.pk})

    assert response.status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert Agreement.objects.count() == 0


@pytest.mark.django_db
def test_the_preview_lists_every_bad_row_and_offers_no_confirmation(client, orgs, users):
    client.force_login(users.hue_clerk)
    rows = [
        regulation(orgs, "1/QC"),
        regulation(orgs, "2/QC", party_2=""),
        regulation(orgs, "3/QC", valid_from=""),
    ]
    before = dump_without_sessions()

    response = upload(client, write_table(tablib.Dataset(*rows, headers=HEADERS), "csv"), "a.csv")

    body = response.content.decode()
    assert response.status_code == 200
    assert [row for row, _messages in response.context["job"].result["problems"]] == [3, 4]
    assert "ít nhất hai bên" in body
    assert "Xác nhận nhập" not in body
    assert dump_without_sessions() == before
    preview = response.context["job"]
    assert client.post(reverse("agreements:import_confirm"), {"job": preview.pk}).status_code == 404


@pytest.mark.django_db
def test_a_preview_whose_file_expired_tells_the_clerk_to_upload_again(client, orgs, users):
    client.force_login(users.hue_clerk)
    content = write_table(tablib.Dataset(regulation(orgs), headers=HEADERS), "csv")
    preview = upload(client, content, name="a.csv").context["job"]
    preview.input_file.storage.delete(preview.input_file.name)

    response = confirm(client, preview)

    assert response.context["job"].state == Job.State.FAILED
    assert "hết hạn" in response.content.decode()
    assert Agreement.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4\x00\x01binary", "chỉ nhận bảng tính"),
        (b"PK\x03\x04not really a zip", "không phải bảng tính Excel"),
        (b"", "Tệp rỗng"),
        ("Họ tên,Địa chỉ\nA,B\n".encode(), "Thiếu cột bắt buộc"),
        (write_table(tablib.Dataset(headers=HEADERS), "csv"), "không có dòng dữ liệu"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", ".xls"),
    ],
)
def test_an_unusable_file_gets_a_clear_message_and_changes_nothing(client, users, content, message):
    client.force_login(users.hue_clerk)
    before = dump_without_sessions()

    response = upload(client, content, name="tep.xlsx")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert dump_without_sessions() == before


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(client, users, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(users.hue_clerk)

    response = upload(client, b"a," * 100, name="big.csv")

    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["organizations", "agreements", "reviews"])
def test_templates_download_and_import_as_empty_files(client, users, kind):
    client.force_login(users.hue_clerk)

    response = client.get(reverse("agreements:import_template", args=[kind, "xlsx"]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0].startswith("#") and rows[2][0].startswith("#")
    csv = client.get(reverse("agreements:import_template", args=[kind, "csv"]))
    assert csv.content.startswith("\ufeff".encode())
    # The template itself has only comment rows: importing it changes nothing.
    preview = upload(client, response.content, kind=kind)
    assert "không có dòng dữ liệu" in preview.content.decode()
