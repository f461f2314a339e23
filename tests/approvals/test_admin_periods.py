import datetime

import pytest
from django.urls import reverse

from approvals.locks import is_window_open, load_deadline
from approvals.models import Period
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


def test_administrator_sets_a_window_whose_default_is_fifteen_days_after_the_cuatrimestre(client):
    administrator = RoleUserFactory(role="Administrador", is_staff=True)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:approvals_period_add"),
        {"year": 2025, "cuatrimestre": 1, "load_deadline": "", "oficio_deadline": "",
         "extensions-TOTAL_FORMS": 0, "extensions-INITIAL_FORMS": 0},  # fmt: skip
    )
    assert response.status_code == 302
    period = Period.objects.get()
    assert period.load_deadline == period.oficio_deadline == datetime.date(2025, 5, 15)


def test_an_extension_keeps_one_institutions_window_open():
    institution = InstitutionFactory()
    period = Period.objects.create(year=2025, cuatrimestre=1)
    period.extensions.create(institution=institution, load_deadline=datetime.date(2025, 5, 30))
    assert load_deadline(institution, 2025, 1) == datetime.date(2025, 5, 30)
    assert is_window_open(institution, 2025, 1, today=datetime.date(2025, 5, 20))
    assert not is_window_open(InstitutionFactory(), 2025, 1, today=datetime.date(2025, 5, 20))


def test_approved_reports_cannot_be_edited_in_the_admin(client):
    client.force_login(RoleUserFactory(role="Administrador", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:approvals_reportsnapshot_add")).status_code == 403
