"""An agreement can supersede several and be superseded by several: the one-to-one link
becomes a many-to-many one, keeping every existing link."""

from django.db import migrations, models


def copy_links(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Through = Agreement.supersedes.through
    Through.objects.bulk_create(
        [
            Through(from_agreement_id=new, to_agreement_id=old)
            for new, old in Agreement.objects.filter(supersedes_old__isnull=False).values_list(
                "pk", "supersedes_old"
            )
        ]
    )


def copy_links_back(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Through = Agreement.supersedes.through
    for new, old in Through.objects.values_list("from_agreement_id", "to_agreement_id"):
        # The one-to-one field holds one link per agreement each way; the first wins.
        if not Agreement.objects.filter(supersedes_old=old).exists():
            Agreement.objects.filter(pk=new, supersedes_old__isnull=True).update(
                supersedes_old=old
            )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0012_verbose_names"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="agreement",
            name="agreement_not_superseding_itself",
        ),
        migrations.AlterField(
            model_name="agreement",
            name="supersedes",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="agreements.agreement",
            ),
        ),
        migrations.RenameField(
            model_name="agreement", old_name="supersedes", new_name="supersedes_old"
        ),
        migrations.RemoveField(model_name="historicalagreement", name="supersedes"),
        migrations.AddField(
            model_name="agreement",
            name="supersedes",
            field=models.ManyToManyField(
                blank=True,
                related_name="superseded_by",
                to="agreements.agreement",
                verbose_name="thay thế văn bản",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RemoveField(model_name="agreement", name="supersedes_old"),
    ]
