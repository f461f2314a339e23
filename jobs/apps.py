from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Trabajos en segundo plano")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from goals.imports import background

        from .imports import run_later

        background.register(run_later)
