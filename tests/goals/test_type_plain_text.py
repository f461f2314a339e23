"""Text typed or imported is refused, with the row, column and limit, when it is longer than its field or
carries control or bidirectional-override characters: it never reaches the database to fail there."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals.models import ReportTransition
from goals.imports import PLAN_COLUMNS, REPROGRAMMING_COLUMNS, import_file
from goals.models import Institution, Product, Reprogramming, Result
from goals.validators import multi_line, single_line
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db


def plan_row(product="Dirección", unit="Documento", axis="-", name="Institución Nueva"):
    return ["NEW", name, 2025, "RI", axis, "", "Sin Resultado", product, "", unit, "3", ""]


@pytest.mark.parametrize(
    ("text", "accepted_multi_line"),
    [("a\u202eb", False), ("bell\x07", False), ("nul\x00", False), ("c1\x85", False), ("iso\u2066x\u2069", False),
     ("tab\tand\nline", True), ("DEL\x7f", False)],
)  # fmt: skip
def test_control_and_direction_characters_are_refused(text, accepted_multi_line):
    with pytest.raises(ValidationError):
        single_line(text)
    if accepted_multi_line:
        multi_line(text)
    else:
        with pytest.raises(ValidationError):
            multi_line(text)


def test_ordinary_spanish_text_is_accepted():
    single_line("Dirección y Coordinación — «Pasaportes» ñ ü 100 %")


def good_rows(count):
    return [plan_row(product=f"Producto {number}") for number in range(count)]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (plan_row(product="x" * 612), "producto", "tiene 612 caracteres; el máximo es 500."),
        (plan_row(unit="u" * 101), "unidad", "tiene 101 caracteres; el máximo es 100."),
        (plan_row(axis="e" * 501), "eje_estrategico", "tiene 501 caracteres; el máximo es 500."),
        (plan_row(name="n" * 256), "institucion_nombre", "tiene 256 caracteres; el máximo es 255."),
        (
            plan_row(product="Pasaportes\u202e\x07"),
            "producto",
            "El texto contiene un carácter que no se admite (U+202E)",
        ),
    ],
)
def test_a_plan_row_with_text_its_field_cannot_hold_is_refused_by_row_column_and_limit(row, column, message):
    result = import_file("plan", csv_file(PLAN_COLUMNS, *good_rows(5), row), "plan.csv")
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith(f"Fila 7, columna «{column}»: {message}")
    assert not Institution.objects.exists() and not Product.objects.exists()


def test_a_justification_may_have_several_lines_but_no_control_characters():
    institution = InstitutionFactory(code="TXT")
    ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P")

    def document(justification):
        row = ["TXT", 2025, "RES-1", "2025-03-01", "P", "", "fisica", "5", justification]
        return import_file("reprogramacion", csv_file(REPROGRAMMING_COLUMNS, row), "r.csv")

    refused = document("Mayor demanda\x1b[31m")
    assert [str(error) for error in refused.errors] == [
        "Fila 2, columna «justificacion»: El texto contiene un carácter que no se admite (U+001B): quite los "
        "caracteres de control y de dirección del texto."
    ]
    assert not Reprogramming.objects.exists()
    assert document("Mayor demanda\nde pasaportes").ok
    assert Reprogramming.objects.get().justification == "Mayor demanda\nde pasaportes"


def test_the_admin_refuses_a_product_name_with_a_direction_override(admin_client):
    result = ResultFactory(year=2025)
    data = {
        "result": result.pk, "name": "Pasa\u202eportes", "unit": "Persona", "order": "0", "physical_initial": "3",
        **{f"{prefix}-{key}": value for prefix in ("subproducts", "executions", "programme")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    }  # fmt: skip
    response = admin_client.post(reverse("admin:goals_product_add"), data)
    assert response.status_code == 200
    assert "El texto contiene un carácter que no se admite (U+202E)" in response.content.decode()
    data["unit"] = "u" * 101
    data["name"] = "Pasaportes"
    response = admin_client.post(reverse("admin:goals_product_add"), data)
    assert response.status_code == 200
    assert not Product.objects.exists()
    assert Result.objects.count() == 1


def test_a_directors_comment_with_control_characters_is_refused(client):
    institution = InstitutionFactory(code="DIR")
    ProductFactory(result=ResultFactory(institution=institution, year=2025))
    planner = RoleUserFactory(institution=institution, role="Planificador")
    client.force_login(planner)
    url = reverse("approvals:report_action", args=["DIR", 2025, 1, "enviar"])
    response = client.post(url, {"comment": "Listo\x07"}, follow=True)
    assert "El texto contiene un carácter que no se admite (U+0007)" in response.content.decode()
    assert not ReportTransition.objects.exists()
