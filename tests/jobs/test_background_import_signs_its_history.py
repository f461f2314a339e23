"""A planner confirms the import of a large plan, reprogramming or justification file: the worker writes it, and
every history row it writes names the planner (the worker has no request for django-simple-history's middleware to
read the user from)."""

import pytest
from django.test import Client
from django.urls import reverse

from approvals.imports import JUSTIFICATION_COLUMNS
from approvals.models import Justification
from goals.imports import PLAN_COLUMNS, REPROGRAMMING_COLUMNS, background
from goals.models import Product, Reprogramming, ReprogrammingLine, Result, Subproduct
from jobs.models import JobStatus
from tests.approvals.test_import_justifications import GAP, LATE, OVER, plan_with_deviations
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory
from tests.goals.imports_helpers import csv_file
from tests.jobs.imports_helpers import confirm_on_the_job_page, preview_in_the_background

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Files of 4 rows or more count as large here (the real threshold is background.BACKGROUND_ROWS)."""
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 4)


def institution_with_a_plan(code):
    institution = InstitutionFactory(code=code)
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P", physical_initial=10)
    for name in ("S", "S2"):
        SubproductFactory(product=product, name=name, physical_initial=5, financial_initial=100)
    return institution


@pytest.fixture
def planner(db):
    institution = institution_with_a_plan("UPL")
    institution_with_a_plan("OTRA")  # every name shared
    return RoleUserFactory(institution=institution, role="Planificador", username="plan-upl")


def import_in_the_background(user, kind, columns, rows, capture):
    client = Client()
    client.force_login(user)
    previewed = preview_in_the_background(client, kind, f"{kind}.csv", csv_file(columns, *rows).getvalue(), capture)
    assert "se crearán" in client.get(reverse("jobs:job", args=[previewed.pk])).content.decode()
    job = confirm_on_the_job_page(client, previewed, capture)
    assert (job.status, job.user) == (JobStatus.DONE, user), job.message


def signers(models, code):
    """{(model, history type): the users who signed its history rows} of the institution's records."""
    institution = {
        Result: "institution__code",
        Product: "result__institution__code",
        Subproduct: "product__result__institution__code",
        Reprogramming: "institution__code",
        ReprogrammingLine: "reprogramming__institution__code",
        Justification: "institution__code",
    }
    signed = {}
    for model in models:
        for kind, user in model.history.filter(**{institution[model]: code}).values_list(
            "history_type", "history_user__username"
        ):
            signed.setdefault((model.__name__, kind), set()).add(user)
    return signed


def test_a_plan_imported_in_the_background_is_signed_by_its_planner(large, planner, django_capture_on_commit_callbacks):
    result = ["UPL", "Unidad", 2025, "RI", "Eje 1", "Acción 1", "Resultado nuevo"]
    rows = [
        [*result, "P", "", "Documento", "12", ""],  # moved to the new result, goal changed
        [*result, "P", "S", "Documento", "6", "150"],  # goals changed
        [*result, "P", "T", "Evento", "4", "200"],
        [*result, "Q", "", "Persona", "3", ""],
        [*result, "Q", "U", "Persona", "3", "50"],
    ]

    import_in_the_background(planner, "plan", PLAN_COLUMNS, rows, django_capture_on_commit_callbacks)

    assert Product.objects.get(result__institution__code="UPL", name="P").result.description == "Resultado nuevo"
    assert str(Subproduct.objects.get(product__result__institution__code="UPL", name="S").physical_initial) == "6.00"
    assert signers((Result, Product, Subproduct), "UPL") == {
        # The factories' records were written outside any request: their creation is signed by nobody.
        ("Result", "+"): {None, "plan-upl"},
        ("Product", "+"): {None, "plan-upl"},
        ("Product", "~"): {"plan-upl"},
        ("Subproduct", "+"): {None, "plan-upl"},
        ("Subproduct", "~"): {"plan-upl"},
    }
    imported = Result.objects.get(institution__code="UPL", description="Resultado nuevo")
    assert [version.history_user for version in imported.history.all()] == [planner]


def test_a_reprogramming_imported_in_the_background_is_signed_by_its_planner(
    large, planner, django_capture_on_commit_callbacks
):
    document = ["UPL", 2025, "RES-001", "2025-03-15"]
    lines = [("P", "", "fisica"), ("P", "S", "fisica"), ("P", "S", "financiera"), ("P", "S2", "financiera")]
    first = [[*document, product, subproduct, kind, "8", "Menor demanda"] for product, subproduct, kind in lines]
    again = [[*document, product, subproduct, kind, "7", "Menor demanda"] for product, subproduct, kind in lines]

    for rows in (first, again):
        import_in_the_background(
            planner, "reprogramacion", REPROGRAMMING_COLUMNS, rows, django_capture_on_commit_callbacks
        )

    written = ReprogrammingLine.objects.filter(reprogramming__institution__code="UPL")
    assert [str(line.new_goal) for line in written] == ["7.00"] * 4
    assert signers((Reprogramming, ReprogrammingLine), "UPL") == {
        ("Reprogramming", "+"): {"plan-upl"},
        ("ReprogrammingLine", "+"): {"plan-upl"},
        ("ReprogrammingLine", "~"): {"plan-upl"},
    }
    assert ReprogrammingLine.history.filter(reprogramming__institution__code="UPL").count() == 8


def test_justifications_imported_in_the_background_are_signed_by_their_planner(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 3)
    plan_with_deviations("OTR")
    planner = RoleUserFactory(institution=plan_with_deviations("JUS"), role="Planificador", username="plan-jus")

    for rows in ([OVER, GAP, LATE], [[*row[:-1], row[-1] + " Revisado."] for row in (OVER, GAP, LATE)]):
        import_in_the_background(
            planner, "justificacion", JUSTIFICATION_COLUMNS, rows, django_capture_on_commit_callbacks
        )

    stored = Justification.objects.filter(institution__code="JUS").values_list("text", flat=True)
    assert sorted(stored) == sorted(row[-1] + " Revisado." for row in (OVER, GAP, LATE))
    assert signers((Justification,), "JUS") == {
        ("Justification", "+"): {"plan-jus"},
        ("Justification", "~"): {"plan-jus"},
    }
