"""Final actions show what will change on a page of their own, then act on its POST."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import Agreement, Review
from tests.web.conftest import regulation
from tests.web.test_agreement_form import form_data

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def draft(world):
    return services.agreement_create(
        user=world.staff,
        data=services.AgreementInput(
            kind=Agreement.Kind.REGULATION,
            title="Dự thảo quy chế",
            valid_from=datetime.date(2026, 1, 12),
            parties=[
                services.PartyInput(organization=world.hue_post),
                services.PartyInput(organization=world.hue_commune_party_2),
            ],
        ),
        in_force=False,
    )


@pytest.mark.django_db
def test_terminating_first_shows_the_status_change_and_changes_nothing(staff_client, world):
    url = f"/agreements/{world.agreement.pk}/terminate/"
    detail = staff_client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert f'href="{url}"' in detail
    page = staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đang có hiệu lực" in html and "Chấm dứt" in html
    assert 'method="post"' in html
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.IN_FORCE


@pytest.mark.django_db
def test_a_termination_without_a_reason_stays_on_the_confirmation_page(staff_client, world):
    response = staff_client.post(
        f"/agreements/{world.agreement.pk}/terminate/", {"on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.IN_FORCE


@pytest.mark.django_db
def test_activating_shows_the_agreements_it_will_supersede(staff_client, world):
    draft = services.agreement_create(
        user=world.staff,
        data=services.AgreementInput(
            kind=Agreement.Kind.REGULATION,
            title="Quy chế mới",
            valid_from=datetime.date(2026, 1, 12),
            parties=[
                services.PartyInput(organization=world.hue_command),
                services.PartyInput(organization=world.hue_commune_party),
            ],
            supersedes=[world.agreement],
        ),
        in_force=False,
    )
    page = staff_client.get(f"/agreements/{draft.pk}/activate/")
    changed = [label for label, _before, _after in page.context["changes"]]
    assert str(world.agreement) in changed

    assert staff_client.post(f"/agreements/{draft.pk}/activate/").status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SUPERSEDED
    detail = staff_client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert f"/agreements/{draft.pk}/" in detail


@pytest.mark.django_db
def test_a_draft_is_deleted_after_its_confirmation(staff_client, world, draft):
    detail = staff_client.get(f"/agreements/{draft.pk}/").content.decode()
    assert f"/agreements/{draft.pk}/delete/" in detail
    assert staff_client.get(f"/agreements/{draft.pk}/delete/").status_code == 200
    response = staff_client.post(f"/agreements/{draft.pk}/delete/")
    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_a_signed_agreement_offers_no_delete_and_refuses_one(staff_client, world):
    pk = world.agreement.pk
    assert (
        f"/agreements/{pk}/delete/" not in staff_client.get(f"/agreements/{pk}/").content.decode()
    )
    staff_client.post(f"/agreements/{pk}/delete/")
    assert Agreement.objects.filter(pk=pk).exists()


@pytest.mark.django_db
def test_only_the_province_and_its_staff_may_delete_a_draft(client, world, draft):
    client.force_login(world.outsider)
    assert client.post(f"/agreements/{draft.pk}/delete/").status_code == 404
    client.force_login(world.official)
    assert client.post(f"/agreements/{draft.pk}/delete/").status_code == 403
    assert Agreement.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_an_admin_undoes_a_termination_from_the_detail_page(client, world, django_user_model):
    services.agreement_terminate(agreement=world.agreement, user=world.staff, reason="mutual")
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    url = f"/agreements/{world.agreement.pk}/undo-termination/"
    assert url in client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "Chấm dứt nhầm"})

    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.IN_FORCE
    detail = client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert "Chấm dứt nhầm" in detail


@pytest.mark.django_db
def test_staff_cannot_undo_a_termination(staff_client, world):
    services.agreement_terminate(agreement=world.agreement, user=world.staff, reason="mutual")
    url = f"/agreements/{world.agreement.pk}/undo-termination/"
    assert url not in staff_client.get(f"/agreements/{world.agreement.pk}/").content.decode()
    assert staff_client.post(url, {"reason": "x"}).status_code == 403
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.TERMINATED


@pytest.mark.django_db
def test_approving_a_review_is_confirmed_first(official_client, world, review):
    page = official_client.get(f"/reviews/{review.pk}/approve/")
    assert page.status_code == 200
    assert "Đã duyệt" in page.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert official_client.post(f"/reviews/{review.pk}/approve/").status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


@pytest.mark.django_db
def test_a_draft_review_is_deleted_after_its_confirmation(staff_client, world, review):
    assert (
        f"/reviews/{review.pk}/delete/"
        in staff_client.get(f"/reviews/{review.pk}/").content.decode()
    )
    assert staff_client.get(f"/reviews/{review.pk}/delete/").status_code == 200
    response = staff_client.post(f"/reviews/{review.pk}/delete/")
    assert response.url == f"/agreements/{world.agreement.pk}/"
    assert not Review.objects.filter(pk=review.pk).exists()


@pytest.mark.django_db
def test_an_approved_review_is_not_deleted(staff_client, world, review):
    services.review_approve(review=review, user=world.official)
    staff_client.post(f"/reviews/{review.pk}/delete/")
    assert Review.objects.filter(pk=review.pk).exists()


@pytest.mark.django_db
def test_the_create_form_takes_the_signed_scan(staff_client, world, files_in_tmp):
    data = form_data(
        [world.hue_post, world.hue_commune_party_2],
        province=str(world.hue.pk),
        period_start_year="2025",
        period_end_year="2030",
        scan=SimpleUploadedFile("ban-ky.pdf", PDF, content_type="application/pdf"),
        scan_description="Bản ký ngày 12/01/2026",
    )
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(number="07-QC/ĐU")
    assert agreement.term_label == "2025–2030"
    assert agreement.attachments.get().description == "Bản ký ngày 12/01/2026"
    detail = staff_client.get(response.url).content.decode()
    assert "2025–2030" in detail and "ban-ky.pdf" in detail


@pytest.mark.django_db
def test_a_bad_scan_is_shown_beside_its_field_and_nothing_is_saved(
    staff_client, world, files_in_tmp
):
    data = form_data(
        [world.hue_post, world.hue_commune_party_2],
        province=str(world.hue.pk),
        scan=SimpleUploadedFile("ban-ky.gif", b"GIF89a....", content_type="image/gif"),
    )
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["scan"]
    assert not Agreement.objects.filter(number="07-QC/ĐU").exists()


@pytest.mark.django_db
def test_a_file_is_replaced_and_the_old_one_stays_downloadable(staff_client, world, files_in_tmp):
    old = services.attachment_add(
        user=world.staff,
        uploaded_file=SimpleUploadedFile("cu.pdf", PDF),
        agreement=world.agreement,
    )
    assert staff_client.get(f"/attachments/{old.pk}/replace/").status_code == 200
    response = staff_client.post(
        f"/attachments/{old.pk}/replace/",
        {"file": SimpleUploadedFile("moi.png", PNG), "description": ""},
    )
    assert response.status_code == 302
    detail = staff_client.get(f"/agreements/{world.agreement.pk}/")
    assert [a.original_name for a in detail.context["attachments"]] == ["moi.png"]
    assert [a.original_name for a in detail.context["removed_attachments"]] == ["cu.pdf"]
    assert staff_client.get(f"/attachments/{old.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_file_is_removed_after_its_confirmation(client, world, files_in_tmp):
    attachment = services.attachment_add(
        user=world.staff, uploaded_file=SimpleUploadedFile("cu.pdf", PDF), agreement=world.agreement
    )
    client.force_login(world.official)
    assert client.post(f"/attachments/{attachment.pk}/remove/").status_code == 403
    client.force_login(world.staff)
    assert client.get(f"/attachments/{attachment.pk}/remove/").status_code == 200
    client.post(f"/attachments/{attachment.pk}/remove/")
    attachment.refresh_from_db()
    assert attachment.removed_by == world.staff


@pytest.mark.django_db
def test_the_supersedes_autocomplete_offers_only_agreements_in_scope(client, world):
    other = regulation(
        user=world.outsider,
        parties=[world.ls_command, world.ls_commune_party],
        title="Quy chế phối hợp Lạng Sơn",
    )
    client.force_login(world.staff)
    mine = client.get("/agreements/autocomplete/", {"q": "quy che"}).json()["results"]
    client.force_login(world.outsider)
    theirs = client.get("/agreements/autocomplete/", {"q": "quy che"}).json()["results"]
    assert [r["id"] for r in mine] == [world.agreement.pk]
    assert [r["id"] for r in theirs] == [other.pk]


@pytest.mark.django_db
def test_the_edit_form_links_agreements_it_supersedes(staff_client, world):
    new = regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Quy chế mới",
        number="09-QC/ĐU",
        valid_from=datetime.date(2026, 1, 1),
    )
    data = form_data(
        [world.hue_post, world.hue_commune_party_2],
        title="Quy chế mới",
        number="09-QC/ĐU",
        valid_from="2026-01-01",
        province=str(world.hue.pk),
        version=str(new.version),
        supersedes=[str(world.agreement.pk), ""],
    )
    response = staff_client.post(f"/agreements/{new.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(new.supersedes.all()) == [world.agreement]
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.SUPERSEDED
    edit = staff_client.get(f"/agreements/{new.pk}/edit/").content.decode()
    assert f'<option value="{world.agreement.pk}" selected>' in edit
