import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from approvals.locks import is_window_open, load_deadline
from approvals.models import Circular, Period
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_superuser_sets_a_window_whose_default_is_fifteen_days_after_the_cuatrimestre(client):
    # Periods are global since issue 13's follow-up: an institution's administrator no longer sets them.
    client.force_login(RoleUserFactory(role="Administrador", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:approvals_period_add"),
        {
            "year": 2025,
            "cuatrimestre": 1,
            "load_deadline": "",
            "oficio_deadline": "",
            "extensions-TOTAL_FORMS": 0,
            "extensions-INITIAL_FORMS": 0,
        },  # fmt: skip
    )
    assert response.status_code == 302
    period = Period.objects.get()
    assert period.load_deadline == period.oficio_deadline == datetime.date(2025, 5, 15)


def test_an_extension_keeps_one_institutions_window_open():
    institution = InstitutionFactory()
    period = Period.objects.create(year=2025, cuatrimestre=1)
    period.extensions.create(institution=institution, load_deadline=datetime.date(2025, 5, 30))
    assert load_deadline(institution=institution, year=2025, cuatrimestre=1) == datetime.date(2025, 5, 30)
    assert is_window_open(institution=institution, year=2025, cuatrimestre=1, today=datetime.date(2025, 5, 20))
    assert not is_window_open(
        institution=InstitutionFactory(), year=2025, cuatrimestre=1, today=datetime.date(2025, 5, 20)
    )


def test_approved_reports_cannot_be_edited_in_the_admin(client):
    client.force_login(RoleUserFactory(role="Administrador", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:approvals_reportsnapshot_add")).status_code == 403


def period_form(period, **fields):
    return {
        "year": period.year, "cuatrimestre": period.cuatrimestre,
        "load_deadline": period.load_deadline or "", "oficio_deadline": period.oficio_deadline or "",
        "extensions-TOTAL_FORMS": 0, "extensions-INITIAL_FORMS": 0, **fields,
    }  # fmt: skip


def test_an_institutions_administrator_cannot_move_every_institutions_deadlines(client):
    period = Period.objects.create(year=2025, cuatrimestre=1)
    circular = Circular.objects.create(year=2025, cuatrimestre=1, number="OFICIO CIRCULAR-SPPD-DASP-01-2025/rdlo")
    client.force_login(RoleUserFactory(role="Administrador", is_staff=True))
    add = client.post(reverse("admin:approvals_period_add"), period_form(Period(year=2025, cuatrimestre=2)))
    assert add.status_code == 403
    change = reverse("admin:approvals_period_change", args=[period.pk])
    client.post(change, period_form(period, load_deadline="2025-05-10"))
    assert client.post(reverse("admin:approvals_period_delete", args=[period.pk]), {"post": "yes"}).status_code == 403
    assert (
        client.post(
            reverse("admin:approvals_circular_change", args=[circular.pk]),
            {"year": 2025, "cuatrimestre": 1, "number": "X"},
        ).status_code
        == 403
    )
    period.refresh_from_db()
    circular.refresh_from_db()
    assert period.load_deadline == datetime.date(2025, 5, 15) and Period.objects.count() == 1
    assert circular.number == "OFICIO CIRCULAR-SPPD-DASP-01-2025/rdlo"


def test_an_institutions_administrator_extends_the_window_of_his_own_institution_only(client):
    period = Period.objects.create(year=2025, cuatrimestre=1)
    administrator = RoleUserFactory(role="Administrador", is_staff=True)
    other = InstitutionFactory()
    client.force_login(administrator)
    extension = {"extensions-TOTAL_FORMS": 1, "extensions-0-load_deadline": "2025-05-30"}
    url = reverse("admin:approvals_period_change", args=[period.pk])
    client.post(url, period_form(period, **extension, **{"extensions-0-institution": other.pk}))
    assert not period.extensions.exists()
    own = {"extensions-0-institution": administrator.institution_id}
    response = client.post(url, period_form(period, **extension, **own))
    assert response.status_code == 302, response.context["errors"]
    assert load_deadline(institution=administrator.institution, year=2025, cuatrimestre=1) == datetime.date(2025, 5, 30)
    assert load_deadline(institution=other, year=2025, cuatrimestre=1) == datetime.date(2025, 5, 15)


def test_oversight_staff_given_the_calendar_permission_change_periods_and_circulars(client):
    period = Period.objects.create(year=2025, cuatrimestre=1)
    staff = UserFactory(institution=None, is_staff=True)
    codenames = ["change_period", "view_period", "change_calendar"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(staff)
    response = client.post(
        reverse("admin:approvals_period_change", args=[period.pk]), period_form(period, load_deadline="2025-05-10")
    )
    assert response.status_code == 302, response.context["errors"]
    period.refresh_from_db()
    assert period.load_deadline == datetime.date(2025, 5, 10)
