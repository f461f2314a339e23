"""Notices were stored as Spanish text (subject, body); they are now stored as what they tell (`params`) and written
when read, in the reader's language. Every stored notice gets its params from what it was recorded with (the step's
user and comment, the days left to its deadline when recorded, the state its text named) before the text goes."""

import re

from django.db import migrations, models
from django.utils import timezone

STEP_KINDS = {"enviado", "devuelto", "aprobado"}
STATUS_LABELS = {"Borrador": "borrador", "En revisión": "en_revision", "Aprobado": "aprobado"}
NAMED_STATUS = re.compile(r"«([^»]*)»\.?\s*$")


def params_of(notification):
    params = {"institution": notification.institution.acronym or notification.institution.code}
    if notification.kind in STEP_KINDS:
        transition = notification.transition
        user = transition.user if transition is not None else None
        full_name = f"{user.first_name} {user.last_name}".strip() if user is not None else ""
        params["user"] = full_name or (user.username if user is not None else "")
        params["comment"] = transition.comment if transition is not None else ""
    elif notification.kind == "vencido":
        named = NAMED_STATUS.search(notification.body)
        params["status"] = STATUS_LABELS.get(named.group(1), named.group(1)) if named else "borrador"
    elif notification.deadline is not None:
        params["days"] = (notification.deadline - timezone.localdate(notification.created_at)).days
    return params


def store_params(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    notices = Notification.objects.select_related("institution", "transition__user")
    for notification in notices.iterator(chunk_size=500):
        notification.params = params_of(notification)
        notification.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Lo que el aviso cuenta, escrito al leerlo en su idioma.",
                verbose_name="datos",
            ),
        ),
        migrations.RunPython(store_params, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="subject"),
    ]
