"""The four roles as groups with their permissions; safe to run again (the demo loader get_or_creates the same names)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PLAN_MODELS = ["result", "product", "subproduct", "reprogramming", "reprogrammingline", "productexecution", "subproductexecution"]
HISTORY_MODELS = [f"historical{model}" for model in PLAN_MODELS]


def codenames(app_label, actions, models):
    return [(app_label, f"{action}_{model}") for action in actions for model in models]


ROLES = {
    "Planificador": (
        codenames("goals", ["add", "change", "delete", "view"], PLAN_MODELS)
        + codenames("goals", ["view"], ["institution"] + HISTORY_MODELS)
        + [
            ("approvals", "view_cuatrimestrereport"),
            ("approvals", "submit_report"),
            ("approvals", "view_draft_report"),
            ("approvals", "view_period"),
        ]
    ),
    "Director": (
        codenames("goals", ["view"], ["institution"] + PLAN_MODELS + HISTORY_MODELS)
        + [
            ("approvals", "view_cuatrimestrereport"),
            ("approvals", "approve_report"),
            ("approvals", "view_draft_report"),
            ("approvals", "approve_reprogramming"),
            ("approvals", "view_audit"),
            ("approvals", "view_period"),
        ]
    ),
    "Lector": [("goals", "view_institution"), ("approvals", "view_cuatrimestrereport")],
    "Administrador": (
        codenames("goals", ["add", "change", "view"], ["institution"])
        + codenames("accounts", ["add", "change", "view"], ["user"])
        + [("auth", "view_group")]
        + codenames("approvals", ["add", "change", "delete", "view"], ["period", "periodextension"])
    ),
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("goals", "0002_reprogramming_life_and_history"),
        ("accounts", "0003_user_readable_institutions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
