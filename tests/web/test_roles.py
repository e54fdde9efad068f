import pytest

from agreements import services
from agreements.models import Review


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/agreements/new/",
        "/agreements/{a}/edit/",
        "/agreements/{a}/renew/",
        "/agreements/{a}/reviews/new/",
    ],
)
def test_an_official_gets_403_on_edit_pages_in_scope(official_client, world, path):
    assert official_client.get(path.format(a=world.agreement.pk)).status_code == 403


@pytest.mark.django_db
def test_an_official_gets_403_on_status_actions(official_client, world):
    url = f"/agreements/{world.agreement.pk}/terminate/"
    assert official_client.post(url, {"reason": "mutual", "on": "2026-01-01"}).status_code == 403


@pytest.mark.django_db
def test_a_user_without_a_role_can_read_nothing_to_change(client, world):
    client.force_login(world.reader)
    assert client.get("/agreements/new/").status_code == 403


@pytest.mark.django_db
def test_an_official_sees_no_edit_buttons(official_client, world):
    html = official_client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert f"/agreements/{world.agreement.pk}/edit/" not in html
    assert "/agreements/new/" not in html
    assert "/terminate/" not in html


@pytest.mark.django_db
def test_staff_see_the_edit_buttons(staff_client, world):
    html = staff_client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert f"/agreements/{world.agreement.pk}/edit/" in html
    assert f"/agreements/{world.agreement.pk}/reviews/new/" in html


@pytest.mark.django_db
def test_an_official_approves_a_review(official_client, world, review):
    html = official_client.get(f"/reviews/{review.pk}/").content.decode()
    assert f"/reviews/{review.pk}/approve/" in html
    response = official_client.post(f"/reviews/{review.pk}/approve/")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.approved_by == world.official


@pytest.mark.django_db
def test_staff_cannot_approve_a_review(staff_client, review):
    assert staff_client.post(f"/reviews/{review.pk}/approve/").status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


@pytest.mark.django_db
def test_an_approved_review_is_locked_for_staff(staff_client, world, review):
    services.review_approve(review=review, user=world.official)
    response = staff_client.get(f"/reviews/{review.pk}/edit/")
    assert response.status_code == 302
    assert response.url == f"/reviews/{review.pk}/"


@pytest.mark.django_db
def test_an_official_downloads_but_cannot_upload(official_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = official_client.post(
        f"/agreements/{world.agreement.pk}/attachments/", {"file": upload}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_upload_a_signed_scan_and_bad_files_are_refused(staff_client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/agreements/{world.agreement.pk}/attachments/"
    good = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert staff_client.post(url, {"file": good}).status_code == 302
    assert world.agreement.attachments.count() == 1
    bad = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = staff_client.post(url, {"file": bad}, follow=True)
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.content.decode()
    assert world.agreement.attachments.count() == 1
