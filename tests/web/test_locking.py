"""Two people edit the same record: the second save is refused, nothing is overwritten."""

import pytest

from agreements import services
from agreements.models import Review
from tests.web.test_agreement_form import form_data


@pytest.mark.django_db
def test_the_edit_form_carries_the_version(staff_client, world):
    response = staff_client.get(f"/agreements/{world.agreement.pk}/edit/")
    assert response.context["form"]["version"].value() == world.agreement.version
    assert 'name="version"' in response.content.decode()


@pytest.mark.django_db
def test_a_stale_agreement_edit_is_refused_and_nothing_is_overwritten(staff_client, world):
    agreement = world.agreement
    stale_version = agreement.version

    def edit(title):
        return form_data(
            [world.hue_command, world.hue_commune_party],
            title=title,
            number=agreement.number,
            province=str(world.hue.pk),
            valid_from="2025-01-12",
            version=str(stale_version),
        )

    first = staff_client.post(f"/agreements/{agreement.pk}/edit/", edit("Bản của người thứ nhất"))
    assert first.status_code == 302
    second = staff_client.post(f"/agreements/{agreement.pk}/edit/", edit("Bản của người thứ hai"))
    assert second.status_code == 200
    assert "đã được người khác sửa" in second.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Bản của người thứ nhất"


@pytest.mark.django_db
def test_a_stale_review_edit_is_refused_and_nothing_is_overwritten(staff_client, world):
    review = services.review_create(
        user=world.staff,
        agreement=world.agreement,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=world.agreement.valid_from,
        period_end=world.agreement.valid_from.replace(month=12, day=31),
        chaired_by="Ban đầu",
    )
    page = staff_client.get(f"/reviews/{review.pk}/edit/")
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
        if not isinstance(value, list)
    }
    data.update(
        {
            "kind": "annual",
            "year": "2025",
            "period_start": "2025-01-12",
            "period_end": "2025-12-31",
            "version": str(review.version),
        }
    )
    services.review_update(
        review=review, user=world.staff, expected_version=review.version, chaired_by="Người khác"
    )
    response = staff_client.post(f"/reviews/{review.pk}/edit/", {**data, "chaired_by": "Tôi"})
    assert response.status_code == 200
    assert "đã được người khác sửa" in response.content.decode()
    review.refresh_from_db()
    assert review.chaired_by == "Người khác"


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_agreement_edit_posted_without_its_version_is_refused_with_a_message(
    staff_client, world, version
):
    agreement = world.agreement
    data = form_data(
        [world.hue_command, world.hue_commune_party],
        title="Không có phiên bản",
        number=agreement.number,
        province=str(world.hue.pk),
        valid_from="2025-01-12",
    )
    if version is not None:
        data["version"] = version
    response = staff_client.post(f"/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 200
    assert "thiếu phiên bản" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title != "Không có phiên bản"


@pytest.mark.django_db
def test_a_review_edit_posted_without_its_version_is_refused_with_a_message(
    staff_client, world, review
):
    data = {
        "kind": "annual",
        "year": "2025",
        "period_start": "2025-01-12",
        "period_end": "2025-12-31",
        "chaired_by": "Không có phiên bản",
    }
    response = staff_client.post(f"/reviews/{review.pk}/edit/", data)
    assert response.status_code == 200
    assert "thiếu phiên bản" in response.content.decode()
    review.refresh_from_db()
    assert review.chaired_by == ""


@pytest.mark.django_db
def test_a_new_review_needs_no_version(staff_client, world):
    data = {
        "kind": "annual",
        "year": "2025",
        "period_start": "2025-01-12",
        "period_end": "2025-12-31",
    }
    response = staff_client.post(f"/agreements/{world.agreement.pk}/reviews/new/", data)
    assert response.status_code == 302
    assert Review.objects.filter(agreement=world.agreement).exists()
