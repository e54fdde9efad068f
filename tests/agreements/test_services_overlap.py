import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from agreements.services import agreement_activate, agreement_update


def test_it_refuses_a_second_agreement_in_force_between_the_same_parties(
    make_agreement, orgs, row_counts
):
    first = make_agreement()
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            [orgs.city_party, orgs.bg_command],
            valid_from=datetime.date(2024, 1, 1),
            valid_until=datetime.date(2028, 12, 31),
            signed_on=datetime.date(2023, 12, 20),
        )
    assert exc.value.message_dict["parties"] == [
        "Các bên này đã có văn bản đang hiệu lực trong thời gian trùng lặp: "
        f"{first.title} (2021–2025). Hãy gia hạn, thay thế hoặc chấm dứt văn bản đó trước."
    ]
    assert row_counts() == before


def test_an_open_ended_agreement_clashes_with_any_later_one(make_agreement):
    make_agreement(valid_until=None)
    with pytest.raises(ValidationError) as exc:
        make_agreement(valid_from=datetime.date(2026, 1, 1), valid_until=None)
    assert "parties" in exc.value.message_dict


def test_a_period_that_starts_the_day_after_is_fine(make_agreement):
    make_agreement()
    second = make_agreement(
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
        signed_on=datetime.date(2025, 12, 20),
    )
    assert second.status == Agreement.Status.IN_FORCE


def test_a_different_set_of_parties_is_fine(make_agreement, orgs):
    make_agreement()
    other = make_agreement([orgs.bg_command, orgs.city_party, orgs.peoples_committee])
    assert other.status == Agreement.Status.IN_FORCE
    assert Agreement.objects.count() == 2


def test_a_draft_does_not_clash(make_agreement):
    make_agreement()
    draft = make_agreement(in_force=False)
    assert draft.status == Agreement.Status.DRAFT


def test_a_draft_cannot_come_into_force_over_an_overlapping_one(make_agreement, users):
    make_agreement()
    draft = make_agreement(in_force=False)
    with pytest.raises(ValidationError) as exc:
        agreement_activate(agreement=draft, user=users.hue_clerk)
    assert "parties" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT


def test_an_ended_agreement_does_not_clash(make_agreement, users):
    from agreements.services import agreement_terminate

    first = make_agreement()
    agreement_terminate(
        agreement=first,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=datetime.date(2023, 6, 30),
    )
    second = make_agreement(
        valid_from=datetime.date(2023, 7, 1), signed_on=datetime.date(2023, 7, 1)
    )
    assert second.status == Agreement.Status.IN_FORCE


def test_an_edit_cannot_create_an_overlap(make_agreement, make_input, orgs, users):
    make_agreement()
    other = make_agreement([orgs.bg_command, orgs.peoples_committee])
    with pytest.raises(ValidationError) as exc:
        agreement_update(
            agreement=other,
            user=users.hue_clerk,
            data=make_input([orgs.bg_command, orgs.city_party]),
            expected_version=other.version,
        )
    assert "parties" in exc.value.message_dict
    other.refresh_from_db()
    assert set(other.parties.values_list("organization", flat=True)) == {
        orgs.bg_command.pk,
        orgs.peoples_committee.pk,
    }
