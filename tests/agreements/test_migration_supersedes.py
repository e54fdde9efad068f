"""Migration 0013 turns the one-to-one `supersedes` into a many-to-many, keeping the links."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("agreements", "0012_verbose_names")]
AFTER = [("agreements", "0013_supersedes_many")]


@pytest.mark.django_db(transaction=True)
def test_existing_supersession_links_survive_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Agreement = old_apps.get_model("agreements", "Agreement")

    def agreement(title, **extra):
        return Agreement.objects.create(
            kind="regulation", title=title, valid_from=datetime.date(2021, 1, 1), **extra
        )

    district = agreement(
        "Quy chế cấp huyện", status="superseded", ended_on=datetime.date(2025, 7, 1)
    )
    commune = agreement("Quy chế cấp xã", status="in_force")
    Agreement.objects.filter(pk=commune.pk).update(supersedes=district.pk)
    alone = agreement("Quy chế không thay thế")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Migrated = new_apps.get_model("agreements", "Agreement")

    assert [a.pk for a in Migrated.objects.get(pk=commune.pk).supersedes.all()] == [district.pk]
    assert [a.pk for a in Migrated.objects.get(pk=district.pk).superseded_by.all()] == [commune.pk]
    assert not Migrated.objects.get(pk=alone.pk).supersedes.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
