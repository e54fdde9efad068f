"""Changes made in Django admin are recorded with the admin who made them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Agreement, AgreementParty
from units.roles import ROLES


def form_data(response) -> dict:
    """The POST an unchanged admin change form would send, inlines included."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = field.widget.format_value(value) or value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            add(form)
    return data


def test_organizations_and_units_are_read_only_in_admin(admin_client, orgs):
    """One write path: the web pages and the import end in the services; admin reads."""
    url = reverse("admin:units_organization_change", args=[orgs.post_a.pk])
    assert admin_client.get(url).status_code == 200
    data = {"name": "Sửa trong quản trị", "kind": "border_post", "level": "commune"}
    assert admin_client.post(url, data).status_code == 403
    orgs.post_a.refresh_from_db()
    assert orgs.post_a.name != "Sửa trong quản trị"
    assert admin_client.get(reverse("admin:units_organization_add")).status_code == 403
    delete = reverse("admin:units_organization_delete", args=[orgs.post_a.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    unit = reverse("admin:units_administrativeunit_change", args=[orgs.post_a.province_id])
    assert admin_client.post(unit, {"name": "x"}).status_code == 403


def test_an_agreement_changed_in_admin_records_it_and_its_parties(
    admin_client, make_agreement, orgs, users
):
    agreement = make_agreement()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["title"] = "Quy chế phối hợp (sửa trong quản trị)"
    lead = agreement.parties.get(organization=orgs.bg_command)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(lead.pk))
    data[index.replace("-id", "-signatory_name")] = "Đại tá Nguyễn Văn A"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement.refresh_from_db()
    assert agreement.title == "Quy chế phối hợp (sửa trong quản trị)"
    assert agreement.updated_by == users.admin
    assert agreement.history.latest("history_id").history_user == users.admin
    party_row = AgreementParty.history.filter(id=lead.pk).latest("history_id")
    assert (party_row.history_user, party_row.signatory_name) == (
        users.admin,
        "Đại tá Nguyễn Văn A",
    )


def test_a_party_added_in_admin_updates_the_parties_key(admin_client, make_agreement, orgs, users):
    agreement = make_agreement()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["parties-TOTAL_FORMS"] = 3
    data.update(
        {
            "parties-2-organization": orgs.peoples_committee.pk,
            "parties-2-role": AgreementParty.Role.PARTY,
            "parties-2-order": 3,
            "parties-2-agreement": agreement.pk,
        }
    )
    version = agreement.version
    response = admin_client.post(url, data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    expected = sorted([orgs.bg_command.pk, orgs.city_party.pk, orgs.peoples_committee.pk])
    assert agreement.parties_key == ",".join(map(str, expected))
    # Recorded like any change: in the history, and an edit form opened before is stale.
    latest = agreement.history.latest("history_id")
    assert (latest.parties_key, latest.history_user) == (agreement.parties_key, users.admin)
    assert agreement.version > version


def test_the_history_pages_show_who_changed_what(admin_client, make_agreement, orgs, users):
    agreement = make_agreement()
    response = admin_client.get(reverse("admin:agreements_agreement_history", args=[agreement.pk]))
    assert response.status_code == 200
    assert users.hue_clerk.username in response.content.decode()
    response = admin_client.get(reverse("admin:units_organization_history", args=[orgs.post_a.pk]))
    assert response.status_code == 200


def test_the_status_cannot_be_changed_in_admin(admin_client, make_agreement):
    agreement = make_agreement()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["status"] = Agreement.Status.TERMINATED
    assert admin_client.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_the_expire_action_expires_only_what_is_over(admin_client, make_agreement, orgs, users):
    over = make_agreement()
    running = make_agreement([orgs.bg_command, orgs.peoples_committee], valid_until=None)
    response = admin_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "expire_selected", "_selected_action": [over.pk, running.pk]},
        follow=True,
    )
    assert "Đã chuyển 1 văn bản." in response.content.decode()
    assert Agreement.objects.get(pk=over.pk).status == Agreement.Status.EXPIRED
    assert Agreement.objects.get(pk=running.pk).status == Agreement.Status.IN_FORCE
    assert over.history.latest("history_id").history_user == users.admin


def test_an_admin_search_ignores_diacritics(admin_client, orgs):
    response = admin_client.get(reverse("admin:units_organization_changelist"), {"q": "hong van"})
    assert [o.pk for o in response.context["cl"].result_list] == [orgs.post_a.pk]


def test_staff_of_a_province_cannot_enter_admin(client, users):
    # Admin lists are not limited by province: only superusers may use them.
    clerk = users.hue_clerk
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    response = client.get(reverse("admin:agreements_agreement_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert "Quản trị" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_migrate_creates_the_roles_with_their_permissions():
    # No roles_sync() call here: the test database was built by `migrate` alone.
    for name, codes in ROLES.items():
        group = Group.objects.get(name=name)
        granted = {
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        }
        assert granted == set(codes)
