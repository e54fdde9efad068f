"""Django admin exports agreements and reviews; only organizations are imported there.

Agreements and reviews are imported through /import/, whose rows go through the
services with the version check (tests/agreements/test_import_versions.py).
"""

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["agreements_agreement", "agreements_review"])
def test_the_agreement_and_review_changelists_offer_export_and_no_import(client, users, model):
    client.force_login(users.admin)

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert reverse(f"admin:{model}_export") in response.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{model}_import")


@pytest.mark.django_db
def test_the_organization_changelist_offers_import_and_export(client, users):
    client.force_login(users.admin)

    response = client.get(reverse("admin:units_organization_changelist"))

    assert reverse("admin:units_organization_import") in response.content.decode()
    assert reverse("admin:units_organization_export") in response.content.decode()
