"""Dissolving an organization in admin offers to terminate its agreements."""

import datetime

from django.urls import reverse

from agreements.models import Agreement


def test_the_dissolve_action_shows_in_force_agreements_first(admin_client, make_agreement, orgs):
    make_agreement()
    response = admin_client.post(
        reverse("admin:units_organization_changelist"),
        {"action": "dissolve_selected", "_selected_action": [orgs.city_party.pk]},
    )
    assert response.status_code == 200
    assert response.context["rows"] == [(orgs.city_party, 1)]
    orgs.city_party.refresh_from_db()
    assert orgs.city_party.dissolved_on is None


def test_the_dissolve_action_terminates_in_force_agreements_when_asked(
    admin_client, make_agreement, orgs, users
):
    agreement = make_agreement(valid_until=None)
    response = admin_client.post(
        reverse("admin:units_organization_changelist"),
        {
            "action": "dissolve_selected",
            "_selected_action": [orgs.city_party.pk],
            "apply": "1",
            "dissolved_on": "01/07/2025",
            "terminate_agreements": "on",
        },
        follow=True,
    )
    assert "chấm dứt 1 văn bản" in response.content.decode()
    orgs.city_party.refresh_from_db()
    agreement.refresh_from_db()
    assert orgs.city_party.dissolved_on == datetime.date(2025, 7, 1)
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.termination_reason == Agreement.TerminationReason.PARTNER_DISSOLVED
    assert agreement.history.latest("history_id").history_user == users.admin


def test_the_change_form_leaves_dissolution_to_the_action(admin_client, orgs):
    url = reverse("admin:units_organization_change", args=[orgs.city_party.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "dissolved_on" not in form.fields
    assert "successor" not in form.fields
