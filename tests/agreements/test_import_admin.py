"""Django admin offers import and export with the same resources and the same rules."""

import io

import pytest
import tablib
from django.urls import reverse

from agreements.models import Agreement
from units.resources import write_table

from .test_import_agreements import HEADERS, regulation


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["agreements_agreement", "agreements_review"])
def test_the_changelists_offer_import_and_export(client, users, model):
    client.force_login(users.admin)

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert reverse(f"admin:{model}_import") in response.content.decode()
    assert reverse(f"admin:{model}_export") in response.content.decode()


@pytest.mark.django_db
def test_an_admin_import_goes_through_the_services_and_records_the_admin(client, orgs, users):
    client.force_login(users.admin)
    content = write_table(tablib.Dataset(regulation(orgs), headers=HEADERS), "xlsx")
    file = io.BytesIO(content)
    file.name = "van-ban.xlsx"

    preview = client.post(
        reverse("admin:agreements_agreement_import"), {"import_file": file, "format": "0"}
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None, preview.context["result"].invalid_rows
    response = client.post(reverse("admin:agreements_agreement_process_import"), confirm.initial)

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.parties.count() == 2
    assert agreement.history.first().history_user == users.admin


@pytest.mark.django_db
def test_an_admin_import_with_a_bad_row_offers_no_confirmation(client, orgs, users):
    client.force_login(users.admin)
    rows = [regulation(orgs, "1/QC"), regulation(orgs, "2/QC", party_2="")]
    file = io.BytesIO(write_table(tablib.Dataset(*rows, headers=HEADERS), "xlsx"))
    file.name = "van-ban.xlsx"

    preview = client.post(
        reverse("admin:agreements_agreement_import"), {"import_file": file, "format": "0"}
    )

    assert preview.context.get("confirm_form") is None
    assert len(preview.context["result"].invalid_rows) == 1
    assert Agreement.objects.count() == 0
