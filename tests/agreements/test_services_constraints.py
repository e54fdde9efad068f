"""The database itself refuses what the services refuse, for writers that bypass them."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementParty, Review

START = datetime.date(2021, 1, 1)


def agreement(**fields) -> Agreement:
    values = {"kind": Agreement.Kind.REGULATION, "title": "Quy chế", "valid_from": START}
    values.update(fields)
    return Agreement(**values)


@pytest.mark.django_db
def test_the_period_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement(valid_until=START).save()
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_signing_date_must_lie_within_the_period():
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement(
            valid_until=datetime.date(2025, 12, 31), signed_on=datetime.date(2026, 1, 1)
        ).save()
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_terminated_agreement_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement(status=Agreement.Status.TERMINATED, ended_on=datetime.date(2023, 1, 1)).save()
    terminated = agreement(
        status=Agreement.Status.TERMINATED,
        ended_on=datetime.date(2023, 1, 1),
        termination_reason=Agreement.TerminationReason.MUTUAL,
    )
    terminated.save()
    assert Agreement.objects.get().pk == terminated.pk


@pytest.mark.django_db
def test_an_ended_agreement_needs_its_end_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement(status=Agreement.Status.SUPERSEDED).save()


@pytest.mark.django_db
def test_a_review_period_cannot_end_before_it_starts():
    parent = agreement(status=Agreement.Status.IN_FORCE)
    parent.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            agreement=parent,
            kind=Review.Kind.ANNUAL,
            year=2023,
            period_start=datetime.date(2023, 12, 31),
            period_end=datetime.date(2023, 1, 1),
        )
    assert not Review.objects.exists()


def test_an_organization_is_a_party_only_once(make_agreement, orgs):
    signed = make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.create(agreement=signed, organization=orgs.bg_command)
    assert signed.parties.count() == 2
