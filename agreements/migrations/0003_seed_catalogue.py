from django.db import migrations

from agreements.catalogue import FOCUS_AREAS, INDICATORS, LEGAL_DOCUMENTS
from units.trigram import trigram_index


def seed(apps, schema_editor):
    FocusArea = apps.get_model("agreements", "FocusArea")
    LegalDocument = apps.get_model("agreements", "LegalDocument")
    Indicator = apps.get_model("agreements", "Indicator")
    for order, (code, name) in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for number, doc_type, issuer, issued_on, title in LEGAL_DOCUMENTS:
        LegalDocument.objects.update_or_create(
            number=number,
            defaults={"doc_type": doc_type, "issuer": issuer, "issued_on": issued_on, "title": title},
        )
    for order, (code, group, name, unit) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code, defaults={"group": group, "name": name, "unit": unit, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        trigram_index("agreements_agreement"),
    ]
