import datetime

import pytest

from agreements.models import Agreement
from tests.web.conftest import regulation


def form_data(parties, **overrides) -> dict:
    data = {
        "kind": Agreement.Kind.REGULATION,
        "number": "07-QC/ĐU",
        "title": "Quy chế phối hợp giữa Đồn Biên phòng A Lưới và Đảng ủy xã Hồng Vân",
        "signed_on": "2026-01-12",
        "signed_at": "A Lưới",
        "valid_from": "2026-01-12",
        "valid_until": "2030-12-31",
        "province": "",
        "summary": "",
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, organization in enumerate(parties):
        data[f"parties-{index}-organization"] = str(organization.pk) if organization else ""
        data[f"parties-{index}-role"] = "lead" if index == 0 else "party"
        data[f"parties-{index}-signatory_name"] = f"Người ký {index + 1}"
        data[f"parties-{index}-signatory_title"] = ""
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_staff_create_an_agreement_with_three_parties(staff_client, world):
    data = form_data(
        [world.hue_post, world.hue_commune_party_2, world.hue_commune_party],
        province=str(world.hue.pk),
    )
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(number="07-QC/ĐU")
    assert response.url == f"/agreements/{agreement.pk}/"
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.province == world.hue
    assert agreement.created_by == world.staff
    assert [p.organization for p in agreement.parties.all()] == [
        world.hue_post,
        world.hue_commune_party_2,
        world.hue_commune_party,
    ]
    assert agreement.parties.first().signatory_name == "Người ký 1"


@pytest.mark.django_db
def test_a_draft_can_be_saved_and_activated_later(staff_client, world):
    data = form_data(
        [world.hue_post, world.hue_commune_party_2], province=str(world.hue.pk), draft="on"
    )
    staff_client.post("/agreements/new/", data)
    agreement = Agreement.objects.get(number="07-QC/ĐU")
    assert agreement.status == Agreement.Status.DRAFT
    staff_client.post(f"/agreements/{agreement.pk}/activate/")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


@pytest.mark.django_db
def test_a_date_error_shows_beside_the_field_and_keeps_what_was_typed(staff_client, world):
    data = form_data(
        [world.hue_post, world.hue_commune_party_2],
        province=str(world.hue.pk),
        valid_until="2025-01-01",
    )
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["valid_until"] == ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]
    html = response.content.decode()
    assert 'value="Quy chế phối hợp giữa Đồn Biên phòng A Lưới và Đảng ủy xã Hồng Vân"' in html
    # The chosen organizations are still chosen, with their names.
    assert f'<option value="{world.hue_post.pk}" selected>Đồn Biên phòng A Lưới</option>' in html
    assert 'value="Người ký 2"' in html
    assert not Agreement.objects.filter(number="07-QC/ĐU").exists()


@pytest.mark.django_db
def test_a_rule_about_parties_shows_beside_the_parties(staff_client, world):
    data = form_data(
        [world.hue_commune_party, world.hue_commune_party_2], province=str(world.hue.pk)
    )
    response = staff_client.post("/agreements/new/", data)
    assert response.status_code == 200
    assert any("Bộ đội Biên phòng" in e for e in response.context["party_errors"])
    assert "Bộ đội Biên phòng (đơn vị hoặc đảng ủy)" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_title_is_reported_on_the_title(staff_client, world):
    data = form_data([world.hue_post, world.hue_commune_party_2], title="")
    response = staff_client.post("/agreements/new/", data)
    assert "title" in response.context["form"].errors


@pytest.mark.django_db
def test_a_provincial_user_can_only_choose_their_province(staff_client, world):
    response = staff_client.get("/agreements/new/")
    provinces = list(response.context["form"].fields["province"].queryset)
    assert provinces == [world.hue]


@pytest.mark.django_db
def test_staff_edit_an_agreement_and_drop_a_party(staff_client, world):
    agreement = world.agreement
    data = form_data(
        [world.hue_command, world.hue_commune_party, world.hue_commune_party_2],
        title="Quy chế đã sửa",
        number=agreement.number,
        province=str(world.hue.pk),
        version=str(agreement.version),
        valid_from="2025-01-12",
    )
    data["parties-2-DELETE"] = "on"
    response = staff_client.post(f"/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Quy chế đã sửa"
    assert agreement.parties.count() == 2


@pytest.mark.django_db
def test_renewing_supersedes_the_old_agreement(staff_client, world):
    old = world.agreement
    data = form_data(
        [world.hue_command, world.hue_commune_party],
        title="Quy chế giai đoạn mới",
        number="02-QC/ĐU",
        province=str(world.hue.pk),
        valid_from="2026-01-01",
        valid_until="2030-12-31",
        signed_on="2025-12-20",
    )
    response = staff_client.post(f"/agreements/{old.pk}/renew/", data)
    assert response.status_code == 302
    new = Agreement.objects.get(number="02-QC/ĐU")
    old.refresh_from_db()
    assert old.status == Agreement.Status.SUPERSEDED
    assert list(new.supersedes.all()) == [old]
    page = staff_client.get(f"/agreements/{old.pk}/").content.decode()
    assert f"/agreements/{new.pk}/" in page


@pytest.mark.django_db
def test_terminating_needs_a_reason_and_records_it(staff_client, world):
    agreement = world.agreement
    response = staff_client.post(
        f"/agreements/{agreement.pk}/terminate/",
        {"reason": "partner_dissolved", "on": "2026-01-01", "note": "Sáp nhập"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.termination_reason == "partner_dissolved"
    assert agreement.termination_note == "Sáp nhập"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, editable",
    [
        (Agreement.Status.EXPIRED, True),
        (Agreement.Status.TERMINATED, False),
        (Agreement.Status.SUPERSEDED, False),
    ],
)
def test_the_page_offers_an_edit_exactly_when_the_service_accepts_one(
    staff_client, world, status, editable
):
    agreement = regulation(user=world.staff, parties=[world.hue_post, world.hue_commune_party])
    Agreement.objects.filter(pk=agreement.pk).update(
        status=status,
        ended_on=None if status == Agreement.Status.EXPIRED else datetime.date(2026, 1, 1),
        termination_reason=Agreement.TerminationReason.MUTUAL
        if status == Agreement.Status.TERMINATED
        else "",
    )
    detail = staff_client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert (f"/agreements/{agreement.pk}/edit/" in detail) is editable
    data = form_data(
        [world.hue_post, world.hue_commune_party],
        title="Sửa lỗi chính tả",
        province=str(world.hue.pk),
        version=str(agreement.version),
    )
    staff_client.post(f"/agreements/{agreement.pk}/edit/", data)
    agreement.refresh_from_db()
    assert (agreement.title == "Sửa lỗi chính tả") is editable


@pytest.mark.django_db
def test_the_status_history_lists_each_change_once_and_the_latest_too(staff_client, world):
    agreement = world.agreement
    # 600 edits that leave the status alone, as a much-edited agreement has.
    latest = agreement.history.latest("history_id")
    copies = []
    for _ in range(600):
        copy = agreement.history.model.objects.get(pk=latest.pk)
        copy.history_id = None
        copies.append(copy)
    agreement.history.model.objects.bulk_create(copies)
    staff_client.post(
        f"/agreements/{agreement.pk}/terminate/",
        {"reason": "mutual", "on": "2026-01-01", "note": ""},
    )
    history = staff_client.get(f"/agreements/{agreement.pk}/").context["history"]
    assert [record.status for record in history][-1] == Agreement.Status.TERMINATED
    statuses = [record.status for record in history]
    assert len(statuses) == len(set(statuses))
