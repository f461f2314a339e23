from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Revisión y aprobación")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from goals import freeze, versions
        from goals import imports as goal_imports
        from goals import reading as goals_reading

        from . import imports, locks, reading, signals

        freeze.register(locks)
        goals_reading.register(reading.approved_cuatrimestres)
        goal_imports.register(imports.JUSTIFICATION)
        signals.connect()
        signals.register_figures(versions)
