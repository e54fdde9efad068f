"""Every scope's annual summary as one ZIP, rendered by a background job."""

import io
import zipfile

from django.urls import reverse

from jobs.models import Job

BATCH = reverse("reports:annual_batch", args=[2025])


def test_the_national_user_gets_every_scopes_summary_in_one_zip(client, world):
    client.force_login(world.national_user)

    page = client.post(BATCH, follow=True)

    job = page.context["job"]
    assert job.state == Job.State.DONE
    assert "Đã lập 3 báo cáo." in page.content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(
        [
            "Báo-cáo-tổng-hợp-2025-Toàn-quốc.pdf",
            "Báo-cáo-tổng-hợp-2025-Thành-phố-Huế.pdf",
            "Báo-cáo-tổng-hợp-2025-Lạng-Sơn.pdf",
        ]
    )
    assert all(archive.read(name).startswith(b"%PDF-") for name in names)


def test_a_province_user_cannot_start_the_batch(client, world):
    client.force_login(world.hue_user)

    assert client.post(BATCH).status_code == 404
    assert Job.objects.count() == 0


def test_a_long_province_summary_renders_in_a_job_then_comes_from_the_cache(
    client, world, settings
):
    settings.ANNUAL_SUMMARY_JOB_AGREEMENTS = 0
    client.force_login(world.hue_user)
    url = reverse("reports:annual_pdf", args=[2025])

    page = client.get(url, follow=True)

    job = page.context["job"]
    assert job.state == Job.State.DONE
    assert job.result_name == "Báo-cáo-tổng-hợp-2025-Thành-phố-Huế.pdf"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    again = client.get(url)
    assert again["Content-Type"] == "application/pdf"
    assert Job.objects.count() == 1


def test_a_short_province_summary_is_served_at_once(client, world):
    client.force_login(world.hue_user)

    response = client.get(reverse("reports:annual_pdf", args=[2025]))

    assert response["Content-Type"] == "application/pdf"
    assert Job.objects.count() == 0
