from django.core.management.base import BaseCommand
from django.db import transaction

from approvals.demo import DEMO_USERS, load_demo
from goals.models import Institution


class Command(BaseCommand):
    help = "Loads the demo institution (IGM, 2024, from the seed report) and one user per role; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds an institution."
        )

    def handle(self, *args, if_empty=False, **options):
        with transaction.atomic():
            if if_empty and Institution.objects.exists():
                self.stdout.write("The database already holds data; the demo was not loaded.")
            else:
                created, updated = load_demo()
                self.stdout.write(self.style.SUCCESS(f"Demo loaded: {created} records created, {updated} updated."))
        self.stdout.write("Demo logins (user / password / role):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<14} {user.password:<26} {user.role}")
