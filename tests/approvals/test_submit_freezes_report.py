"""Sending a report to review freezes what it prints, through every write path, until the director returns it.

Two institutions plan the same names ("Dirección y Coordinación"); the second's first cuatrimestre goes to
review, and its January figure is refused by the entry page, the web import, import_data, the admin and the
model layer, while the first institution's January stays open.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats, timezone

from approvals import services
from approvals.models import ReportAction
from goals.imports import EXECUTION_COLUMNS
from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
    UserFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

NAME = "Dirección y Coordinación"


def plan_with_shared_names(code):
    institution = InstitutionFactory(code=code, acronym=code, issuing_office="DG")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2024), name=NAME, physical_initial=100)
    subproduct = SubproductFactory(product=product, name=NAME, physical_initial=100, financial_initial=Decimal("1000"))
    SubproductExecutionFactory(subproduct=subproduct, month=1, physical=Decimal("5"), financial=Decimal("50.00"))
    return institution, product, subproduct


@pytest.fixture
def first():
    return plan_with_shared_names("PRIMERA")


@pytest.fixture
def second(first):
    return plan_with_shared_names("SEGUNDA")


@pytest.fixture
def planner(second):
    return RoleUserFactory(institution=second[0], role="Planificador", first_name="Ana", last_name="Pérez")


@pytest.fixture
def director(second):
    return RoleUserFactory(institution=second[0], role="Director", first_name="Luis", last_name="Gómez")


@pytest.fixture
def in_review(second, planner):
    """The second institution's first cuatrimestre, sent to review by Ana Pérez."""
    return services.submit(user=planner, institution=second[0], year=2024, cuatrimestre=1)


def january(subproduct):
    return SubproductExecution.objects.get(subproduct=subproduct, month=1)


def expected_refusal(report):
    submitted = report.transitions.get(action=ReportAction.SUBMIT)
    at = formats.date_format(timezone.localtime(submitted.at), "d/m/Y H:i")
    return (
        "La ejecución de enero 2024 pertenece al reporte del Primer Cuatrimestre 2024, "
        f"enviado a revisión por Ana Pérez el {at}; para cambiar estos datos, el director debe devolverlo."
    )


def import_row(code, physical):
    return [code, 2024, 1, NAME, NAME, physical, "60.00"]


def test_the_model_layer_refuses_naming_the_report_who_sent_it_and_when(first, second, in_review):
    record = january(second[2])
    record.physical = Decimal("6")
    with pytest.raises(ValidationError) as refused:
        record.save()
    assert refused.value.messages == [expected_refusal(in_review)]
    assert january(second[2]).physical == Decimal("5.00")
    other = january(first[2])
    other.physical = Decimal("6")
    other.save()
    assert january(first[2]).physical == Decimal("6.00")


def test_the_entry_page_opens_read_only_and_refuses_a_save(client, second, planner, in_review):
    client.force_login(planner)
    url = reverse("goals:enter_month", args=[2024, 1])
    page = client.get(url)
    assert expected_refusal(in_review) in page.content.decode()
    form = page.context["form"]
    data = {
        "version": form.initial["version"],
        "opened_at": form.initial["opened_at"].isoformat(),
        f"s{second[2].pk}_physical": "2268",
        f"s{second[2].pk}_financial": "50",
    }
    response = client.post(url, data, follow=True)
    assert expected_refusal(in_review) in response.content.decode()
    assert january(second[2]).physical == Decimal("5.00")


def test_the_web_import_refuses_at_preview_and_at_a_confirmation_after_the_submission(client, second, planner):
    client.force_login(planner)
    content = csv_file(EXECUTION_COLUMNS, import_row("SEGUNDA", "2268")).getvalue()
    upload = SimpleUploadedFile("ejecucion.csv", content, content_type="text/csv")
    preview = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    assert "se crearán 0 registros y se actualizará 1." in preview.content.decode()
    report = services.submit(user=planner, institution=second[0], year=2024, cuatrimestre=1)
    response = client.post(reverse("goals:confirm_import"), follow=True)
    assert expected_refusal(report) in response.content.decode()
    assert january(second[2]).physical == Decimal("5.00")
    upload = SimpleUploadedFile("ejecucion.csv", content, content_type="text/csv")
    again = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    assert expected_refusal(report) in again.content.decode()


def test_import_data_refuses_and_writes_nothing(tmp_path, first, second, in_review):
    path = tmp_path / "ejecucion.csv"
    path.write_bytes(csv_file(EXECUTION_COLUMNS, import_row("PRIMERA", "7"), import_row("SEGUNDA", "2268")).getvalue())
    with pytest.raises(CommandError) as refused:
        call_command("import_data", "ejecucion", str(path))
    assert expected_refusal(in_review) in str(refused.value)
    assert january(second[2]).physical == Decimal("5.00")
    assert january(first[2]).physical == Decimal("5.00")


def test_the_admin_refuses_even_a_superuser(client, second, in_review):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    subproduct = second[2]
    record = january(subproduct)
    data = {
        "product": subproduct.product_id, "name": subproduct.name, "unit": subproduct.unit, "order": subproduct.order,
        "physical_initial": subproduct.physical_initial, "financial_initial": subproduct.financial_initial,
        "executions-TOTAL_FORMS": 1, "executions-INITIAL_FORMS": 1, "executions-MIN_NUM_FORMS": 0,
        "executions-MAX_NUM_FORMS": 12, "executions-0-id": record.pk, "executions-0-subproduct": subproduct.pk,
        "executions-0-month": 1, "executions-0-physical": "2268", "executions-0-financial": "50",
        "programme-TOTAL_FORMS": 0, "programme-INITIAL_FORMS": 0, "programme-MIN_NUM_FORMS": 0,
        "programme-MAX_NUM_FORMS": 12,
    }  # fmt: skip
    response = client.post(reverse("admin:goals_subproduct_change", args=[subproduct.pk]), data)
    assert response.status_code == 200
    assert expected_refusal(in_review) in response.content.decode()
    assert january(subproduct).physical == Decimal("5.00")


def test_the_plan_programme_and_reprogrammings_it_prints_are_frozen_and_later_ones_open(second, in_review):
    institution, product, subproduct = second
    product.physical_initial = Decimal("1")
    with pytest.raises(ValidationError, match="El plan 2024 .*Primer Cuatrimestre 2024, enviado a revisión por Ana"):
        product.save()
    with pytest.raises(ValidationError, match="La programación de abril 2024 pertenece al reporte del Primer"):
        SubproductProgrammeFactory(subproduct=subproduct, month=4)
    with pytest.raises(ValidationError, match="La reprogramación del 30/04/2024 pertenece al reporte del Primer"):
        ReprogrammingFactory(institution=institution, date=datetime.date(2024, 4, 30))
    SubproductProgrammeFactory(subproduct=subproduct, month=5)
    SubproductExecutionFactory(subproduct=subproduct, month=5, physical=Decimal("3"))
    ReprogrammingFactory(institution=institution, date=datetime.date(2024, 5, 1))


def test_returning_the_report_lifts_the_freeze(second, director, in_review):
    services.return_report(user=director, institution=second[0], year=2024, cuatrimestre=1, comment="revisar enero")
    record = january(second[2])
    record.physical = Decimal("2268")
    record.save()
    assert january(second[2]).physical == Decimal("2268.00")
