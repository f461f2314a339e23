from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Seguimiento de la entrega de reportes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """/verificar/ recognises the Congress report's files too (approvals does not import oversight)."""
        from approvals.documents import recognise_also

        from .congress import recognise

        recognise_also(recognise)
