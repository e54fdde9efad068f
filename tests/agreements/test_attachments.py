import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Attachment
from agreements.services import attachment_add

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
MB = 1024 * 1024


@pytest.fixture
def media(settings, files_in_tmp):
    return settings.MEDIA_ROOT


@pytest.fixture
def agreement(make_agreement):
    return make_agreement()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("quy-che-ky.pdf", PDF, "application/pdf"),
        ("ban-chup.jpg", JPEG, "image/jpeg"),
        ("ban-chup.png", PNG, "image/png"),
    ],
)
def test_it_stores_pdf_jpeg_and_png(agreement, users, media, name, content, content_type):
    attachment = attachment_add(
        user=users.hue_clerk, uploaded_file=upload(name, content), agreement=agreement
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == users.hue_clerk
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert str(media) in attachment.file.path


def test_a_text_file_named_pdf_is_refused(agreement, users):
    with pytest.raises(ValidationError) as exc:
        attachment_add(
            user=users.hue_clerk,
            uploaded_file=upload("bien-ban.pdf", b"just some text, not a PDF"),
            agreement=agreement,
        )
    assert exc.value.message_dict["file"] == [
        "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."
    ]
    assert not Attachment.objects.exists()


def test_a_png_named_txt_is_judged_by_its_content(agreement, users):
    attachment = attachment_add(
        user=users.hue_clerk, uploaded_file=upload("anh.txt", PNG), agreement=agreement
    )
    assert attachment.content_type == "image/png"


def test_a_file_over_the_limit_is_refused(agreement, users, settings):
    settings.ATTACHMENT_MAX_BYTES = MB
    with pytest.raises(ValidationError) as exc:
        attachment_add(
            user=users.hue_clerk,
            uploaded_file=upload("lon.pdf", PDF + b"0" * (MB - len(PDF) + 1)),
            agreement=agreement,
        )
    assert exc.value.message_dict["file"] == ["Tệp quá lớn: tối đa 1 MB."]
    assert not Attachment.objects.exists()


def test_a_file_exactly_at_the_limit_is_accepted(agreement, users, settings):
    settings.ATTACHMENT_MAX_BYTES = MB
    content = PDF + b"0" * (MB - len(PDF))
    attachment = attachment_add(
        user=users.hue_clerk, uploaded_file=upload("vua.pdf", content), agreement=agreement
    )
    assert attachment.size == MB


def test_an_empty_file_is_refused(agreement, users):
    with pytest.raises(ValidationError) as exc:
        attachment_add(
            user=users.hue_clerk, uploaded_file=upload("rong.pdf", b""), agreement=agreement
        )
    assert exc.value.message_dict["file"] == ["Tệp rỗng."]


def test_the_same_file_twice_to_the_same_record_is_refused(agreement, users):
    attachment_add(user=users.hue_clerk, uploaded_file=upload("a.pdf", PDF), agreement=agreement)
    with pytest.raises(ValidationError) as exc:
        attachment_add(
            user=users.hue_clerk, uploaded_file=upload("ten-khac.pdf", PDF), agreement=agreement
        )
    assert exc.value.message_dict["file"] == ["Tệp này đã được tải lên cho bản ghi này."]
    assert Attachment.objects.count() == 1


def test_the_same_file_may_go_to_another_record(
    agreement, make_agreement, make_review, orgs, users
):
    other = make_agreement([orgs.bg_command, orgs.peoples_committee])
    review = make_review(agreement)
    first = attachment_add(
        user=users.hue_clerk, uploaded_file=upload("a.pdf", PDF), agreement=agreement
    )
    second = attachment_add(
        user=users.hue_clerk, uploaded_file=upload("a.pdf", PDF), agreement=other
    )
    minutes = attachment_add(
        user=users.hue_clerk, uploaded_file=upload("a.pdf", PDF), review=review
    )
    assert first.sha256 == second.sha256 == minutes.sha256
    assert Attachment.objects.count() == 3
    with second.file.open("rb") as stored:
        assert stored.read() == PDF


def test_an_attachment_belongs_to_exactly_one_record(agreement, make_review, users):
    review = make_review(agreement)
    with pytest.raises(ValueError):
        attachment_add(
            user=users.hue_clerk,
            uploaded_file=upload("a.pdf", PDF),
            agreement=agreement,
            review=review,
        )
    with pytest.raises(ValueError):
        attachment_add(user=users.hue_clerk, uploaded_file=upload("a.pdf", PDF))
    assert not Attachment.objects.exists()
