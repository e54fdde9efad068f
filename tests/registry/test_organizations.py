import datetime

import pytest
from django.urls import reverse

from agreements.models import Agreement
from units import organization_services
from units.models import AdministrativeUnit, Organization


def _form(world, **overrides):
    data = {
        "name": "Đảng ủy xã A Lưới 2",
        "short_name": "ĐU xã A Lưới 2",
        "code": "",
        "kind": Organization.Kind.LOCAL_PARTY_COMMITTEE,
        "level": "commune",
        "area": "",
        "parent": "",
        "party_of": "",
        "country": "",
        "founded_on": "",
    }
    data.update(overrides)
    return data


def test_data_entry_creates_an_organization_of_their_province_with_a_generated_code(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("registry:organizations_create"), _form(world))
    organization = Organization.objects.get(name="Đảng ủy xã A Lưới 2")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:organizations_detail", args=[organization.pk])
    assert organization.province == world.hue
    assert organization.code == f"TC-46-{organization.pk:05d}"
    assert organization.history.first().code == organization.code


def test_a_border_post_gets_covered_communes_of_its_province_only(client, world):
    client.force_login(world.staff)
    hue_communes = list(
        AdministrativeUnit.objects.current().communes().filter(parent=world.hue)[:2]
    )
    other = AdministrativeUnit.objects.current().communes().filter(parent=world.lang_son).first()
    data = _form(
        world,
        name="Đồn Biên phòng Hồng Vân",
        kind=Organization.Kind.BORDER_POST,
        covered_communes=[u.pk for u in hue_communes],
    )
    assert client.post(reverse("registry:organizations_create"), data).status_code == 302
    post = Organization.objects.get(name="Đồn Biên phòng Hồng Vân")
    assert set(post.covered_communes.all()) == set(hue_communes)

    data["covered_communes"] = [other.pk]
    data["name"] = "Đồn khác"
    response = client.post(reverse("registry:organizations_create"), data)
    assert response.status_code == 200
    assert not Organization.objects.filter(name="Đồn khác").exists()


def test_a_stale_edit_form_is_refused_and_changes_nothing(client, world):
    org = world.hue_commune_party
    client.force_login(world.staff)
    url = reverse("registry:organizations_edit", args=[org.pk])
    opened_version = org.version
    organization_services.organization_update(
        organization=org,
        user=world.official,
        data=organization_services.OrganizationInput(
            **{**organization_services.organization_input_from(org).__dict__, "short_name": "mới"}
        ),
        expected_version=org.version,
    )
    response = client.post(url, _form(world, name="Tên ghi đè", version=opened_version))
    assert response.status_code == 200
    assert "đã được người khác sửa" in response.content.decode()
    org.refresh_from_db()
    assert (org.name, org.short_name) == ("Đảng ủy xã A Lưới 1", "mới")


def test_a_post_without_the_version_is_refused(client, world):
    client.force_login(world.staff)
    url = reverse("registry:organizations_edit", args=[world.hue_commune_party.pk])
    response = client.post(url, _form(world, name="Không có phiên bản"))
    assert response.status_code == 200
    assert "thiếu phiên bản" in response.content.decode()
    assert not Organization.objects.filter(name="Không có phiên bản").exists()


def test_an_edit_shows_in_the_history_tab_field_by_field(client, world):
    org = world.hue_commune_party
    client.force_login(world.staff)
    client.post(
        reverse("registry:organizations_edit", args=[org.pk]),
        _form(world, name="Đảng ủy xã A Lưới Một", version=org.version, code=org.code or ""),
    )
    client.force_login(world.official)
    body = client.get(reverse("registry:organizations_history", args=[org.pk])).content.decode()
    assert "Đảng ủy xã A Lưới 1</del> → <ins>Đảng ủy xã A Lưới Một" in body
    assert world.staff.get_full_name() in body or world.staff.username in body


def test_dissolving_passes_the_work_to_several_successors_and_ends_agreements(client, world):
    client.force_login(world.staff)
    org = world.hue_commune_party
    url = reverse("agreements:organization_dissolve", args=[org.pk])
    page = client.get(url).content.decode()
    assert world.agreement.title in page
    response = client.post(
        url,
        {
            "dissolved_on": "01/07/2025",
            "successors": [world.hue_commune_party_2.pk, world.hue_post.pk],
            "terminate_agreements": "on",
            "version": org.version,
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.dissolved_on == datetime.date(2025, 7, 1)
    assert set(org.successors.all()) == {world.hue_commune_party_2, world.hue_post}
    world.agreement.refresh_from_db()
    assert world.agreement.status == Agreement.Status.TERMINATED
    assert world.agreement.termination_reason == Agreement.TerminationReason.PARTNER_DISSOLVED


@pytest.mark.parametrize("user_key", ["official", "outsider"])
def test_only_the_province_data_entry_may_dissolve(client, world, user_key):
    client.force_login(getattr(world, user_key))
    url = reverse("agreements:organization_dissolve", args=[world.hue_commune_party.pk])
    assert client.get(url).status_code == (403 if user_key == "official" else 404)


def test_the_list_filters_by_kind_and_finds_by_folded_words(client, world):
    client.force_login(world.staff)
    body = client.get(
        reverse("registry:organizations_list"), {"q": "a luoi", "kind": "border_post"}
    ).content.decode()
    assert "Đồn Biên phòng A Lưới" in body
    assert "Đảng ủy xã A Lưới 1" not in body


def test_the_export_follows_the_order_shown_and_carries_names_and_versions(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("registry:organizations_export", args=["csv"]), {"sort": "-name"})
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    names = [line.split(",")[1] for line in lines[1:]]
    assert names == sorted(names, reverse=True)
    assert "Phiên bản" in lines[0]
    assert response["Content-Disposition"] == 'attachment; filename="to-chuc.csv"'


def _recover(post, communes, user):
    data = organization_services.organization_input_from(post)
    organization_services.organization_update(
        organization=post,
        user=user,
        data=organization_services.OrganizationInput(
            **{**data.__dict__, "covered_communes": communes}
        ),
        expected_version=post.version,
    )
    post.refresh_from_db()


def test_covered_commune_changes_show_names_read_once_per_page(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = world.hue_post
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent=world.hue)[:6])
    url = reverse("registry:organizations_history", args=[post.pk])
    client.force_login(world.official)

    def unit_name_queries(changes: int) -> int:
        for index in range(changes):
            _recover(post, communes[index % 3 : index % 3 + 2], world.staff)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        assert communes[0].name in body and communes[1].name in body
        table = AdministrativeUnit._meta.db_table
        return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])

    few = unit_name_queries(2)
    many = unit_name_queries(4)
    assert few == many


def test_related_organizations_out_of_scope_are_named_but_not_linked(client, world):
    org = world.hue_commune_party
    organization_services.organization_dissolve(
        organization=org,
        user=world.national_official,
        on=datetime.date(2026, 1, 1),
        successors=[world.hue_commune_party_2, world.ls_commune_party],
        expected_version=org.version,
    )
    client.force_login(world.official)
    body = client.get(reverse("registry:organizations_detail", args=[org.pk])).content.decode()
    hue_link = reverse("registry:organizations_detail", args=[world.hue_commune_party_2.pk])
    ls_link = reverse("registry:organizations_detail", args=[world.ls_commune_party.pk])
    assert f'href="{hue_link}"' in body, body[body.find("info-heading") :][:3000]
    assert world.ls_commune_party.name in body
    assert f'href="{ls_link}"' not in body
    assert client.get(ls_link).status_code == 404

    client.force_login(world.national_official)
    body = client.get(reverse("registry:organizations_detail", args=[org.pk])).content.decode()
    assert f'href="{ls_link}"' in body
