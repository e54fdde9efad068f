"""One agreement can supersede several and be superseded by several, linked both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from agreements.services import agreement_activate, agreement_create, agreement_update

Status = Agreement.Status


@pytest.fixture
def district(make_agreement, orgs):
    return make_agreement(
        [orgs.bg_command, orgs.city_party], valid_until=datetime.date(2030, 12, 31)
    )


@pytest.fixture
def other(make_agreement, orgs):
    return make_agreement(
        [orgs.bg_command, orgs.peoples_committee], number="02/QC-PH", valid_until=None
    )


def test_a_new_agreement_supersedes_several_in_force_at_its_start(
    district, other, make_input, orgs, users
):
    new = agreement_create(
        user=users.hue_clerk,
        data=make_input(
            [orgs.post_a, orgs.commune_party],
            number="10/QC",
            valid_from=datetime.date(2025, 7, 1),
            valid_until=None,
            supersedes=[district, other],
        ),
    )

    assert set(new.supersedes.all()) == {district, other}
    for old in (district, other):
        old.refresh_from_db()
        assert (old.status, old.ended_on) == (Status.SUPERSEDED, datetime.date(2025, 7, 1))
        assert list(old.superseded_by.all()) == [new]


def test_one_agreement_is_superseded_by_several(district, make_input, orgs, users):
    communes = [orgs.commune_party, orgs.peoples_committee]
    replacements = [
        agreement_create(
            user=users.hue_clerk,
            data=make_input(
                [orgs.post_a, commune],
                number=f"1{index}/QC",
                valid_from=datetime.date(2025, 7, 1),
                supersedes=[district],
            ),
        )
        for index, commune in enumerate(communes)
    ]

    district.refresh_from_db()
    assert district.status == Status.SUPERSEDED
    assert set(district.superseded_by.all()) == set(replacements)


def test_a_draft_supersedes_only_once_it_comes_into_force(district, make_input, orgs, users):
    draft = agreement_create(
        user=users.hue_clerk,
        data=make_input(
            [orgs.post_a, orgs.commune_party],
            number="10/QC",
            valid_from=datetime.date(2025, 7, 1),
            supersedes=[district],
        ),
        in_force=False,
    )
    district.refresh_from_db()
    assert district.status == Status.IN_FORCE

    agreement_activate(agreement=draft, user=users.hue_clerk)

    district.refresh_from_db()
    assert district.status == Status.SUPERSEDED


def test_an_agreement_cannot_supersede_itself_or_a_later_or_draft_one(
    district, make_agreement, make_input, orgs, users
):
    draft = make_agreement([orgs.post_a, orgs.commune_party], number="D/QC", in_force=False)
    with pytest.raises(ValidationError) as error:
        agreement_update(
            agreement=district,
            user=users.hue_clerk,
            data=make_input(supersedes=[district, draft]),
            expected_version=district.version,
        )
    messages = error.value.message_dict["supersedes"]
    assert "Văn bản không thể thay thế chính nó." in messages
    assert any("còn là dự thảo" in m for m in messages)
    with pytest.raises(ValidationError, match="phải có hiệu lực sau"):
        agreement_create(
            user=users.hue_clerk,
            data=make_input(
                [orgs.post_a, orgs.commune_party],
                number="11/QC",
                valid_from=district.valid_from,
                supersedes=[district],
            ),
        )


def test_a_link_that_superseded_an_agreement_cannot_be_dropped_by_an_edit(
    district, make_input, orgs, users
):
    new = agreement_create(
        user=users.hue_clerk,
        data=make_input(
            [orgs.post_a, orgs.commune_party],
            number="10/QC",
            valid_from=datetime.date(2025, 7, 1),
            supersedes=[district],
        ),
    )
    with pytest.raises(ValidationError, match="không thể bỏ liên kết"):
        agreement_update(
            agreement=new,
            user=users.hue_clerk,
            data=make_input(
                [orgs.post_a, orgs.commune_party],
                number="10/QC",
                valid_from=datetime.date(2025, 7, 1),
                supersedes=[],
            ),
            expected_version=new.version,
        )
    assert list(new.supersedes.all()) == [district]
