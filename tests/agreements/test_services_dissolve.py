import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from agreements.services import organization_dissolve

REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def agreements(make_agreement, orgs):
    """Two regulations with the commune committee, one without it, and one draft with it."""
    return {
        "with_post": make_agreement([orgs.post_a, orgs.commune_party]),
        "with_command": make_agreement([orgs.bg_command, orgs.commune_party]),
        "unrelated": make_agreement([orgs.bg_command, orgs.city_party]),
        "draft": make_agreement([orgs.post_b, orgs.commune_party], in_force=False),
    }


def test_dissolving_with_termination_ends_its_agreements_in_force(agreements, orgs, users):
    terminated = organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=REFORM,
        terminate_agreements=True,
    )
    assert {a.pk for a in terminated} == {
        agreements["with_post"].pk,
        agreements["with_command"].pk,
    }
    for key in ("with_post", "with_command"):
        agreement = Agreement.objects.get(pk=agreements[key].pk)
        assert agreement.status == Agreement.Status.TERMINATED
        assert agreement.termination_reason == Agreement.TerminationReason.PARTNER_DISSOLVED
        assert agreement.ended_on == REFORM
        assert agreement.termination_note == (
            f"{orgs.commune_party.name} giải thể từ ngày 01/07/2025."
        )
    assert Agreement.objects.get(pk=agreements["unrelated"].pk).status == "in_force"
    assert Agreement.objects.get(pk=agreements["draft"].pk).status == "draft"
    orgs.commune_party.refresh_from_db()
    assert orgs.commune_party.dissolved_on == REFORM


def test_dissolving_without_termination_leaves_agreements_alone(agreements, orgs, users):
    terminated = organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=REFORM,
    )
    assert terminated == []
    assert set(Agreement.objects.values_list("status", flat=True)) == {"in_force", "draft"}
    orgs.commune_party.refresh_from_db()
    assert orgs.commune_party.is_dissolved(on=REFORM)


def test_the_successor_is_recorded(orgs, users):
    organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=REFORM,
        successors=[orgs.city_party],
    )
    orgs.commune_party.refresh_from_db()
    assert list(orgs.commune_party.successors.all()) == [orgs.city_party]


def test_an_organization_cannot_succeed_itself(orgs, users):
    with pytest.raises(ValidationError) as exc:
        organization_dissolve(
            organization=orgs.commune_party,
            expected_version=orgs.commune_party.version,
            user=users.hue_clerk,
            on=REFORM,
            successors=[orgs.commune_party],
        )
    assert exc.value.message_dict["successors"] == ["Tổ chức không thể tự kế thừa chính mình."]
    orgs.commune_party.refresh_from_db()
    assert orgs.commune_party.dissolved_on is None


def test_it_refuses_a_dissolution_before_the_founding(agreements, orgs, users):
    orgs.commune_party.founded_on = datetime.date(2020, 1, 1)
    orgs.commune_party.save()
    with pytest.raises(ValidationError) as exc:
        organization_dissolve(
            organization=orgs.commune_party,
            expected_version=orgs.commune_party.version,
            user=users.hue_clerk,
            on=datetime.date(2019, 1, 1),
            terminate_agreements=True,
        )
    assert exc.value.message_dict["dissolved_on"] == [
        "Ngày giải thể không thể trước ngày thành lập."
    ]
    assert not Agreement.objects.filter(status=Agreement.Status.TERMINATED).exists()


def test_an_agreement_that_starts_after_the_dissolution_ends_on_its_first_day(
    make_agreement, orgs, users
):
    later = make_agreement(
        [orgs.post_b, orgs.commune_party],
        valid_from=datetime.date(2025, 9, 1),
        valid_until=datetime.date(2030, 8, 31),
        signed_on=datetime.date(2025, 6, 1),
    )
    organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=REFORM,
        terminate_agreements=True,
    )
    later.refresh_from_db()
    assert later.status == Agreement.Status.TERMINATED
    assert later.ended_on == later.valid_from


def test_an_agreement_whose_period_was_already_over_is_not_terminated(make_agreement, orgs, users):
    ran_its_term = make_agreement(
        [orgs.post_b, orgs.commune_party], valid_until=datetime.date(2024, 12, 31)
    )
    terminated = organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=REFORM,
        terminate_agreements=True,
    )
    assert terminated == []
    ran_its_term.refresh_from_db()
    assert ran_its_term.status == Agreement.Status.IN_FORCE
    assert ran_its_term.termination_reason == ""
