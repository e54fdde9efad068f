"""Django admin exports agreements, reviews and organizations and imports none of them.

Agreements and reviews are imported through /import/, whose rows go through the
services with the version check (tests/agreements/test_import_versions.py).
"""

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["agreements_agreement", "agreements_review", "units_organization"]
)
def test_the_changelists_offer_export_and_no_import(client, users, model):
    client.force_login(users.admin)

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert reverse(f"admin:{model}_export") in response.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{model}_import")
