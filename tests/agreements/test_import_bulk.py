"""New agreements of an import are checked row by row and written together (AgreementBatch):
the same rules, history and totals as one agreement_create per row, in a few queries."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agreements.models import AGREEMENT_HISTORY, Agreement, AgreementParty
from agreements.services import AgreementBatch
from tests.agreements.test_import_agreements import HEADERS, do_import, regulation, spreadsheet
from units.models import Organization

VERSIONED = [*HEADERS, "Phiên bản"]


def history_shape(agreement: Agreement) -> dict:
    """What the history tables hold for one agreement, in terms two writers can share."""
    records = list(agreement.history.order_by("history_id"))
    links = {
        field.name: sorted(
            (row.history.history_type, getattr(row, f"{field.m2m_reverse_field_name()}_id"))
            for row in model.objects.filter(history__id=agreement.pk)
        )
        for field, model in AGREEMENT_HISTORY.m2m_models.items()
        if field.model is Agreement
    }
    parties = AgreementParty.history.filter(agreement_id=agreement.pk).order_by("order")
    return {
        "records": [(r.history_type, r.history_user, r.title, r.status) for r in records],
        "links": links,
        # The file names a lead party; the fixture's parties all have the default role.
        "parties": [(p.history_type, p.history_user, p.organization_id) for p in parties],
    }


@pytest.mark.django_db
def test_an_imported_agreement_has_the_history_agreement_create_leaves(orgs, users, make_agreement):
    by_service = make_agreement(number="05/QC-PH", title="Quy chế phối hợp 05/QC-PH")
    expected = history_shape(by_service)
    by_service.parties.all().delete()
    Agreement.objects.filter(pk=by_service.pk).delete()

    outcome = do_import(spreadsheet([regulation(orgs, legal="")]), users.hue_clerk)

    assert outcome.ok, outcome.problems
    imported = Agreement.objects.get(number="05/QC-PH")
    shape = history_shape(imported)
    # The fixture's agreement names no focus areas; the file names two.
    assert [t for t, _pk in shape["links"]["focus_areas"]] == ["+", "+"]
    shape["links"]["focus_areas"] = []
    assert shape == expected
    assert imported.history.get().history_user == users.hue_clerk


@pytest.mark.django_db
def test_a_focus_area_named_twice_is_linked_once(orgs, users):
    row = regulation(orgs, focus="information_exchange; information_exchange")

    outcome = do_import(spreadsheet([row]), users.hue_clerk)

    assert outcome.ok, outcome.problems
    assert [a.code for a in Agreement.objects.get().focus_areas.all()] == ["information_exchange"]


@pytest.mark.django_db
def test_a_new_row_clashing_with_an_agreement_an_earlier_row_updated_is_refused(
    orgs, users, make_agreement
):
    # Stored: the post and the commune, 2021-2025. Row 2 moves it to the city's party
    # committee; row 3, new, pairs the post and the city over the same years.
    stored = make_agreement([orgs.post_a, orgs.commune_party], number="01/QC")
    rows = [
        [*regulation(orgs, "01/QC", party_1=orgs.post_a.name), stored.version],
        [*regulation(orgs, "02/QC", party_1=orgs.post_a.name), ""],
    ]

    outcome = do_import(spreadsheet(rows, headers=VERSIONED), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [3]
    assert "trùng lặp" in " ".join(outcome.problems[0].messages)
    assert not Agreement.objects.filter(number="02/QC").exists()


@pytest.mark.django_db
def test_an_update_clashing_with_a_new_row_above_it_is_refused(orgs, users, make_agreement):
    stored = make_agreement([orgs.post_a, orgs.commune_party], number="01/QC")
    rows = [
        [*regulation(orgs, "02/QC", party_1=orgs.post_a.name), ""],
        [*regulation(orgs, "01/QC", party_1=orgs.post_a.name), stored.version],
    ]

    outcome = do_import(spreadsheet(rows, headers=VERSIONED), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [3]
    assert "trùng lặp" in " ".join(outcome.problems[0].messages)
    stored.refresh_from_db()
    assert stored.parties_key == ",".join(
        str(pk) for pk in sorted([orgs.post_a.pk, orgs.commune_party.pk])
    )


@pytest.mark.django_db
def test_a_new_row_may_take_the_parties_an_earlier_row_gave_up(orgs, users, make_agreement):
    stored = make_agreement([orgs.post_a, orgs.city_party], number="01/QC")
    rows = [
        [
            *regulation(orgs, "01/QC", party_1=orgs.post_a.name, party_2=orgs.commune_party.name),
            stored.version,
        ],
        [*regulation(orgs, "02/QC", party_1=orgs.post_a.name), ""],
    ]

    outcome = do_import(spreadsheet(rows, headers=VERSIONED), users.hue_clerk)

    assert outcome.ok, outcome.problems
    assert [r.action for r in outcome.rows] == ["update", "new"]
    assert Agreement.objects.get(number="02/QC").parties.count() == 2


@pytest.mark.django_db
def test_a_stale_version_among_new_rows_refuses_the_file(orgs, users, make_agreement):
    stored = make_agreement([orgs.post_a, orgs.commune_party], number="01/QC")
    rows = [
        [*regulation(orgs, "02/QC"), ""],
        [*regulation(orgs, "01/QC", party_1=orgs.post_a.name, title="Sửa"), stored.version + 1],
    ]

    outcome = do_import(spreadsheet(rows, headers=VERSIONED), users.hue_clerk)

    assert [p.row for p in outcome.problems] == [3]
    assert "phiên bản" in " ".join(outcome.problems[0].messages)
    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_the_stored_indicator_totals_stay_exact_after_an_import(
    orgs, users, make_agreement, make_review
):
    stored = make_agreement([orgs.post_a, orgs.commune_party], number="01/QC")
    make_review(stored, indicator_values={"joint_patrols": 12})
    stored.refresh_from_db()
    rows = [
        [*regulation(orgs, "01/QC", party_1=orgs.post_a.name, title="Sửa"), stored.version],
        [*regulation(orgs, "02/QC"), ""],
        [*regulation(orgs, "03/QC", party_1=orgs.post_b.name), ""],
    ]

    outcome = do_import(spreadsheet(rows, headers=VERSIONED), users.hue_clerk)

    assert outcome.ok, outcome.problems
    call_command("rebuild_indicator_totals", "--check", stdout=StringIO())


@pytest.mark.django_db
def test_new_rows_cost_no_query_of_their_own_and_each_gets_its_history(orgs, users):
    def rows(n):
        posts = Organization.objects.bulk_create(
            Organization(
                name=f"Đồn {n}-{i}",
                kind="border_post",
                level="commune",
                province=orgs.post_a.province,
            )
            for i in range(n)
        )
        return spreadsheet(
            [
                regulation(orgs, f"Q{n}-{i}", party_1=post.name, party_2=orgs.city_party.name)
                for i, post in enumerate(posts)
            ]
        )

    def queries_of_import(content) -> int:
        # Rolled back, so both imports start from the same data.
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                assert do_import(content, users.hue_clerk).ok
            transaction.set_rollback(True)
        return len(queries)

    small, large = rows(5), rows(50)
    five, fifty = queries_of_import(small), queries_of_import(large)

    # No savepoint or query per row; at most one more INSERT of agreements (SQLite
    # takes 45 agreements per statement, PostgreSQL all of them).
    assert 0 <= fifty - five <= 1
    assert do_import(large, users.hue_clerk).ok
    imported = set(Agreement.objects.values_list("pk", flat=True))
    assert len(imported) == 50
    created = Agreement.history.filter(history_type="+", history_user=users.hue_clerk)
    assert sorted(created.values_list("id", flat=True)) == sorted(imported)
    parties = set(AgreementParty.objects.values_list("pk", flat=True))
    assert len(parties) == 100
    party_history = AgreementParty.history.filter(history_type="+", history_user=users.hue_clerk)
    assert sorted(party_history.values_list("id", flat=True)) == sorted(parties)


@pytest.mark.django_db
def test_a_batch_refuses_an_agreement_that_replaces_another(users, make_agreement, make_input):
    old = make_agreement()
    batch = AgreementBatch(user=users.hue_clerk)

    with pytest.raises(ValueError):
        batch.add(data=make_input(supersedes=[old]))
