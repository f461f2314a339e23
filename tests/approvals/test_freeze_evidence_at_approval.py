"""The director approves a report whose months have medios de verificación: their list, with each file's SHA-256, is
frozen into the snapshot, printed in the annex of the package and of the xlsx, served by the API; the report page
shows a paperclip on their rows and lists them, in a number of queries that does not grow with them."""

import hashlib
import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from approvals import services
from approvals.demo import tiny_pdf
from approvals.documents import served
from approvals.models import DocumentKind
from goals.evidence import attach_evidence
from goals.models import Evidence
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
)

pytestmark = pytest.mark.django_db

ACTA = tiny_pdf("Acta de entrega de febrero")
FOTO = b"\x89PNG\r\n\x1a\n" + bytes(40)


@pytest.fixture
def plan():
    institution = InstitutionFactory(code="IGM", name="Instituto de prueba", acronym="IGM")
    result = ResultFactory(institution=institution, year=2024, description="Gestión institucional")
    product = ProductFactory(result=result, name="Dirección y Coordinación")
    subproduct = SubproductFactory(product=product, name="Servicios de apoyo")
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=5, financial=50)
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Ana")
    director = RoleUserFactory(institution=institution, role="Director")
    return institution, product, subproduct, planner, director


def attach(plan, row, content, name, month, description):
    institution, _product, _subproduct, planner, _director = plan
    return attach_evidence(
        user=planner, institution=institution, row=row, year=2024, month=month,
        upload=SimpleUploadedFile(name, content), description=description,
    )  # fmt: skip


def approve(plan):
    institution, _product, _subproduct, planner, director = plan
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    return services.approve(user=director, institution=institution, year=2024, cuatrimestre=1)


def test_the_approval_freezes_the_list_with_each_sha256_and_prints_it_in_the_annex(plan):
    _institution, product, subproduct, _planner, _director = plan
    attach(plan, product, ACTA, "acta-febrero.pdf", 2, "Acta de entrega de mobiliario")
    attach(plan, subproduct, FOTO, "foto-taller.png", 4, "Fotografía del taller de abril")
    attach(plan, product, ACTA, "acta-mayo.pdf", 5, "Acta de mayo, de otro cuatrimestre")
    snapshot = approve(plan)
    acta, foto = hashlib.sha256(ACTA).hexdigest(), hashlib.sha256(FOTO).hexdigest()
    frozen = json.loads(snapshot.content)["evidence"]
    assert frozen == [
        {"product": "Dirección y Coordinación", "subproduct": "", "month": 2,
         "description": "Acta de entrega de mobiliario", "filename": "acta-febrero.pdf", "size": len(ACTA),
         "sha256": acta},
        {"product": "Dirección y Coordinación", "subproduct": "Servicios de apoyo", "month": 4,
         "description": "Fotografía del taller de abril", "filename": "foto-taller.png", "size": len(FOTO),
         "sha256": foto},
    ]  # fmt: skip
    assert json.loads(snapshot.content)["justifications"] == []
    assert APIClient().get(reverse("api:report", args=[snapshot.sha256])).json()["evidence"] == frozen

    package = PdfReader(BytesIO(served(snapshot, DocumentKind.PACKAGE).read()))
    # a long file name wraps after its hyphen in the table's cell
    pages = [" ".join(page.extract_text().split()).replace("- ", "-") for page in package.pages]
    assert pages[-1].startswith("Justificación de desviaciones")
    assert "Medios de verificación" in pages[-1] and "OFICIO-IGM-DG-001-" in pages[-1]
    assert (
        f"Dirección y Coordinación Febrero Acta de entrega de mobiliario acta-febrero.pdf {len(ACTA)} {acta}"
        in (pages[-1])
    )
    assert f"Servicios de apoyo Abril Fotografía del taller de abril foto-taller.png {len(FOTO)} {foto}" in pages[-1]
    assert "acta-mayo.pdf" not in pages[-1]

    sheet = load_workbook(BytesIO(served(snapshot, DocumentKind.XLSX).read()))["Justificación de desviaciones"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Medios de verificación"
    assert rows[1] == ("Producto", "Subproducto", "Mes", "Descripción", "Archivo", "Tamaño (bytes)", "SHA-256")
    assert rows[2] == (
        "Dirección y Coordinación",
        None,
        "Febrero",
        "Acta de entrega de mobiliario",
        "acta-febrero.pdf",
        len(ACTA),
        acta,
    )
    assert rows[3][1:] == ("Servicios de apoyo", "Abril", "Fotografía del taller de abril", "foto-taller.png",
                           len(FOTO), foto)  # fmt: skip
    assert len(rows) == 4


def test_an_approval_without_evidence_or_justifications_adds_no_annex(plan):
    snapshot = approve(plan)
    assert json.loads(snapshot.content)["evidence"] == []
    package = PdfReader(BytesIO(served(snapshot, DocumentKind.PACKAGE).read()))
    assert "Justificación de desviaciones" not in package.pages[-1].extract_text()
    assert load_workbook(BytesIO(served(snapshot, DocumentKind.XLSX).read())).sheetnames == ["Reporte", "Datos"]


def test_the_report_page_shows_a_paperclip_on_each_row_with_files_in_bounded_queries(
    client, plan, django_assert_max_num_queries
):
    institution, product, subproduct, planner, _director = plan
    client.force_login(planner)
    url = reverse("reports:report", args=["IGM", 2024, 1])
    counted = []
    for files in (1, 6):
        for index in range(files):
            attach(plan, subproduct, FOTO, f"foto-{index}.png", 1 + index % 4, f"Fotografía {index}")
        with django_assert_max_num_queries(40) as captured:
            html = client.get(url).content.decode()
        counted.append(len(captured))
    assert counted[0] == counted[1]
    assert html.count("📎") == 1 and 'title="7 medios de verificación">📎 7</a>' in html
    assert 'id="medios-de-verificacion"' in html and "Fotografía 5" in html
    download = reverse("approvals:evidence_download", args=["IGM", Evidence.objects.last().pk])
    assert f'href="{download}"' in html

    snapshot = approve(plan)
    html = client.get(url).content.decode()
    assert snapshot.sha256 in html and 'title="7 medios de verificación">📎 7</a>' in html
    reader = RoleUserFactory(institution=institution, role="Lector")
    client.force_login(reader)
    assert client.get(download).status_code == 200
    pdf = PdfReader(BytesIO(client.get(reverse("reports:pdf", args=["IGM", 2024, 1])).getvalue()))
    assert "📎" not in " ".join(page.extract_text() for page in pdf.pages)
    assert product.evidence.count() == 0
