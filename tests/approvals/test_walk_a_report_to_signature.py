"""Issue 13's "Done when", walked by a second institution's planner, director and reader (not the demo's, sharing
its names): submit, a changed January refused while in review, approval refused without or with a wrong password,
approved with it, the third cuatrimestre refused while the second is returned, the four stored documents identical
for everyone, a tampered copy not verified, and the reader's token seeing February and not June.

Runs in both of CI's runs (SQLite, then PostgreSQL with DATABASE_URL set)."""

import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from approvals import services
from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus
from goals.models import SubproductExecution
from tests.factories import (
    InstitutionFactory,
    ProductExecutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductExecutionFactory,
    SubproductFactory,
    demo_in_draft,
    token_client,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-password-1"  # tests.factories.UserFactory's
DIRECTION = "Dirección y Coordinación"
CONTROL = "Control Registro de Nacionales y Extranjeros"
REGISTRY = "Registro de Extranjería"
DOWNLOADS = ("reports:pdf", "reports:xlsx", "reports:oficio", "reports:package")


def pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


@pytest.fixture
def segunda():
    """The demo (IGM) and SEGUNDA, whose plan has the demo's names, with figures in January, February and June."""
    demo_in_draft()
    institution = InstitutionFactory(code="SEGUNDA", acronym="SEG", issuing_office="DG", name="Segunda Institución")
    direction = ProductFactory(result=ResultFactory(institution=institution, description=DIRECTION), name=DIRECTION)
    SubproductFactory(product=direction, name=DIRECTION)
    control = ProductFactory(result=ResultFactory(institution=institution), name=CONTROL, physical_initial=1000)
    registry = SubproductFactory(product=control, name=REGISTRY, physical_initial=1000, financial_initial=10000)
    for month, physical in ((1, "1268"), (2, "11"), (6, "77")):
        ProductExecutionFactory(product=control, month=month, physical=Decimal(physical))
        SubproductExecutionFactory(
            subproduct=registry, month=month, physical=Decimal(physical), financial=Decimal(physical) * 10
        )
    return institution, registry


def report_status(institution, cuatrimestre):
    return CuatrimestreReport.objects.get(institution=institution, year=2024, cuatrimestre=cuatrimestre).status


def test_a_second_institution_walks_its_report_from_submission_to_a_verified_signature(client, segunda):
    institution, registry = segunda
    planner = RoleUserFactory(institution=institution, role="Planificador", first_name="Ana", last_name="Pérez")
    director = RoleUserFactory(institution=institution, role="Director", first_name="Luis", last_name="Gómez")
    reader = RoleUserFactory(institution=institution, role="Lector")

    # The planner submits the first cuatrimestre; a changed January figure is refused on the entry page.
    client.force_login(planner)
    submitted = client.post(reverse("approvals:report_action", args=["SEGUNDA", 2024, 1, "enviar"]))
    assert submitted.status_code == 302 and report_status(institution, 1) == ReportStatus.IN_REVIEW
    entry = reverse("goals:enter_month", args=[2024, 1])
    form = client.get(entry).context["form"]
    refused = client.post(
        entry,
        {
            "version": form.initial["version"],
            "opened_at": form.initial["opened_at"].isoformat(),
            f"s{registry.pk}_physical": "2268",
            f"s{registry.pk}_financial": "12680",
        },
        follow=True,
    )
    assert "enviado a revisión por Ana Pérez" in refused.content.decode()
    assert SubproductExecution.objects.get(subproduct=registry, month=1).physical == Decimal("1268.00")

    # The director: no password, a wrong one, then his own.
    client.force_login(director)
    approve = reverse("approvals:approve_report", args=["SEGUNDA", 2024, 1])
    for data in ({}, {"password": "not-my-password"}):
        assert client.post(approve, data).status_code == 200
        assert report_status(institution, 1) == ReportStatus.IN_REVIEW
        assert not ReportSnapshot.objects.filter(report__institution=institution).exists()
    assert client.post(approve, {"password": PASSWORD}).status_code == 302
    assert report_status(institution, 1) == ReportStatus.APPROVED
    snapshot = ReportSnapshot.objects.get(report__institution=institution)

    # The second is returned; the third, submitted, cannot be approved before it.
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=2)
    services.return_report(user=director, institution=institution, year=2024, cuatrimestre=2, comment="revisar junio")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=3)
    approve_third = reverse("approvals:approve_report", args=["SEGUNDA", 2024, 3])
    third = client.post(approve_third, {"password": PASSWORD}, follow=True)
    assert "no puede aprobarse antes que el Segundo Cuatrimestre 2024" in third.content.decode()
    assert report_status(institution, 3) == ReportStatus.IN_REVIEW

    # The four documents, downloaded twice by each of the three, are the same bytes: those stored at approval.
    downloads = {}
    for user in (planner, director, reader, planner, director, reader):
        client.force_login(user)
        for name in DOWNLOADS:
            response = client.get(reverse(name, args=["SEGUNDA", 2024, 1]))
            assert response.status_code == 200, (user.username, name)
            downloads.setdefault(name, set()).add(b"".join(response))
    assert all(len(contents) == 1 for contents in downloads.values())
    files = {name: contents.pop() for name, contents in downloads.items()}
    assert {document.sha256 for document in snapshot.documents.all()} == {
        hashlib.sha256(content).hexdigest() for content in files.values()
    }
    report_text = pdf_text(files["reports:pdf"])
    assert REGISTRY in report_text and "1,279.00" in report_text  # January and February, not June
    assert snapshot.oficio_number in pdf_text(files["reports:oficio"])
    assert snapshot.typist_initials == planner.typist_initials  # who submitted, fixed at approval
    assert f"/{snapshot.typist_initials}" in pdf_text(files["reports:package"])
    sheet = load_workbook(BytesIO(files["reports:xlsx"])).active
    assert any(REGISTRY in str(cell) for row in sheet.values for cell in row if cell)

    # A tampered copy is not one of the approved documents.
    client.logout()
    tampered = bytearray(files["reports:package"])
    tampered[len(tampered) // 2] ^= 0x01
    verify = reverse("approvals:verify_search")
    page = client.post(verify, {"file": SimpleUploadedFile("copia.pdf", bytes(tampered))})
    assert "no es ninguno de los documentos aprobados" in page.content.decode()
    genuine = client.post(verify, {"file": SimpleUploadedFile("paquete.pdf", files["reports:package"])})
    assert "Ese reporte está aprobado y vigente." in genuine.content.decode()

    # The reader's API token: February (approved) and not June (the returned second cuatrimestre).
    api = token_client(reader)
    query = {"institution": "SEGUNDA", "year": 2024}
    rows = api.get(reverse("api:subproduct_execution"), query).json()["results"]
    assert sorted(row["month"] for row in rows) == [1, 2]
    [february] = api.get(reverse("api:subproduct_execution"), {**query, "month": 2}).json()["results"]
    assert (february["physical"], february["financial"]) == ("11.00", "110.00")
    assert api.get(reverse("api:subproduct_execution"), {**query, "month": 6}).json()["results"] == []
