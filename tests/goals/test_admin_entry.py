"""Planning staff can keep the whole plan through the Django admin, in Spanish."""

from decimal import Decimal

import pytest
from django.urls import reverse

from approvals import services
from goals.models import SubproductExecution, SubproductProgramme
from tests.factories import (
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def twelve_months_form(subproduct, months, inline="executions"):
    """The subproduct's change form with one row of its execution (or programme) inline per (month, physical,
    financial)."""
    data = {
        "product": subproduct.product_id,
        "name": subproduct.name,
        "unit": subproduct.unit,
        "order": subproduct.order,
        "physical_initial": subproduct.physical_initial,
        "financial_initial": subproduct.financial_initial,
    }
    for prefix in ("executions", "programme"):
        rows = months if prefix == inline else []
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 12,
        }
        for index, (month, physical, financial) in enumerate(rows):
            data |= {
                f"{prefix}-{index}-month": month,
                f"{prefix}-{index}-physical": physical,
                f"{prefix}-{index}-financial": financial,
            }
    return data


def test_every_admin_list_opens_in_spanish(admin_client):
    SubproductExecutionFactory()
    for model in ["institution", "result", "product", "subproduct", "reprogramming"]:
        response = admin_client.get(reverse(f"admin:goals_{model}_changelist"))
        assert response.status_code == 200, model
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Instituciones" in index
    assert "Subproductos" in index


def test_planner_enters_a_subproducts_months_in_one_screen(admin_client):
    subproduct = SubproductFactory()
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    response = admin_client.post(url, twelve_months_form(subproduct, [(9, "10", "1500.50"), (10, "12", "0")]))
    assert response.status_code == 302
    saved = {e.month: (e.physical, e.financial) for e in SubproductExecution.objects.filter(subproduct=subproduct)}
    assert saved == {9: (Decimal("10.00"), Decimal("1500.50")), 10: (Decimal("12.00"), Decimal("0.00"))}


def test_a_wrong_month_is_explained_at_the_field_and_nothing_is_saved(admin_client):
    subproduct = SubproductFactory()
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    response = admin_client.post(url, twelve_months_form(subproduct, [(13, "10", "-5")]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verifique que este valor sea menor o igual a 12." in page
    assert "La cifra no puede ser negativa." in page
    assert not SubproductExecution.objects.exists()


def test_planner_programmes_a_subproducts_months_in_one_screen_within_its_goal(admin_client):
    subproduct = SubproductFactory(
        name="Pasaportes", physical_initial=Decimal("100"), financial_initial=Decimal("1000")
    )
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    assert "Programación mensual de subproductos" in admin_client.get(url).content.decode()
    over = twelve_months_form(subproduct, [(1, "60", "500"), (2, "40", "500.01")], inline="programme")
    page = admin_client.post(url, over).content.decode()
    assert "La programación financiera de «Pasaportes» suma 1,000.01 y supera su meta vigente de 1,000.00." in page
    assert not SubproductProgramme.objects.exists()
    response = admin_client.post(
        url, twelve_months_form(subproduct, [(1, "60", "500"), (2, "40", "500")], inline="programme")
    )
    assert response.status_code == 302
    saved = {p.month: (p.physical, p.financial) for p in SubproductProgramme.objects.filter(subproduct=subproduct)}
    assert saved == {1: (Decimal("60.00"), Decimal("500.00")), 2: (Decimal("40.00"), Decimal("500.00"))}


def test_saving_a_frozen_subproduct_unchanged_changes_nothing_and_is_no_error(admin_client):
    subproduct = SubproductFactory(name="Pasaportes")
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=Decimal("4.00"))
    institution = subproduct.product.result.institution
    services.submit(
        user=RoleUserFactory(institution=institution, role="Planificador"),
        institution=institution,
        year=2024,
        cuatrimestre=1,
    )
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2024,
        cuatrimestre=1,
    )
    url = reverse("admin:goals_subproduct_change", args=[subproduct.pk])
    response = admin_client.post(url, twelve_months_form(subproduct, []))
    assert response.status_code == 302
    subproduct.refresh_from_db()
    assert (subproduct.name, subproduct.physical_initial) == ("Pasaportes", Decimal("100.00"))
    assert SubproductExecution.objects.get(subproduct=subproduct).physical == Decimal("4.00")
    changed = admin_client.post(url, {**twelve_months_form(subproduct, []), "name": "Otro nombre"})
    assert changed.status_code == 302  # every field of a frozen record is read-only: the name is not taken
    subproduct.refresh_from_db()
    assert subproduct.name == "Pasaportes"
