"""With STORAGE_BACKEND=s3 every file goes to the bucket and comes back through the app:
attachments, rendered reports, export files. A real S3 API (moto's server, in-process,
no network) stands in for the store."""

import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from agreements.models import Attachment
from config.storage import file_storages
from jobs.models import Job
from reports import renderer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, files_in_tmp):
    """A new bucket, and the settings STORAGE_BACKEND=s3 gives for it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"phoihop-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket=name)
    options = {"bucket_name": name, "endpoint_url": s3_endpoint, "region_name": REGION}
    settings.STORAGES = {**settings.STORAGES, **file_storages("s3", s3=options)}

    def keys(prefix: str) -> list[str]:
        listed = client.list_objects_v2(Bucket=name, Prefix=prefix)
        return [item["Key"] for item in listed.get("Contents", [])]

    client.keys = keys
    client.name = name
    return client


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_an_attachment_is_uploaded_to_the_bucket_and_downloaded_from_it(
    staff_client, world, bucket, files_in_tmp
):
    response = staff_client.post(
        reverse("agreements:attachment_upload", args=[world.agreement.pk]),
        {"file": SimpleUploadedFile("quy-che-ky.pdf", PDF), "description": "Bản ký"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()

    assert bucket.keys("media/") == [f"media/{attachment.file.name}"]
    assert not (files_in_tmp / "media").exists()
    download = staff_client.get(reverse("agreements:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert content_of(download) == PDF


@pytest.mark.django_db
def test_an_attachment_deleted_from_the_bucket_is_a_404_that_says_so(staff_client, world, bucket):
    staff_client.post(
        reverse("agreements:attachment_upload", args=[world.agreement.pk]),
        {"file": SimpleUploadedFile("quy-che-ky.pdf", PDF)},
    )
    attachment = Attachment.objects.get()
    bucket.delete_object(Bucket=bucket.name, Key=f"media/{attachment.file.name}")

    response = staff_client.get(reverse("agreements:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404
    assert "Tệp không còn trong kho lưu trữ" in response.content.decode()


@pytest.mark.django_db
def test_a_report_is_rendered_once_into_the_bucket_and_served_from_it(
    staff_client, review, bucket, monkeypatch, files_in_tmp
):
    url = reverse("reports:review_pdf", args=[review.pk])
    first = content_of(staff_client.get(url))
    assert first.startswith(b"%PDF")
    cached = bucket.keys("report-cache/")
    assert len(cached) == 1 and cached[0].startswith(f"report-cache/review-{review.pk}-")
    assert not (files_in_tmp / "report-cache").exists()

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again instead of read from the bucket")

    monkeypatch.setattr(renderer, "render_pdf", no_render)
    second = staff_client.get(url)
    assert second.status_code == 200
    assert content_of(second) == first


@pytest.mark.django_db
def test_an_export_job_stores_its_file_in_the_bucket(staff_client, world, bucket, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    assert staff_client.get("/agreements/export.csv").status_code == 302
    job = Job.objects.get()

    assert bucket.keys("media/jobs/result/") == [f"media/{job.result_file.name}"]
    download = staff_client.get(reverse("jobs:download", args=[job.pk]))
    assert world.agreement.title in content_of(download).decode("utf-8-sig")
