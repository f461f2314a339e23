from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Metas")

    def ready(self):
        from . import signals, versions

        signals.connect()
        versions.connect()
