"""Uploads that are too large or not what they claim: refused with a Spanish reason, nothing stored."""

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from goals.forms import MAX_IMPORT_BYTES
from goals.imports import EXECUTION_COLUMNS
from goals.models import (
    Product,
    Reprogramming,
    ReprogrammingStatus,
    SubproductExecution,
)
from goals.validators import MAX_RESOLUTION_PDF_BYTES
from tests.factories import (
    ProductFactory,
    ReprogrammingFactory,
    ResultFactory,
    RoleUserFactory,
    UserFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%fake\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture
def planner(client):
    user = RoleUserFactory(
        institution=ResultFactory(institution__code="UPL", year=2025).institution, role="Planificador"
    )
    client.force_login(user)
    return user


def nothing_stored(client):
    _directories, files = default_storage.listdir("imports") if default_storage.exists("imports") else ([], [])
    return not files and "pending_import" not in client.session and not SubproductExecution.objects.exists()


def valid_csv_bytes():
    return csv_file(EXECUTION_COLUMNS, ["UPL", 2025, 1, "P", "S", "1", "2.00"]).getvalue()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("ejecucion.csv", valid_csv_bytes() + b"#" * MAX_IMPORT_BYTES, "El archivo pasa de 20 MB"),
        ("ejecucion.xlsx", PDF, "El archivo no es un libro de Excel (XLSX) válido."),
        ("ejecucion.csv", PNG, "El archivo no es un CSV de texto (UTF-8)."),
        ("ejecucion.exe", valid_csv_bytes(), "El archivo debe ser CSV (UTF-8) o XLSX."),
    ],
)
def test_the_import_page_refuses_the_file_and_keeps_the_choice(client, planner, name, content, reason):
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert response.context["form"]["template"].value() == "ejecucion"
    assert nothing_stored(client)


def test_the_admin_import_refuses_a_file_over_the_limit(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    upload = SimpleUploadedFile("plan.csv", b"x" * (MAX_IMPORT_BYTES + 1))
    response = client.post(
        reverse("admin:goals_product_import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    assert response.status_code == 200
    assert "El archivo pasa de 20 MB" in response.content.decode()
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "content, reason",
    [
        (PDF + b"0" * MAX_RESOLUTION_PDF_BYTES, "La resolución no puede pesar más de 5 MB."),
        (PNG, "El archivo no es un PDF válido."),
    ],
)
def test_the_resolution_upload_refuses_a_large_or_fake_pdf(content, reason):
    institution = ProductFactory(result=ResultFactory(institution__code="RES", year=2025)).result.institution
    document = ReprogrammingFactory(institution=institution, status=ReprogrammingStatus.PENDING)
    request = RequestFactory().post("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[Reprogramming].get_form(request, document)
    data = {"institution": institution.pk, "number": document.number, "date": document.date, "justification": "x"}
    form = form_class(data, {"resolution_pdf": SimpleUploadedFile("resolucion.pdf", content)}, instance=document)
    assert not form.is_valid()
    assert form.errors["resolution_pdf"] == [reason]
    document.refresh_from_db()
    assert not document.resolution_pdf
