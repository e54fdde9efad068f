"""Two people issuing at once never get the same number (PostgreSQL: real row locks).

SQLite lets one writer in at a time, so the race cannot happen there; skipped on it.
"""

import threading

import pytest
from django.db import connection, transaction

from documents.models import IssuedDocument, RegisterCounter
from documents.services import _take_number, annual_summary_issue
from tests.documents.conftest import state_input

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers by itself"
    ),
]
WAIT = 30


def in_thread(function, errors):
    def run():
        try:
            function()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_issue_waits_for_the_first_and_takes_the_next_number(admin_units, world, people):
    # An existing counter row: what two issuers of the same year contend for.
    RegisterCounter.objects.create(organization=world.bg_command, series="2026")
    ready, release, errors = threading.Event(), threading.Event(), []
    taken = []

    def first():
        with transaction.atomic():
            taken.append(_take_number(world.bg_command, "2026"))
            ready.set()
            assert release.wait(WAIT), "the test never released the transaction"

    def second():
        document = annual_summary_issue(
            user=people["command_official"],
            province=world.hue,
            year=2025,
            data=state_input(world.bg_command),
        )
        taken.append(document.number)

    one = in_thread(first, errors)
    assert ready.wait(WAIT)
    two = in_thread(second, errors)
    two.join(1)
    assert two.is_alive(), f"the second issue must wait for the first to commit: {errors}"
    release.set()
    one.join(WAIT)
    two.join(WAIT)

    assert errors == []
    assert taken == [1, 2]
    assert list(IssuedDocument.objects.values_list("number", flat=True)) == [2]


def test_many_issues_at_once_take_distinct_numbers(admin_units, world, people):
    errors, start = [], threading.Barrier(4)

    def issue():
        start.wait(WAIT)
        annual_summary_issue(
            user=people["command_official"],
            province=world.hue,
            year=2025,
            data=state_input(world.bg_command),
        )

    threads = [in_thread(issue, errors) for _ in range(4)]
    for thread in threads:
        thread.join(WAIT * 2)

    assert errors == []
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
