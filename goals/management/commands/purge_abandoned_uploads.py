from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from goals.uploads import purge_abandoned


class Command(BaseCommand):
    help = (
        "Deletes the files of import previews never confirmed nor cancelled (MEDIA_ROOT/imports/) that are older "
        "than --older-than-hours (24 by default). Run it daily, from cron for example."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24, help="Age in hours of the files to delete.")

    def handle(self, *args, older_than_hours, **options):
        deleted = purge_abandoned(older_than_hours)
        self.stdout.write(
            ngettext(
                "%(count)s archivo abandonado eliminado.", "%(count)s archivos abandonados eliminados.", len(deleted)
            )
            % {"count": len(deleted)}
        )
