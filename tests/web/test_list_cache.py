"""The agreement list's filter form, count and rows are cached under the data's stamp:
served again, the page runs none of their queries; any change, another scope or another
language gets a freshly built list."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.models import Agreement
from tests.web.conftest import regulation


def agreement_queries(client, path="/agreements/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    listed = [q["sql"] for q in queries if 'FROM "agreements_agreement"' in q["sql"]]
    return response.content.decode(), len(listed)


@pytest.mark.django_db
def test_a_list_served_again_runs_none_of_its_queries(staff_client, world):
    first, first_queries = agreement_queries(staff_client, "/agreements/?sort=-title")
    again, again_queries = agreement_queries(staff_client, "/agreements/?sort=-title")
    assert first_queries > 0
    assert again_queries == 0
    assert world.agreement.title in again


@pytest.mark.django_db
def test_another_query_string_builds_its_own_list(staff_client, world):
    agreement_queries(staff_client)
    content, queries = agreement_queries(staff_client, "/agreements/?kind=twinning")
    assert queries > 0
    assert world.agreement.title not in content


@pytest.mark.django_db
def test_a_new_agreement_shows_on_the_next_request(staff_client, world):
    agreement_queries(staff_client)
    added = regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Quy chế mới vừa nhập",
    )
    content, _queries = agreement_queries(staff_client)
    assert added.title in content


@pytest.mark.django_db
def test_a_status_change_shows_on_the_next_request(staff_client, world):
    content, _queries = agreement_queries(staff_client)
    assert "status-terminated" not in content
    services.agreement_terminate(
        agreement=world.agreement, user=world.staff, reason=Agreement.TerminationReason.values[0]
    )
    content, queries = agreement_queries(staff_client)
    assert queries > 0
    assert "status-terminated" in content


@pytest.mark.django_db
def test_a_user_of_another_province_never_gets_a_cached_list(staff_client, world):
    content, _queries = agreement_queries(staff_client)
    assert world.agreement.title in content
    outsider = Client()
    outsider.force_login(world.outsider)
    content, queries = agreement_queries(outsider)
    assert queries > 0
    assert world.agreement.title not in content


@pytest.mark.django_db
def test_the_other_language_gets_its_own_list(staff_client, world):
    agreement_queries(staff_client)
    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/agreements/"})
    content, queries = agreement_queries(staff_client)
    assert queries > 0
    assert "Per page:" in content
