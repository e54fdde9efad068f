"""Django admin: organizations are changed there with the admin recorded; agreements,
reviews and their parts are only read there (the web pages and /import/ write them)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Agreement, Attachment
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
    for inline in response.context.get("inline_admin_formsets", []):
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


READ_ONLY_MODELS = ["agreement", "review", "indicatorvalue", "attachment"]


@pytest.fixture
def records(make_agreement, make_review, users):
    """One stored row of each read-only model, by admin model name."""
    agreement = make_agreement()
    review = make_review(agreement, indicator_values={"joint_patrols": 12})
    attachment = Attachment.objects.create(
        agreement=agreement,
        file="attachments/ab/abc",
        original_name="ban-ky.pdf",
        content_type="application/pdf",
        size=10,
        sha256="abc",
        uploaded_by=users.hue_clerk,
    )
    return {
        "agreement": agreement,
        "review": review,
        "indicatorvalue": review.indicator_values.get(),
        "attachment": attachment,
    }


@pytest.mark.parametrize("model", READ_ONLY_MODELS)
def test_a_superuser_sees_agreements_and_reviews_in_admin_without_a_save_button(
    admin_client, records, model
):
    obj = records[model]
    response = admin_client.get(reverse(f"admin:agreements_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert reverse(f"admin:agreements_{model}_delete", args=[obj.pk]) not in content
    changelist = admin_client.get(reverse(f"admin:agreements_{model}_changelist"))
    assert reverse(f"admin:agreements_{model}_add") not in changelist.content.decode()


@pytest.mark.parametrize("model", READ_ONLY_MODELS)
def test_a_superuser_cannot_change_add_or_delete_in_admin(admin_client, records, model):
    obj = records[model]
    data = form_data(admin_client.get(reverse(f"admin:agreements_{model}_change", args=[obj.pk])))
    version = getattr(obj, "version", None)
    change = admin_client.post(reverse(f"admin:agreements_{model}_change", args=[obj.pk]), data)
    add = admin_client.post(reverse(f"admin:agreements_{model}_add"), data)
    delete = admin_client.post(
        reverse(f"admin:agreements_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )
    bulk_delete = admin_client.post(
        reverse(f"admin:agreements_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    # The changelist offers no delete action, so the request changes nothing.
    assert obj.__class__.objects.filter(pk=obj.pk).exists()
    assert bulk_delete.status_code in (200, 302)
    if version is not None:
        obj.refresh_from_db()
        assert obj.version == version


@pytest.mark.parametrize("model", ["agreement", "review", "indicatorvalue"])
def test_a_superuser_cannot_revert_a_history_version_in_admin(admin_client, records, model, users):
    obj = records[model]
    record = obj.history.earliest("history_id")
    url = reverse(f"admin:agreements_{model}_simple_history", args=[obj.pk, record.history_id])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    count = obj.history.count()
    assert admin_client.post(url, form_data(response)).status_code == 403
    assert obj.history.count() == count


def test_an_indicator_value_cannot_be_changed_in_admin_so_the_totals_hold(admin_client, records):
    value = records["indicatorvalue"]
    url = reverse("admin:agreements_indicatorvalue_change", args=[value.pk])
    data = form_data(admin_client.get(url))
    data["value"] = "40"
    assert admin_client.post(url, data).status_code == 403
    value.refresh_from_db()
    assert value.value == 12


def test_the_history_pages_show_who_changed_what(admin_client, make_agreement, orgs, users):
    agreement = make_agreement()
    response = admin_client.get(reverse("admin:agreements_agreement_history", args=[agreement.pk]))
    assert response.status_code == 200
    assert users.hue_clerk.username in response.content.decode()
    response = admin_client.get(reverse("admin:units_organization_history", args=[orgs.post_a.pk]))
    assert response.status_code == 200


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
