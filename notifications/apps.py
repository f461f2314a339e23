from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Avisos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from approvals.signals import report_moved

        from . import services

        report_moved.connect(services.report_moved, dispatch_uid="notifications-report-moved")
