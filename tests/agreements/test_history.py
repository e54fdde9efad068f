import datetime

from agreements.models import Agreement, AgreementParty, IndicatorValue, Review
from agreements.services import (
    agreement_terminate,
    agreement_update,
    organization_dissolve,
    review_approve,
    review_update,
)
from units.models import Organization


def test_creating_an_agreement_records_it_and_its_parties_with_the_user(make_agreement, users):
    agreement = make_agreement(user=users.hue_clerk)
    (row,) = agreement.history.all()
    assert (row.history_type, row.history_user) == ("+", users.hue_clerk)
    party_rows = AgreementParty.history.filter(agreement_id=agreement.pk)
    assert party_rows.count() == 2
    assert {r.history_user for r in party_rows} == {users.hue_clerk}


def test_an_edit_and_a_termination_add_rows_with_their_users(make_agreement, make_input, users):
    agreement = make_agreement()
    agreement_update(
        agreement=agreement,
        user=users.national,
        data=make_input(title="Sửa đổi"),
        expected_version=agreement.version,
    )
    agreement_terminate(
        agreement=agreement, user=users.admin, reason="mutual", on=datetime.date(2024, 1, 1)
    )
    rows = list(agreement.history.order_by("history_id"))
    assert [(r.history_type, r.history_user, r.status) for r in rows] == [
        ("+", users.hue_clerk, "in_force"),
        ("~", users.national, "in_force"),
        ("~", users.admin, "terminated"),
    ]
    assert rows[1].title == "Sửa đổi"
    assert rows[0].title != "Sửa đổi"


def test_removing_a_party_leaves_its_history(make_agreement, make_input, orgs, users):
    agreement = make_agreement([orgs.bg_command, orgs.city_party, orgs.peoples_committee])
    party_pk = agreement.parties.get(organization=orgs.peoples_committee).pk
    agreement_update(
        agreement=agreement,
        user=users.hue_official,
        data=make_input([orgs.bg_command, orgs.city_party]),
        expected_version=agreement.version,
    )
    assert not AgreementParty.objects.filter(pk=party_pk).exists()
    rows = AgreementParty.history.filter(id=party_pk).order_by("history_id")
    assert [(r.history_type, r.history_user) for r in rows] == [
        ("+", users.hue_clerk),
        ("-", users.hue_official),
    ]
    assert rows.last().organization_id == orgs.peoples_committee.pk


def test_deleting_an_agreement_keeps_its_history_and_its_parties_history(make_agreement, users):
    agreement = make_agreement()
    pk = agreement.pk
    agreement._history_user = users.admin
    agreement.delete()
    assert not Agreement.objects.filter(pk=pk).exists()
    assert list(Agreement.history.filter(id=pk).values_list("history_type", flat=True)) == [
        "-",
        "+",
    ]
    assert AgreementParty.history.filter(agreement_id=pk, history_type="-").count() == 2


def test_reviews_and_indicator_values_are_recorded_with_their_users(
    make_agreement, make_review, users
):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 4})
    review_update(
        review=review,
        user=users.hue_clerk,
        expected_version=review.version,
        indicator_values={"joint_patrols": 6},
    )
    review_approve(review=review, user=users.hue_official)
    assert [
        (r.history_type, r.history_user, r.status) for r in review.history.order_by("history_id")
    ] == [
        ("+", users.hue_clerk, "draft"),
        ("~", users.hue_clerk, "draft"),
        ("~", users.hue_official, "approved"),
    ]
    values = IndicatorValue.history.filter(review_id=review.pk).order_by("history_id")
    assert [(r.history_type, r.value, r.history_user) for r in values] == [
        ("+", 4, users.hue_clerk),
        ("~", 6, users.hue_clerk),
    ]
    assert Review.history.filter(id=review.pk).count() == 3


def test_dissolving_an_organization_is_recorded_with_the_user(make_agreement, orgs, users):
    agreement = make_agreement([orgs.bg_command, orgs.commune_party])
    organization_dissolve(
        organization=orgs.commune_party,
        expected_version=orgs.commune_party.version,
        user=users.hue_clerk,
        on=datetime.date(2025, 7, 1),
        terminate_agreements=True,
    )
    latest = Organization.history.filter(id=orgs.commune_party.pk).latest("history_id")
    assert (latest.history_type, latest.history_user, latest.dissolved_on) == (
        "~",
        users.hue_clerk,
        datetime.date(2025, 7, 1),
    )
    assert agreement.history.latest("history_id").history_user == users.hue_clerk
