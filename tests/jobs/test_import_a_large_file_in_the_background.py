"""A planner confirms the import of a large file previewed by the worker: the worker writes it while the job's page
shows the progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from goals.imports import EXECUTION_COLUMNS, background
from goals.models import Subproduct, SubproductExecution
from jobs.models import Job, JobStatus
from tests.factories import InstitutionFactory, ProductFactory, ResultFactory, RoleUserFactory, SubproductFactory
from tests.goals.imports_helpers import csv_file
from tests.jobs.imports_helpers import confirm_on_the_job_page, preview_in_the_background

pytestmark = pytest.mark.django_db


def institution_with_a_plan(code):
    institution = InstitutionFactory(code=code)
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P")
    SubproductFactory(product=product, name="S")
    return institution


@pytest.fixture
def large(monkeypatch):
    """Files of 4 rows or more count as large here (the real threshold is background.BACKGROUND_ROWS)."""
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 4)


@pytest.fixture
def planner(db):
    institution = institution_with_a_plan("UPL")
    institution_with_a_plan("OTRA")  # every name shared
    client = Client()
    client.force_login(RoleUserFactory(institution=institution, role="Planificador", username="plan-upl"))
    return client


def execution_file(months):
    rows = [["UPL", 2025, month, "P", "S", str(month), f"{month}.50"] for month in months]
    return csv_file(EXECUTION_COLUMNS, *rows).getvalue()


def preview(client, months):
    upload = SimpleUploadedFile("ejecucion.csv", execution_file(months))
    page = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload}).content.decode()
    assert f"se crearán {len(months)} registros" in page


def waiting_files(media_root):
    folder = media_root / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_large_import_is_written_by_the_queue_with_its_progress(
    large, planner, media_root, django_capture_on_commit_callbacks
):
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", execution_file(range(1, 6)), django_capture_on_commit_callbacks
    )
    assert "se crearán 5 registros" in planner.get(reverse("jobs:job", args=[previewed.pk])).content.decode()

    job = confirm_on_the_job_page(planner, previewed, django_capture_on_commit_callbacks)

    assert (job.status, job.done, job.total, job.user.username) == (JobStatus.DONE, 3, 3, "plan-upl")
    assert job.message == "Importado ejecucion.csv: 5 registros creados, 0 actualizados."
    written = SubproductExecution.objects.order_by("month")
    assert [(r.subproduct.product.result.institution.code, r.month, str(r.physical)) for r in written] == [
        ("UPL", month, f"{month}.00") for month in range(1, 6)
    ]
    assert waiting_files(media_root) == []
    status = planner.get(reverse("jobs:status", args=[job.pk])).json()
    assert (status["percent"], status["finished"], status["message"]) == (100, True, job.message)
    assert "Importado ejecucion.csv" in planner.get(reverse("jobs:job", args=[job.pk])).content.decode()
    other = Client()
    other.force_login(RoleUserFactory(institution=Subproduct.objects.get(product__result__institution__code="OTRA")
                                      .product.result.institution, role="Planificador"))  # fmt: skip
    assert other.get(reverse("jobs:job", args=[job.pk])).status_code == 404


def test_a_small_import_is_written_at_once(large, planner, django_capture_on_commit_callbacks):
    preview(planner, range(1, 4))

    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(reverse("goals:confirm_import"), follow=True)

    assert "Importado ejecucion.csv: 3 registros creados, 0 actualizados." in response.content.decode()
    assert not Job.objects.exists()
    assert SubproductExecution.objects.count() == 3


def test_an_import_refused_after_its_preview_fails_its_job_and_writes_nothing(
    large, planner, media_root, django_capture_on_commit_callbacks
):
    previewed = preview_in_the_background(
        planner, "ejecucion", "ejecucion.csv", execution_file(range(1, 6)), django_capture_on_commit_callbacks
    )
    Subproduct.objects.filter(product__result__institution__code="UPL").update(name="Renombrado")

    job = confirm_on_the_job_page(planner, previewed, django_capture_on_commit_callbacks)

    assert job.status == JobStatus.FAILED
    assert job.message.startswith("No se importó nada. Fila 2, columna «subproducto»:")
    assert job.message.count("Fila ") == 5
    assert not SubproductExecution.objects.exists()
    assert waiting_files(media_root) == []
