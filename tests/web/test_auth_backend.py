"""units.auth.Backend reads a user's permissions in one statement and their organization
with the user; it must grant exactly what Django's ModelBackend grants, and a change of
role must count on the very next request."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import make_user
from units.auth import Backend
from units.models import User
from units.roles import DATA_ENTRY, OFFICIAL


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_it_grants_what_djangos_backend_grants(world):
    world.official.user_permissions.add(
        Permission.objects.get(content_type__app_label="units", codename="add_organization")
    )
    for user in (world.staff, world.official, world.national_official, world.reader):
        expected = ModelBackend().get_all_permissions(fresh(user))
        assert Backend().get_all_permissions(fresh(user)) == expected, user.username
    assert "units.add_organization" in Backend().get_all_permissions(fresh(world.official))


@pytest.mark.django_db
def test_it_grants_nothing_to_an_inactive_user(world):
    world.staff.is_active = False
    world.staff.save()
    assert Backend().get_all_permissions(fresh(world.staff)) == set()
    assert not fresh(world.staff).has_perm("agreements.change_agreement")


@pytest.mark.django_db
def test_a_superuser_has_every_permission(world):
    boss = User.objects.create_superuser("quantri", password="x-pass-123")
    assert Backend().get_all_permissions(fresh(boss)) == ModelBackend().get_all_permissions(
        fresh(boss)
    )


@pytest.mark.django_db
def test_a_page_reads_the_permissions_in_one_query(staff_client):
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get("/agreements/").status_code == 200
    permission_reads = [q for q in queries if '"auth_permission"' in q["sql"]]
    organization_reads = [q for q in queries if 'FROM "units_organization"' in q["sql"]]
    assert len(permission_reads) == 1
    assert organization_reads == []


@pytest.mark.django_db
def test_a_removed_role_counts_on_the_next_request(staff_client, world):
    assert staff_client.get("/agreements/new/").status_code == 200
    world.staff.groups.set([Group.objects.get(name=OFFICIAL)])
    assert staff_client.get("/agreements/new/").status_code == 403
    world.staff.groups.set([Group.objects.get(name=DATA_ENTRY)])
    assert staff_client.get("/agreements/new/").status_code == 200


@pytest.mark.django_db
def test_a_moved_user_sees_their_new_province_at_once(client, world):
    mover = make_user("canbo.chuyen", world.hue_command, DATA_ENTRY)
    client.force_login(mover)
    assert world.agreement.title in client.get("/agreements/").content.decode()
    mover.organization = world.ls_command
    mover.save()
    assert world.agreement.title not in client.get("/agreements/").content.decode()
