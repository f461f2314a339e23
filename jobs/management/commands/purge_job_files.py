from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from jobs.outputs import expire_outputs


class Command(BaseCommand):
    help = (
        "Deletes the files background jobs made for one user (large drafts' PDFs, bulk zips) finished more than "
        "--older-than-days ago (SIPLAN_JOB_FILES_MAX_AGE_DAYS, 7 by default); their job pages then say the file "
        "expired. Approved documents are never touched. Run it daily, with purge_abandoned_uploads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=settings.SIPLAN_JOB_FILES_MAX_AGE_DAYS,
            help="Age in days of the job files to delete.",
        )

    def handle(self, *args, older_than_days, **options):
        deleted = expire_outputs(older_than_days=older_than_days)
        self.stdout.write(
            ngettext(
                "%(count)s archivo de trabajo eliminado.", "%(count)s archivos de trabajo eliminados.", len(deleted)
            )
            % {"count": len(deleted)}
        )
