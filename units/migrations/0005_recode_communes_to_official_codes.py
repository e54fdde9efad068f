"""Re-codes the communes of a database loaded from the draft list (vietnam-provinces)
to the codes of Quyết định 19/2025/QĐ-TTg, matched by (province, name, type).

Primary keys stay, so every foreign key stays. A commune that cannot be matched is
printed and left untouched, never deleted. An empty database (a new install, the
test database) has nothing to re-code.
"""

from django.db import migrations


def recode(apps, schema_editor):
    from units.recoding import current_communes, recode_apply, recode_plan
    from units.sources import read_changes, source_data

    unit_model = apps.get_model("units", "AdministrativeUnit")
    units = current_communes(unit_model)
    if not units:
        return
    plan, unmatched = recode_plan(units, source_data(), read_changes())
    recode_apply(unit_model, plan)
    for recode in plan:
        print(f"  re-coded {recode.old_code} → {recode.new_code} {recode.name}")
    for line in unmatched.values():
        print(f"  left as it is: {line}")


class Migration(migrations.Migration):
    dependencies = [("units", "0004_unit_sources_dated_names_centroids")]

    operations = [migrations.RunPython(recode, migrations.RunPython.noop, elidable=True)]
