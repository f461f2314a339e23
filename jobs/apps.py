from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Trabajos en segundo plano")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Offer the queue to the apps below, which know none: large imports' previews and large drafts' PDFs."""
        from approvals import drafts
        from goals.imports import background

        from . import drafts as draft_pdfs
        from .imports import preview_later

        background.register(preview_later)
        drafts.register(draft_pdfs.start)
