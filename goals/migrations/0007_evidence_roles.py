"""The roles' permissions on medios de verificación in the admin: planners view and delete them (while their month is
not frozen), the director views them. Attaching happens on the entry page, where the content is checked."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Planificador": ["view_evidence", "delete_evidence", "view_historicalevidence"],
    "Director": ["view_evidence", "view_historicalevidence"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("goals")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="goals", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0006_historicalevidence_evidence"),
        ("approvals", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
