from django.db import migrations

from units.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [
        trigram_index("units_administrativeunit"),
        trigram_index("units_organization"),
    ]
