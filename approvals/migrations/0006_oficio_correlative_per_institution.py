import django.db.models.deletion
from django.db import migrations, models


def fill_institution(apps, schema_editor):
    ReportSnapshot = apps.get_model("approvals", "ReportSnapshot")
    for snapshot in ReportSnapshot.objects.select_related("report").only("pk", "report__institution_id"):
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(institution_id=snapshot.report.institution_id)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0005_submitted_report"),
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportsnapshot",
            name="institution",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="goals.institution",
                verbose_name="institución",
            ),
        ),
        migrations.RunPython(fill_institution, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportsnapshot",
            name="institution",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="goals.institution",
                verbose_name="institución",
            ),
        ),
        migrations.AlterField(
            model_name="reportsnapshot",
            name="oficio_number",
            field=models.CharField(max_length=80, verbose_name="número de oficio"),
        ),
        migrations.AddConstraint(
            model_name="reportsnapshot",
            constraint=models.UniqueConstraint(
                fields=("institution", "oficio_year", "oficio_sequence"), name="one_oficio_correlative_per_institution"
            ),
        ),
        migrations.AddConstraint(
            model_name="reportsnapshot",
            constraint=models.UniqueConstraint(
                fields=("institution", "oficio_number"), name="one_oficio_number_per_institution"
            ),
        ),
    ]
