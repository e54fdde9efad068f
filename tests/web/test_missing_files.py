"""A record whose file the storage lost: a 404 page that says so, and a warning logged."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services

MISSING = "Tệp không còn trong kho lưu trữ"


def lose(field_file) -> None:
    field_file.storage.delete(field_file.name)


@pytest.fixture
def attachment(world):
    return services.attachment_add(
        user=world.staff,
        agreement=world.agreement,
        uploaded_file=SimpleUploadedFile("quy-che-ky.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


@pytest.mark.django_db
def test_an_attachment_whose_file_was_deleted_is_a_404_that_says_so(
    staff_client, attachment, caplog
):
    url = reverse("agreements:attachment_download", args=[attachment.pk])
    assert staff_client.get(url).status_code == 200
    lose(attachment.file)

    with caplog.at_level(logging.WARNING, logger="units.files"):
        response = staff_client.get(url)

    assert response.status_code == 404
    assert MISSING in response.content.decode()
    assert 'class="site-header"' in response.content.decode()
    assert [r.levelname for r in caplog.records if r.name == "units.files"] == ["WARNING"]
    assert attachment.file.name in caplog.text


@pytest.mark.django_db
def test_an_ordinary_missing_page_keeps_its_own_message(staff_client):
    response = staff_client.get("/agreements/999999/")
    assert response.status_code == 404
    assert MISSING not in response.content.decode()
    assert "Không tìm thấy trang" in response.content.decode()
