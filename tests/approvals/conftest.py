import datetime

import pytest
from django.utils import timezone

from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus


@pytest.fixture
def frozen(db):
    """Mark (institution, year, cuatrimestre) approved with a snapshot in force, as the approval service leaves it."""

    def freeze(institution, year, cuatrimestre, number=1):
        report, _ = CuatrimestreReport.objects.update_or_create(
            institution=institution, year=year, cuatrimestre=cuatrimestre, defaults={"status": ReportStatus.APPROVED}
        )
        from tests.factories import UserFactory

        content = f'{{"report": {report.pk}, "n": {number}}}'
        return ReportSnapshot.objects.create(
            report=report,
            content=content,
            sha256=ReportSnapshot.digest(content),
            oficio_year=year + 1,
            oficio_sequence=number,
            oficio_number=f"OFICIO-{institution.acronym}-{institution.issuing_office}-{number:03d}-{year + 1}",
            approved_by=UserFactory(institution=institution),
            approved_at=timezone.make_aware(datetime.datetime(year + 1, 1, 10)),
        )

    return freeze
