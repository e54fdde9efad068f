"""SQLite under concurrent writers: they wait their turn; a failed write leaves no file."""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

from agreements.models import Attachment
from agreements.services import attachment_add

from .test_attachments import PDF, upload

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def sqlite_connection(path) -> DatabaseWrapper:
    """A connection configured as the application's own, on a file of the test's."""
    return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="probe")


@pytest.mark.skipif(not SQLITE, reason="SQLite's locking only")
def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        second_writer_after_first(tmp_path)


def second_writer_after_first(tmp_path):
    setup = sqlite_connection(tmp_path / "db.sqlite3")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    setup.close()
    holding = threading.Event()

    def first_writer():
        connection = sqlite_connection(tmp_path / "db.sqlite3")
        with connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO t VALUES (1)")
            holding.set()
            time.sleep(1)  # an import committing
            cursor.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=first_writer)
    thread.start()
    holding.wait()
    second = sqlite_connection(tmp_path / "db.sqlite3")
    try:
        # A transaction begun as Django's atomic() begins it on SQLite, then a read and a
        # write, as an edit does: deferred, the write could not wait for the lock.
        with second.cursor() as cursor:
            second._start_transaction_under_autocommit()
            cursor.execute("SELECT count(*) FROM t")
            cursor.execute("INSERT INTO t VALUES (2)")
            cursor.execute("COMMIT")
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone()[0] == 2
    finally:
        thread.join()
        second.close()


@pytest.mark.django_db
def test_a_failed_write_removes_the_stored_file(make_agreement, users, settings, monkeypatch):
    agreement = make_agreement()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Attachment, "save", locked)
    with pytest.raises(OperationalError):
        attachment_add(
            user=users.hue_clerk, uploaded_file=upload("scan.pdf", PDF), agreement=agreement
        )

    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert stored == []
