"""A list export longer than EXPORT_INLINE_MAX_ROWS is written by a background job: the
same rows, columns and order as inline, for the asking user's scope, downloadable by
that user alone."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Review
from agreements.services import review_create
from jobs.models import Job
from jobs.services import job_create, job_run
from registry.exports import scope_params
from tests.web.conftest import make_org, regulation
from units.models import Level, Organization
from units.scoping import scope_of

QUERY = "?sort=-title"


@pytest.fixture
def listed(world):
    """Three more agreements of Huế and one of Lạng Sơn, which Huế's clerk never sees."""
    for index in range(3):
        partner = make_org(
            f"Đảng ủy xã thử {index}",
            Organization.Kind.LOCAL_PARTY_COMMITTEE,
            Level.COMMUNE,
            world.hue,
        )
        # A title a spreadsheet would run as a formula, unless guarded.
        regulation(
            user=world.staff,
            parties=[world.hue_post, partner],
            title=f'=HYPERLINK("http://evil.example","{index}") quy chế {index}',
        )
    regulation(
        user=world.outsider,
        parties=[world.ls_command, world.ls_commune_party],
        title="Quy chế phối hợp của Lạng Sơn",
    )


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_as_job(client, url: str) -> Job:
    response = client.get(url)
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


@pytest.mark.django_db
def test_a_long_export_runs_as_a_job_with_the_rows_the_list_shows(
    staff_client, world, listed, settings
):
    inline = staff_client.get(f"/agreements/export.csv{QUERY}")
    assert inline.status_code == 200
    settings.EXPORT_INLINE_MAX_ROWS = 3

    job = export_as_job(staff_client, f"/agreements/export.csv{QUERY}")

    assert job.state == Job.State.DONE, job.message
    assert (job.done, job.total) == (4, 4)
    assert job.params["query"] == "sort=-title"
    page = staff_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    download = staff_client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    rows = csv_rows(content_of(download))
    assert rows == csv_rows(inline.content)
    titles = [row[1] for row in rows[1:]]
    assert len(titles) == 4
    assert titles == sorted(titles, reverse=True)
    assert "Quy chế phối hợp của Lạng Sơn" not in titles
    assert all(t.startswith("'=") for t in titles if "HYPERLINK" in t)


def xlsx_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.django_db
def test_a_long_xlsx_export_of_organizations_holds_the_users_province_only(
    staff_client, world, listed, settings
):
    inline = xlsx_rows(staff_client.get("/organizations/export.xlsx").content)
    settings.EXPORT_INLINE_MAX_ROWS = 1

    job = export_as_job(staff_client, "/organizations/export.xlsx")

    assert job.state == Job.State.DONE, job.message
    rows = xlsx_rows(content_of(staff_client.get(f"/jobs/{job.pk}/download")))
    assert rows == inline
    name = rows[0].index("Tên")
    names = {row[name] for row in rows[1:]}
    assert "Đảng ủy xã thử 0" in names
    assert "Đảng ủy xã Đồng Đăng" not in names


@pytest.mark.django_db
def test_a_long_export_of_a_type_without_an_export_of_its_own_writes_the_tables_columns(
    staff_client, world, review, settings
):
    ls_agreement = regulation(
        user=world.outsider,
        parties=[world.ls_command, world.ls_commune_party],
        title="Quy chế phối hợp của Lạng Sơn",
    )
    review_create(
        user=world.outsider,
        agreement=ls_agreement,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=ls_agreement.valid_from,
        period_end=ls_agreement.valid_from.replace(month=12, day=31),
    )
    inline = staff_client.get("/reviews/export.csv")
    settings.EXPORT_INLINE_MAX_ROWS = 0

    job = export_as_job(staff_client, "/reviews/export.csv")

    assert job.state == Job.State.DONE, job.message
    rows = csv_rows(content_of(staff_client.get(f"/jobs/{job.pk}/download")))
    assert rows == csv_rows(inline.content)
    assert rows[0][0] == "Văn bản"
    assert [row[0] for row in rows[1:]] == [f"01-QC/ĐU – {world.agreement.title}"]


@pytest.mark.django_db
def test_another_user_cannot_download_the_file(staff_client, world, listed, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    job = export_as_job(staff_client, "/agreements/export.csv")
    for user in (world.outsider, world.official, world.national_official):
        other = Client()
        other.force_login(user)
        assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404
        assert other.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_an_export_within_the_limit_stays_inline(staff_client, world, listed, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 4

    response = staff_client.get("/agreements/export.csv")

    assert response.status_code == 200
    assert len(csv_rows(response.content)) == 5
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_job_scopes_by_the_user_now_never_by_what_it_recorded(world, listed):
    """A job whose recorded scope is not the user's (forged, or the user moved) fails."""
    job = job_create(
        user=world.staff,
        kind="list_export",
        title="Xuất",
        params={
            "type": "agreements",
            "fmt": "csv",
            "query": "",
            "language": "vi",
            "scope": scope_params(scope_of(world.national_official)),
        },
    )

    job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "Phạm vi dữ liệu của tài khoản đã thay đổi" in job.message
    assert not job.result_file


@pytest.mark.django_db
def test_a_second_click_on_a_long_export_goes_to_the_job_under_way(
    staff_client, world, listed, settings, monkeypatch
):
    from jobs import tasks

    monkeypatch.setattr(tasks, "run_job", lambda job_id: None)  # the consumer is busy
    settings.EXPORT_INLINE_MAX_ROWS = 1
    url = f"/agreements/export.csv{QUERY}"

    first = staff_client.get(url)
    second = staff_client.get(url)
    other_format = staff_client.get(url.replace("export.csv", "export.xlsx"))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert other_format["Location"] != first["Location"]
    assert Job.objects.filter(kind="list_export").count() == 2
