from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Seguimiento de la entrega de reportes")
    default_auto_field = "django.db.models.BigAutoField"
