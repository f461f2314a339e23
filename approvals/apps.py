from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Revisión y aprobación")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from goals import freeze
        from goals import reading as goals_reading

        from . import locks, reading, signals

        freeze.register(locks)
        goals_reading.register(reading.approved_cuatrimestres)
        signals.connect()
