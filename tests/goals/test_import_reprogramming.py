import datetime
from decimal import Decimal

import pytest

from goals.imports import REPROGRAMMING_COLUMNS, import_file
from goals.models import GoalKind, Reprogramming, ReprogrammingStatus
from goals.queries import current_goal
from tests.factories import (
    ProductFactory,
    ReprogrammingFactory,
    ResultFactory,
    SubproductFactory,
    UserFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    result = ResultFactory(institution__code="REP", year=2025)
    product = ProductFactory(result=result, name="Emisión", physical_initial=100)
    subproduct = SubproductFactory(product=product, name="Pasaportes", physical_initial=100, financial_initial=500)
    return product, subproduct


ROWS = [
    ["REP", 2025, "RES-001-2025", "2025-03-15", "Emisión", "", "fisica", "80", "Menor demanda"],
    ["REP", 2025, "RES-001-2025", "2025-03-15", "Emisión", "Pasaportes", "financiera", "450.25", ""],
]


def test_rows_of_one_document_form_one_approved_reprogramming_from_the_command_line(plan):
    product, subproduct = plan
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *ROWS), "r.csv")
    assert result.ok, result.errors
    document = Reprogramming.objects.get()
    assert (document.number, document.date, document.status) == (
        "RES-001-2025",
        datetime.date(2025, 3, 15),
        ReprogrammingStatus.APPROVED,
    )
    assert document.justification == "Menor demanda"
    as_of = datetime.date(2025, 4, 30)
    assert current_goal(product, GoalKind.PHYSICAL, as_of) == Decimal("80.00")
    assert current_goal(subproduct, GoalKind.FINANCIAL, as_of) == Decimal("450.25")
    again = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *ROWS), "r.csv")
    assert (again.created, again.updated) == (0, 0)


def test_from_the_browser_a_document_arrives_pending(plan):
    planner = UserFactory(institution=plan[0].result.institution)
    assert import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *ROWS), "r.csv", user=planner).ok
    assert Reprogramming.objects.get().status == ReprogrammingStatus.PENDING


def test_a_second_pending_document_is_refused(plan):
    ReprogrammingFactory(
        institution=plan[0].result.institution, status=ReprogrammingStatus.PENDING, date=datetime.date(2025, 2, 1)
    )
    planner = UserFactory(institution=plan[0].result.institution)
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *ROWS), "r.csv", user=planner)
    assert [(e.row, e.column) for e in result.errors] == [(2, "documento")]
    assert "pendiente" in result.errors[0].message


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (["REP", 2025, "RES-002-2025", "15/03/2025", "Emisión", "", "fisica", "1", ""], "fecha", "AAAA-MM-DD"),
        (["REP", 2025, "RES-002-2025", "2024-03-15", "Emisión", "", "fisica", "1", ""], "fecha", "no es del año 2025"),
        (
            ["REP", 2025, "RES-002-2025", "2025-03-15", "Emisión", "", "financiera", "1", ""],
            "tipo_meta",
            "solo se reprograma en su meta física",
        ),
        (["REP", 2025, "RES-002-2025", "2025-03-15", "Emisión", "", "otra", "1", ""], "tipo_meta", "fisica"),
        (["REP", 2025, "RES-002-2025", "2025-03-15", "Emisión", "Nada", "fisica", "1", ""], "subproducto", "no existe"),
        (
            ["REP", 2025, "RES-001-2025", "2025-03-16", "Emisión", "Pasaportes", "fisica", "1", ""],
            "fecha",
            "otra fecha",
        ),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(plan, bad_row, column, reason):
    result = import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, *ROWS, bad_row), "r.csv")
    assert [(e.row, e.column) for e in result.errors] == [(4, column)]
    assert reason in result.errors[0].message
    assert not Reprogramming.objects.exists()
