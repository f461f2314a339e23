import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import send_reminders


class Command(BaseCommand):
    help = (
        "Record and e-mail today's deadline reminders (5 days and 1 day before each load and oficio deadline) "
        "and missed deadlines. Each is sent once: run it daily from cron, as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"Fecha no válida: {date!r} (use AAAA-MM-DD).") from None
        created = send_reminders(today)
        self.stdout.write(f"{created} avisos nuevos")
