from django.core.management.base import BaseCommand

from units.models import AdministrativeUnit
from units.services import admin_units_load


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes from the vietnam-provinces package."

    def handle(self, *args, **options):
        result = admin_units_load()
        current = AdministrativeUnit.objects.current()
        self.stdout.write(
            f"provinces: {current.provinces().count()}, communes: {current.communes().count()} "
            f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged})"
        )
        if not result.changed:
            self.stdout.write("Nothing changed: the units were already up to date.")
