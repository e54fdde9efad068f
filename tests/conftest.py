import importlib

import pytest
from django.apps import apps

from units.services import admin_units_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the real units: the 34 provinces and 3,321 communes,
    and the 63 provinces, 696 districts and 10,035 communes before the 2025 reform."""
    with django_db_blocker.unblock():
        admin_units_load()


@pytest.fixture
def admin_units(db):
    """The real current units and the catalogue its migration seeds (indicators, focus
    areas, legal bases), reloaded when a transactional test has flushed them."""
    admin_units_load(legacy=False)
    importlib.import_module("agreements.migrations.0003_seed_catalogue").seed(apps, None)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hashing demo passwords with PBKDF2 would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached figures are keyed by history ids, which SQLite reuses after a rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    """Uploads and rendered reports go to the test's own folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_CACHE_DIR = tmp_path / "report-cache"
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def jobs_run_at_once():
    """Queued tasks run in-process at once (Huey's immediate mode, in-memory queue)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
