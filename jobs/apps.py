from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Trabajos en segundo plano")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Offer the queue to the apps below, which know none: large imports' previews and large drafts' PDFs; and
        delete a job's file with the job."""
        from django.db.models.signals import post_delete

        from approvals import drafts
        from goals.imports import background

        from . import drafts as draft_pdfs
        from .imports import preview_later
        from .models import Job
        from .outputs import delete_output_on_commit

        background.register(preview_later)
        drafts.register(draft_pdfs.start)
        post_delete.connect(delete_output_on_commit, sender=Job, dispatch_uid="delete_job_output")
