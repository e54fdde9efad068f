import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from agreements.services import agreement_create


def test_it_refuses_an_agreement_with_a_single_party(make_agreement, orgs, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement([orgs.bg_command], kind=Agreement.Kind.TWINNING)
    assert "Văn bản phối hợp phải có ít nhất hai bên ký kết." in exc.value.message_dict["parties"]
    assert row_counts() == before


def test_it_refuses_the_same_organization_twice(make_agreement, orgs, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement([orgs.bg_command, orgs.bg_command])
    messages = exc.value.message_dict["parties"]
    assert "Một tổ chức chỉ được ghi một lần trong các bên ký kết." in messages
    assert "Văn bản phối hợp phải có ít nhất hai bên ký kết." in messages
    assert row_counts() == before


def test_it_refuses_a_regulation_without_a_border_guard_side(make_agreement, orgs, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement([orgs.city_party, orgs.peoples_committee])
    assert exc.value.message_dict["parties"] == [
        "Quy chế phối hợp phải có ít nhất một bên là Bộ đội Biên phòng (đơn vị hoặc đảng ủy)."
    ]
    assert row_counts() == before


def test_it_refuses_a_regulation_without_a_local_side(make_agreement, orgs, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement([orgs.bg_command, orgs.department])
    assert exc.value.message_dict["parties"] == [
        "Quy chế phối hợp phải có ít nhất một bên là cấp ủy, chính quyền địa phương."
    ]
    assert row_counts() == before


def test_a_border_guard_party_committee_counts_as_the_border_guard_side(make_agreement, orgs):
    agreement = make_agreement([orgs.bg_party, orgs.commune_party])
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.parties.count() == 2


def test_a_twinning_needs_neither_a_border_guard_nor_a_local_side(make_agreement, orgs):
    agreement = make_agreement(
        [orgs.department, orgs.enterprise], kind=Agreement.Kind.TWINNING, title="Kết nghĩa"
    )
    assert agreement.kind == Agreement.Kind.TWINNING
    assert set(agreement.parties.values_list("organization__name", flat=True)) == {
        orgs.department.name,
        orgs.enterprise.name,
    }


def test_a_cross_border_twinning_with_a_foreign_counterpart_is_accepted(make_agreement, orgs):
    agreement = make_agreement([orgs.post_a, orgs.foreign], kind=Agreement.Kind.TWINNING)
    assert agreement.province == orgs.post_a.province


def test_the_province_is_inferred_from_the_parties(make_agreement, orgs, hue):
    assert make_agreement().province == hue


def test_parties_from_two_provinces_make_a_national_agreement(make_agreement, orgs):
    agreement = make_agreement([orgs.bg_command, orgs.ls_party])
    assert agreement.province is None


def test_a_dissolved_organization_cannot_sign_on_its_dissolution_day(
    make_agreement, orgs, row_counts
):
    orgs.commune_party.dissolved_on = datetime.date(2025, 7, 1)
    orgs.commune_party.save()
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            [orgs.bg_command, orgs.commune_party],
            signed_on=datetime.date(2025, 7, 1),
            valid_from=datetime.date(2025, 7, 1),
        )
    assert exc.value.message_dict["parties"] == [
        f"{orgs.commune_party.name} đã giải thể từ ngày 01/07/2025 nên không thể ký sau ngày đó."
    ]
    assert row_counts() == before


def test_a_dissolved_organization_cannot_sign_after_its_dissolution(make_agreement, orgs):
    orgs.commune_party.dissolved_on = datetime.date(2025, 7, 1)
    orgs.commune_party.save()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            [orgs.bg_command, orgs.commune_party],
            signed_on=datetime.date(2025, 8, 1),
            valid_from=datetime.date(2025, 8, 1),
        )
    assert "parties" in exc.value.message_dict


def test_an_agreement_signed_before_the_dissolution_stays_valid(make_agreement, orgs):
    orgs.commune_party.dissolved_on = datetime.date(2025, 7, 1)
    orgs.commune_party.save()
    agreement = make_agreement([orgs.bg_command, orgs.commune_party])
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.parties.filter(organization=orgs.commune_party).exists()


def test_without_a_signing_date_the_start_date_is_judged(make_agreement, orgs):
    orgs.commune_party.dissolved_on = datetime.date(2025, 7, 1)
    orgs.commune_party.save()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            [orgs.bg_command, orgs.commune_party],
            signed_on=None,
            valid_from=datetime.date(2025, 9, 1),
            valid_until=datetime.date(2030, 8, 31),
        )
    assert "parties" in exc.value.message_dict


def test_a_draft_is_checked_for_its_parties_too(make_input, orgs, users, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError):
        agreement_create(user=users.hue_clerk, data=make_input([orgs.city_party]), in_force=False)
    assert row_counts() == before
