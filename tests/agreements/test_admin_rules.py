"""Dissolving an organization in admin offers to terminate its agreements."""

import datetime

from django.urls import reverse

from agreements.models import Agreement
from tests.agreements.test_admin import form_data


def test_an_admin_edit_leaving_one_party_is_refused_with_the_rule(admin_client, make_agreement):
    agreement = make_agreement()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["parties-1-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "ít nhất hai bên ký kết" in response.content.decode()
    assert agreement.parties.count() == 2


def test_an_admin_edit_with_the_period_ending_before_it_starts_is_refused(
    admin_client, make_agreement
):
    agreement = make_agreement()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["valid_until"] = "01/01/2000"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    # The service's message, not the database constraint's generic one.
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.valid_until != datetime.date(2000, 1, 1)


def test_an_admin_edit_clashing_with_another_in_force_agreement_is_refused(
    admin_client, make_agreement, orgs
):
    first = make_agreement(
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 12, 31)
    )
    second = make_agreement(
        valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2023, 12, 31)
    )
    url = reverse("admin:agreements_agreement_change", args=[second.pk])
    data = form_data(admin_client.get(url))
    data["valid_from"] = "01/06/2021"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "trùng lặp" in response.content.decode()
    second.refresh_from_db()
    assert second.valid_from == datetime.date(2022, 1, 1)
    first.refresh_from_db()
    assert first.status == Agreement.Status.IN_FORCE
