"""A user of another province gets 404 for everything of Huế, never a 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def attachment(world):
    upload = SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf")
    return services.attachment_add(
        user=world.staff, uploaded_file=upload, agreement=world.agreement
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/agreements/{a}/",
        "/agreements/{a}/edit/",
        "/agreements/{a}/renew/",
        "/agreements/{a}/reviews/new/",
    ],
)
def test_it_hides_another_provinces_agreement_pages(outsider_client, world, path):
    response = outsider_client.get(path.format(a=world.agreement.pk))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/agreements/{a}/terminate/", "/agreements/{a}/activate/"])
def test_it_hides_another_provinces_agreement_actions(outsider_client, world, path):
    response = outsider_client.post(path.format(a=world.agreement.pk), {"reason": "mutual"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_it_hides_another_provinces_reviews(outsider_client, review):
    assert outsider_client.get(f"/reviews/{review.pk}/").status_code == 404
    assert outsider_client.get(f"/reviews/{review.pk}/edit/").status_code == 404
    assert outsider_client.post(f"/reviews/{review.pk}/approve/").status_code == 404


@pytest.mark.django_db
def test_it_streams_an_attachment_in_scope(staff_client, attachment):
    response = staff_client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "quy-che.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_it_hides_another_provinces_attachment(outsider_client, attachment):
    assert outsider_client.get(f"/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_attachment_follows_its_agreement_to_another_province(world, attachment):
    from agreements.models import Agreement

    Agreement.objects.filter(pk=world.agreement.pk).update(province=world.lang_son)
    assert logged_in(world.staff).get(f"/attachments/{attachment.pk}/").status_code == 404
    assert logged_in(world.outsider).get(f"/attachments/{attachment.pk}/").status_code == 200


@pytest.mark.django_db
def test_minutes_of_a_review_are_scoped_by_the_reviews_agreement(world, review):
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    minutes = services.attachment_add(user=world.staff, uploaded_file=upload, review=review)
    assert logged_in(world.staff).get(f"/attachments/{minutes.pk}/").status_code == 200
    assert logged_in(world.outsider).get(f"/attachments/{minutes.pk}/").status_code == 404


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_it_hides_another_provinces_organization(outsider_client, world):
    assert outsider_client.get(f"/organizations/{world.hue_post.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_autocomplete_offers_only_organizations_in_scope(outsider_client, world):
    names = [
        r["text"]
        for r in outsider_client.get("/autocomplete/organizations/?q=dang uy").json()["results"]
    ]
    assert "Đảng ủy xã Đồng Đăng" in names
    assert "Đảng ủy Bộ đội Biên phòng" in names  # central bodies are shared
    assert not any("Huế" in n or "A Lưới" in n for n in names)


@pytest.mark.django_db
def test_the_autocomplete_folds_diacritics(staff_client):
    results = staff_client.get("/autocomplete/organizations/?q=don bien phong a luoi").json()
    assert [r["text"] for r in results["results"]] == ["Đồn Biên phòng A Lưới"]


@pytest.mark.django_db
def test_a_party_from_another_province_is_refused_when_posted(staff_client, world):
    from tests.web.test_agreement_form import form_data

    data = form_data([world.hue_command, world.ls_commune_party])
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 200
    errors = response.context["parties"].forms[1].errors
    assert "organization" in errors


@pytest.mark.django_db
def test_the_list_and_its_exports_hide_other_provinces(outsider_client, world):
    response = outsider_client.get("/agreements/")
    assert response.status_code == 200
    assert world.agreement.title not in response.content.decode()
    export = outsider_client.get("/agreements/export.csv")
    assert export.status_code == 200
    csv = export.content.decode("utf-8-sig")
    assert "Tên văn bản" in csv.splitlines()[0]
    assert world.agreement.title not in csv


@pytest.mark.django_db
def test_the_commune_page_lists_only_agreements_in_scope(client, world):
    world.hue_command.area = world.hue
    world.hue_command.save()
    client.force_login(world.staff)
    assert world.agreement.title in client.get(f"/units/{world.hue.pk}/").content.decode()
    client.force_login(world.outsider)
    assert world.agreement.title not in client.get(f"/units/{world.hue.pk}/").content.decode()


@pytest.mark.django_db
def test_a_replacing_agreement_of_another_province_is_named_but_not_linked(client, world):
    from django.urls import reverse

    from tests.web.conftest import regulation

    newer = regulation(
        user=world.national_official,
        parties=[world.ls_command, world.ls_commune_party],
        title="Quy chế phối hợp mới của Lạng Sơn",
        valid_from=world.agreement.valid_from.replace(year=world.agreement.valid_from.year + 1),
        supersedes=[world.agreement],
    )
    link = f'href="{reverse("agreements:detail", args=[newer.pk])}"'
    client.force_login(world.official)
    body = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    assert newer.title in body
    assert link not in body
    client.force_login(world.national_official)
    body = client.get(reverse("agreements:detail", args=[world.agreement.pk])).content.decode()
    assert link in body
