import pytest
from django.db import transaction

from approvals.demo import load_demo
from goals.models import Institution
from reports.computation import build_report


@pytest.fixture(scope="module")
def seed_report(django_db_setup, django_db_blocker):
    """The demo's third cuatrimestre 2024 as plain data, computed once per module; the database is left as it was."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        report = build_report(institution=Institution.objects.get(code="IGM"), year=2024, cuatrimestre=3)
        transaction.set_rollback(True)
    return report
