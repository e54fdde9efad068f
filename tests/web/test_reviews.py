import pytest

from agreements.models import Indicator, Review


def review_data(**overrides) -> dict:
    data = {
        "kind": "annual",
        "year": "2025",
        "period_start": "2025-01-12",
        "period_end": "2025-12-31",
        "held_on": "2025-12-20",
        "held_at": "Hội trường Đồn Biên phòng A Lưới",
        "chaired_by": "Bí thư Đảng ủy",
        "situation": "Tình hình ổn định.",
        "ind_joint_patrols": "1352",
        "ind_patrol_participants": "15942",
        "ind_fines": "3000.5",
        "fa_information_exchange": "Trao đổi 49 lượt thông tin.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_review_form_shows_every_indicator_with_its_unit(staff_client, world):
    response = staff_client.get(f"/agreements/{world.agreement.pk}/reviews/new/")
    html = response.content.decode()
    for indicator in Indicator.objects.all():
        assert f'name="ind_{indicator.code}"' in html
    assert "lượt người" in html


@pytest.mark.django_db
def test_staff_record_an_annual_review_with_indicators(staff_client, world):
    response = staff_client.post(f"/agreements/{world.agreement.pk}/reviews/new/", review_data())
    assert response.status_code == 302
    review = Review.objects.get(agreement=world.agreement, year=2025)
    values = {v.indicator.code: v.value for v in review.indicator_values.all()}
    assert values == {"joint_patrols": 1352, "patrol_participants": 15942, "fines": 3000.5}
    assert review.focus_results.get().text == "Trao đổi 49 lượt thông tin."
    page = staff_client.get(response.url).content.decode()
    assert "1.352" in page or "1,352" in page


@pytest.mark.django_db
def test_a_second_annual_review_for_the_same_year_is_refused_clearly(staff_client, world):
    url = f"/agreements/{world.agreement.pk}/reviews/new/"
    staff_client.post(url, review_data())
    response = staff_client.post(url, review_data(chaired_by="Người khác"))
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["Văn bản này đã có báo cáo sơ kết năm 2025."]
    assert Review.objects.filter(agreement=world.agreement).count() == 1


@pytest.mark.django_db
def test_a_negative_indicator_is_refused_beside_it(staff_client, world):
    response = staff_client.post(
        f"/agreements/{world.agreement.pk}/reviews/new/", review_data(ind_crime_cases="-3")
    )
    assert response.status_code == 200
    assert "ind_crime_cases" in response.context["form"].errors


@pytest.mark.django_db
def test_editing_a_review_keeps_and_changes_its_figures(staff_client, world):
    staff_client.post(f"/agreements/{world.agreement.pk}/reviews/new/", review_data())
    review = Review.objects.get(agreement=world.agreement)
    page = staff_client.get(f"/reviews/{review.pk}/edit/")
    assert page.context["form"]["ind_joint_patrols"].value() == 1352
    response = staff_client.post(
        f"/reviews/{review.pk}/edit/",
        review_data(ind_joint_patrols="1400", ind_fines="", version=str(review.version)),
    )
    assert response.status_code == 302
    values = {v.indicator.code: v.value for v in review.indicator_values.all()}
    assert values == {"joint_patrols": 1400, "patrol_participants": 15942}


@pytest.mark.django_db
def test_the_issuing_body_offers_only_parties_in_the_users_scope(staff_client, world):
    from agreements.models import AgreementParty

    AgreementParty.objects.create(agreement=world.agreement, organization=world.ls_commune_party)
    response = staff_client.get(f"/agreements/{world.agreement.pk}/reviews/new/")
    choices = list(response.context["form"].fields["issuing_organization"].queryset)
    assert world.ls_commune_party not in choices
    assert world.hue_command in choices
