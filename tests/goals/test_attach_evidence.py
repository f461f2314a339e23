"""Planners attach medios de verificación to a row's month from the entry page: the type is read from the content,
the size and count are bounded, nothing is kept on a refusal; whoever reads the month downloads them through a view
that checks; a frozen month refuses new files and deletions."""

import hashlib
import re
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook

from approvals import audit, services
from approvals.demo import tiny_pdf
from goals.evidence import attach_evidence, remove_evidence
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

PDF = tiny_pdf("Acta de entrega de febrero")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def xlsx_bytes():
    workbook = Workbook()
    workbook.active["A1"] = "Planilla de asistencia"
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def zip_bytes(parts):
    output = BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": '<Types><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": "<document/>",
    }
)


def institution_with_plan(code):
    """An institution whose plan has the names every institution has, with its planner, director and reader."""
    institution = InstitutionFactory(code=code, name="Institución de prueba", acronym=code)
    result = ResultFactory(institution=institution, year=2024, description="Gestión institucional")
    product = ProductFactory(result=result, name="Dirección y Coordinación")
    subproduct = SubproductFactory(product=product, name="Dirección y Coordinación")
    SubproductExecutionFactory(subproduct=subproduct, month=2, physical=5, financial=50)
    users = {
        role: RoleUserFactory(institution=institution, role=role) for role in ("Planificador", "Director", "Lector")
    }
    return institution, product, subproduct, users


@pytest.fixture
def plan():
    institution_with_plan("OTRA")
    return institution_with_plan("IGM")


def page(row, month=2):
    kind = "producto" if row.__class__.__name__ == "Product" else "subproducto"
    return reverse("goals:evidence", args=[2024, month, kind, row.pk])


def upload(client, row, content=PDF, name="acta.pdf", description="Acta de entrega firmada", month=2):
    return client.post(
        page(row, month), {"description": description, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def stored_files(folder="evidencia"):
    """Every file stored under `folder`, at any depth."""
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in files] + [
        path for name in folders for path in stored_files(f"{folder}/{name}")
    ]


def attach(user, institution, row, content=PDF, name="acta.pdf", month=2):
    return attach_evidence(
        user=user, institution=institution, row=row, year=2024, month=month,
        upload=SimpleUploadedFile(name, content), description="Acta de entrega firmada",
    )  # fmt: skip


def evidence_counts(html):
    """The number of medios de verificación the entry page shows on each row, in order."""
    return re.findall(r"📎 (\d+)</a>", html)


def test_a_planner_attaches_a_pdf_and_the_entry_page_counts_it_on_the_row(client, plan):
    institution, product, subproduct, users = plan
    client.force_login(users["Planificador"])
    entry = reverse("goals:enter_month", args=[2024, 2])
    assert evidence_counts(client.get(entry).content.decode()) == ["0", "0"]

    response = upload(client, subproduct)
    assert "Se adjuntó «acta.pdf»." in response.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.subproduct, evidence.product, evidence.year, evidence.month) == (subproduct, None, 2024, 2)
    assert (evidence.original_name, evidence.size, evidence.content_type) == ("acta.pdf", len(PDF), "application/pdf")
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.uploaded_by == users["Planificador"] and evidence.description == "Acta de entrega firmada"
    assert evidence.file.name.startswith(f"evidencia/{institution.pk}/2024/") and "acta" not in evidence.file.name
    with default_storage.open(evidence.file.name, "rb") as stored:
        assert stored.read() == PDF
    assert evidence.history.get().history_user == users["Planificador"]

    html = client.get(entry).content.decode()
    assert evidence_counts(html) == ["0", "1"]
    assert f'href="{page(subproduct)}"' in html and "📎 1" in html
    assert product.evidence.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("foto.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
        ("asistencia.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("informe.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_images_and_office_files_are_kept_with_the_type_their_content_says(client, plan, name, content, content_type):
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    upload(client, product, content, name)
    assert Evidence.objects.get().content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("informe.pdf", EXE, "El contenido de «informe.pdf» no es un PDF, una imagen PNG o JPEG"),
        ("informe.pdf", b"", "El archivo enviado está vacío."),
        ("foto.png", PDF, "«foto.png» es un PDF por su contenido: su nombre debe terminar en .pdf."),
        ("datos.xlsx", zip_bytes({"datos.csv": "a,b"}), "El contenido de «datos.xlsx» no es un PDF"),
        ("datos.xlsx", DOCX, "«datos.xlsx» es un documento de Word (.docx) por su contenido"),
        ("datos.xlsx", b"PK\x03\x04 not a zip at all", "El contenido de «datos.xlsx» no es un PDF"),
    ],
)
def test_a_file_whose_content_is_not_what_siplan_keeps_is_refused_and_nothing_is_kept(
    client, plan, name, content, refusal
):
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    response = upload(client, product, content, name, description="Lo que escribí")
    html = response.content.decode()
    assert "No se adjuntó el archivo" in html and refusal in html
    assert 'value="Lo que escribí"' in html
    assert not Evidence.objects.exists() and stored_files() == []


@pytest.mark.parametrize("size", [3000, 200_000])
def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(client, plan, settings, size):
    """3,000 bytes pass the body's allowance and stop while read; 200,000 are refused from the request's size."""
    settings.SIPLAN_EVIDENCE_MAX_BYTES = 2000
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    html = upload(client, product, PDF + b"0" * size).content.decode()
    assert "El archivo pesa más de 2.0\xa0KB; no se adjuntó." in html
    assert not Evidence.objects.exists() and stored_files() == []
    assert "Se adjuntó" in upload(client, product, PDF).content.decode()


def test_a_row_holds_at_most_the_configured_number_of_files_a_month(client, plan, settings):
    settings.SIPLAN_EVIDENCE_MAX_FILES = 2
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    upload(client, product)
    upload(client, product, PNG, "foto.png")
    html = upload(client, product, JPEG, "foto.jpg").content.decode()
    assert "Esta fila ya tiene 2 medios de verificación en el mes, el máximo" in html
    assert Evidence.objects.count() == 2 and len(stored_files()) == 2
    assert "Se adjuntó" in upload(client, product, JPEG, "foto.jpg", month=3).content.decode()


@pytest.mark.parametrize(
    ("description", "refusal"),
    [
        ("   ", "Describa el archivo en pocas palabras."),
        ("x" * 201, "tiene 201 caracteres; el máximo es 200."),
        ("Acta\u202efirmada", "El texto contiene un carácter que no se admite (U+202E)"),
    ],
)
def test_the_description_is_required_short_and_plain(client, plan, description, refusal):
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    assert refusal in upload(client, product, description=description).content.decode()
    assert not Evidence.objects.exists() and stored_files() == []


def test_the_file_name_is_kept_without_its_path_or_hostile_characters(client, plan):
    _institution, product, _subproduct, users = plan
    client.force_login(users["Planificador"])
    upload(client, product, name='C:\\Users\\ana\\..\\acta "final";\u202e\x07 ' + "n" * 200 + ".pdf")
    name = Evidence.objects.get().original_name
    assert name.startswith("acta _final_") and name.endswith("n.pdf") and len(name) == 120
    assert not set(name) & set('\\/:*?"<>|;\u202e\x07')


def test_whoever_reads_the_month_downloads_it_as_an_attachment_never_sniffed(client, plan):
    institution, product, _subproduct, users = plan
    evidence = attach(users["Planificador"], institution, product, name="Acta de febrero ñ.pdf")
    url = reverse("approvals:evidence_download", args=["IGM", evidence.pk])
    for role in ("Planificador", "Director"):
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''Acta%20de%20febrero%20%C3%B1.pdf" in response["Content-Disposition"]

    client.force_login(users["Lector"])
    assert client.get(url).status_code == 403  # its month's report is not approved
    services.submit(user=users["Planificador"], institution=institution, year=2024, cuatrimestre=1)
    services.approve(user=users["Director"], institution=institution, year=2024, cuatrimestre=1)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_another_institution_sharing_every_name_gets_not_found(client, plan):
    institution, product, subproduct, users = plan
    evidence = attach(users["Planificador"], institution, product)
    services.submit(user=users["Planificador"], institution=institution, year=2024, cuatrimestre=1)
    services.approve(user=users["Director"], institution=institution, year=2024, cuatrimestre=1)
    other = InstitutionFactory(code="OTRA")
    for role in ("Planificador", "Director", "Lector"):
        client.force_login(other.users.get(groups__name=role))
        assert client.get(reverse("approvals:evidence_download", args=["IGM", evidence.pk])).status_code == 404
        assert client.get(reverse("approvals:evidence_download", args=["OTRA", evidence.pk])).status_code == 404
        assert client.get(page(product)).status_code in (403, 404)
        assert client.post(reverse("goals:delete_evidence", args=[evidence.pk])).status_code in (403, 404)
    client.force_login(other.users.get(groups__name="Planificador"))
    assert client.get(page(product)).status_code == 404
    assert upload(client, subproduct).status_code == 404
    assert Evidence.objects.get() == evidence


def test_only_planners_attach_and_delete(client, plan):
    institution, product, _subproduct, users = plan
    evidence = attach(users["Planificador"], institution, product)
    client.force_login(users["Director"])
    assert "Acta de entrega firmada" in client.get(page(product)).content.decode()
    assert upload(client, product).status_code == 403
    assert client.post(reverse("goals:delete_evidence", args=[evidence.pk])).status_code == 403
    client.force_login(users["Lector"])
    assert client.get(page(product)).status_code == 403
    assert Evidence.objects.get() == evidence


def test_a_planner_deletes_a_file_of_a_month_not_frozen_and_it_leaves_storage(
    client, plan, django_capture_on_commit_callbacks
):
    institution, product, _subproduct, users = plan
    evidence = attach(users["Planificador"], institution, product)
    client.force_login(users["Planificador"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("goals:delete_evidence", args=[evidence.pk]), follow=True)
    assert "Se eliminó «acta.pdf»." in response.content.decode()
    assert not Evidence.objects.exists() and stored_files() == []
    assert [entry.change_type for entry in audit.search(institution, "Acta de entrega")[0:10]] == [
        "Eliminado", "Creado",
    ]  # fmt: skip


def test_a_frozen_month_refuses_new_files_and_deletions_until_returned_and_never_after_approval(client, plan):
    institution, product, _subproduct, users = plan
    planner = users["Planificador"]
    evidence = attach(planner, institution, product)
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    client.force_login(planner)
    html = upload(client, product, PNG, "foto.png").content.decode()
    assert "No se adjuntó el archivo: La ejecución de febrero 2024 pertenece al reporte del" in html
    html = client.post(reverse("goals:delete_evidence", args=[evidence.pk]), follow=True).content.decode()
    assert "No se eliminó el archivo: La ejecución de febrero 2024 pertenece al reporte del" in html
    assert "Adjuntar" not in client.get(page(product)).content.decode()
    attach(planner, institution, product, month=5)  # the second cuatrimestre is not held

    services.return_report(user=users["Director"], institution=institution, year=2024, cuatrimestre=1, comment="Ver")
    attach(planner, institution, product, PNG, "foto.png")
    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)
    services.approve(user=users["Director"], institution=institution, year=2024, cuatrimestre=1)
    with pytest.raises(ValidationError, match="pertenece al reporte aprobado"):
        remove_evidence(user=planner, evidence=evidence)
    with pytest.raises(ValidationError, match="pertenece al reporte aprobado"), transaction.atomic():
        Evidence.objects.get(pk=evidence.pk).delete()  # the model's guard: the admin and the shell cannot go around
    with pytest.raises(ValidationError, match="pertenece al reporte aprobado"):
        attach(planner, institution, product, JPEG, "foto.jpg")
    assert Evidence.objects.filter(month=2).count() == 2 and len(stored_files()) == 3


def test_the_entry_and_evidence_pages_queries_do_not_grow_with_the_files(client, plan, django_assert_max_num_queries):
    institution, product, subproduct, users = plan
    client.force_login(users["Planificador"])
    entry = reverse("goals:enter_month", args=[2024, 2])
    bounds = []
    for round_ in range(2):
        for row in (product, subproduct) * (1 + 3 * round_):
            attach(users["Planificador"], institution, row)
        for url in (entry, page(product)):
            with django_assert_max_num_queries(20) as captured:
                assert client.get(url).status_code == 200
            bounds.append(len(captured))
    assert bounds[:2] == bounds[2:]


def test_the_admin_shows_the_files_read_only_and_deletes_none_once_frozen(client, plan):
    institution, product, _subproduct, users = plan
    evidence = attach(users["Planificador"], institution, product)
    staff = RoleUserFactory(institution=institution, role="Planificador", is_staff=True)
    client.force_login(staff)
    change = client.get(reverse("admin:goals_evidence_change", args=[evidence.pk])).content.decode()
    download = reverse("approvals:evidence_download", args=["IGM", evidence.pk])
    assert f'<a href="{download}">acta.pdf</a>' in change and evidence.sha256 in change
    assert evidence.file.name not in change  # the stored path, and any public URL of it, is never shown
    assert client.get(reverse("admin:goals_evidence_add")).status_code == 403
    services.submit(user=users["Planificador"], institution=institution, year=2024, cuatrimestre=1)
    assert client.post(reverse("admin:goals_evidence_delete", args=[evidence.pk]), {"post": "yes"}).status_code == 403
    assert Evidence.objects.get() == evidence
