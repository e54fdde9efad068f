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
