import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement
from agreements.services import agreement_renew, agreement_terminate

NEW_START = datetime.date(2024, 1, 1)


@pytest.fixture
def renewal(make_input):
    return make_input(
        title="Quy chế phối hợp (thay thế)",
        number="05/QC-PH",
        valid_from=NEW_START,
        valid_until=datetime.date(2028, 12, 31),
        signed_on=datetime.date(2023, 12, 20),
    )


def test_renewing_supersedes_the_old_agreement_at_the_new_start(make_agreement, renewal, users):
    old = make_agreement()
    new = agreement_renew(old=old, user=users.hue_clerk, data=renewal)
    old.refresh_from_db()
    assert new.status == Agreement.Status.IN_FORCE
    assert list(new.supersedes.all()) == [old]
    assert list(old.superseded_by.all()) == [new]
    assert old.status == Agreement.Status.SUPERSEDED
    assert old.ended_on == NEW_START
    assert old.updated_by == users.hue_clerk


def test_the_renewal_may_overlap_the_period_of_the_agreement_it_replaces(
    make_agreement, renewal, users
):
    old = make_agreement()
    assert old.valid_until > renewal.valid_from
    agreement_renew(old=old, user=users.hue_clerk, data=renewal)
    assert Agreement.objects.filter(status=Agreement.Status.IN_FORCE).count() == 1


def test_an_agreement_cannot_be_renewed_twice(make_agreement, renewal, users):
    old = make_agreement()
    agreement_renew(old=old, user=users.hue_clerk, data=renewal)
    old.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        agreement_renew(old=old, user=users.hue_clerk, data=renewal)
    assert exc.value.messages == [
        "Chỉ văn bản đang hiệu lực hoặc đã hết hiệu lực mới có thể được thay thế."
    ]
    assert Agreement.objects.count() == 2


def test_a_terminated_agreement_cannot_be_renewed(make_agreement, renewal, users):
    old = make_agreement()
    agreement_terminate(
        agreement=old,
        user=users.hue_clerk,
        reason=Agreement.TerminationReason.MUTUAL,
        on=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        agreement_renew(old=old, user=users.hue_clerk, data=renewal)
    assert exc.value.messages == [
        "Chỉ văn bản đang hiệu lực hoặc đã hết hiệu lực mới có thể được thay thế."
    ]
    assert Agreement.objects.count() == 1
    old.refresh_from_db()
    assert old.status == Agreement.Status.TERMINATED


def test_the_renewal_must_start_after_the_old_one(make_agreement, make_input, users):
    old = make_agreement()
    with pytest.raises(ValidationError) as exc:
        agreement_renew(old=old, user=users.hue_clerk, data=make_input(valid_from=old.valid_from))
    assert exc.value.message_dict["valid_from"] == [
        "Văn bản mới phải có hiệu lực sau ngày văn bản cũ có hiệu lực."
    ]
    old.refresh_from_db()
    assert old.status == Agreement.Status.IN_FORCE


def test_an_invalid_renewal_leaves_the_old_agreement_in_force(
    make_agreement, make_input, orgs, users
):
    old = make_agreement()
    with pytest.raises(ValidationError):
        agreement_renew(
            old=old,
            user=users.hue_clerk,
            data=make_input([orgs.city_party], valid_from=NEW_START),
        )
    old.refresh_from_db()
    assert old.status == Agreement.Status.IN_FORCE
    assert old.ended_on is None
    assert Agreement.objects.count() == 1
