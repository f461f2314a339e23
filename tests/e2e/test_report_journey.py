"""A cuatrimestre report's whole path in a real browser: load, type, submit, approve, download; another institution
refused.

The planner starts from an empty IGM 2024: she imports the plan, the reprogramming and every month's execution
but September from the demo's files; the director approves the reprogramming, the first two cuatrimestres are
approved (in order, as in the demo); she types September on the entry page and submits the third cuatrimestre.
The report must then be the seed's, figure for figure.
"""

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from approvals import services
from approvals.demo import DEMO_USERS, demo_data, load_demo
from approvals.documents import served
from approvals.models import DocumentKind, ReportSnapshot, RequiredJustification
from goals.imports import rows_to_csv
from goals.models import (
    Institution,
    Product,
    ProductExecution,
    Reprogramming,
    Subproduct,
    SubproductExecution,
)
from tests.factories import InstitutionFactory, RoleUserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED_MONTH = 9
PASSWORDS = {user.username: user.password for user in DEMO_USERS}
CONTROL = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"
PRORROGA = "Prorroga de Documentos Migratorios"
PRORROGA_ALERT = f"{PRORROGA}: gasto de Q 629,998.90 con meta financiera vigente de 0.00."


def login_as(sessions, username, screenshot_as=None):
    return sessions.login(username, PASSWORDS[username], screenshot_as)


def september_figures():
    """{(model, name, parent name): (physical, financial)} of the demo's September, as the seed prints it."""
    figures = {}
    for result in demo_data()["results"]:
        for product in result["products"]:
            figures[(Product, product["name"], None)] = (product["physical"]["sep_dec"][0], None)
            for sub in product["subproducts"]:
                figures[(Subproduct, sub["name"], product["name"])] = (
                    sub["physical"]["sep_dec"][0],
                    sub["financial"]["sep_dec"][0],
                )
    return figures


def field_id(model, name, parent, column="physical"):
    """The entry page's field of a plan row: #id_p<pk>_physical, #id_s<pk>_physical or #id_s<pk>_financial."""
    if model is Product:
        return f"#id_p{Product.objects.get(name=name).pk}_{column}"
    return f"#id_s{Subproduct.objects.get(name=name, product__name=parent).pk}_{column}"


def import_file(page, template, path, expected_preview):
    page.goto("/importar/")
    page.get_by_label("Plantilla").select_option(template)
    page.get_by_label("Archivo (CSV UTF-8 o XLSX)").set_input_files(path)
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.locator("section.preview")).to_contain_text(expected_preview)
    if template == "plan":
        screenshot(page, "import-preview")
    page.get_by_role("button", name="Confirmar la importación").click()
    expect(page.locator("ul.messages")).to_contain_text(f"Importado {path.name}")


def planner_loads_the_year(page, demo_rows, tmp_path):
    """Import the plan, the reprogramming and January–December but September, through upload → preview → confirm."""
    files = {
        "plan": demo_rows["plan"],
        "reprogramacion": demo_rows["reprogramacion"],
        "ejecucion": [row for row in demo_rows["ejecucion"] if row["mes"] != TYPED_MONTH],
    }
    paths = {}
    for kind, rows in files.items():
        paths[kind] = tmp_path / f"igm-2024-{kind}.csv"
        paths[kind].write_bytes(rows_to_csv(kind, rows))
    # Records created: the plan's 4 results and its 17 rows; the document and its 12 lines; 17 rows × 11 months.
    import_file(page, "plan", paths["plan"], "se crearán 21 registros")
    import_file(page, "reprogramacion", paths["reprogramacion"], "se crearán 13 registros")
    import_file(page, "ejecucion", paths["ejecucion"], "se crearán 187 registros")
    assert Product.objects.filter(result__institution__code="IGM").count() == 6
    assert ProductExecution.objects.filter(month=TYPED_MONTH).count() == 0


def planner_attaches_the_resolution(page, tmp_path):
    """The director approves a reprogramming only with its resolution's PDF, which the planner attaches in the admin."""
    resolution = tmp_path / "RES-014-2024.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    with open(resolution, "wb") as file:
        writer.write(file)
    page.goto(f"/admin/goals/reprogramming/{Reprogramming.objects.get(number='RES-014-2024').pk}/change/")
    page.get_by_label("Resolución (PDF)").set_input_files(resolution)
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("se cambió correctamente")
    assert Reprogramming.objects.get(number="RES-014-2024").resolution_pdf.read(5) == b"%PDF-"


def planner_types_september(page):
    """Every September figure typed; a wrong one is shown at its field, with everything typed kept, then corrected."""
    page.goto(f"/ejecucion/2024/{TYPED_MONTH}/")
    expect(page.locator("h1")).to_have_text("Ejecución de septiembre 2024")
    figures = september_figures()
    for (model, name, parent), (physical, financial) in figures.items():
        page.fill(field_id(model, name, parent), physical)
        if financial is not None:
            page.fill(field_id(model, name, parent, "financial"), financial)
    control = field_id(Product, CONTROL, None)
    prorroga_money = field_id(Subproduct, PRORROGA, "Emision de Documentos Migratorios", "financial")
    # January–August (imported) plus the September just typed, summed live by the page's script.
    expect(page.locator(f'.cumulative[data-for="{control[1:]}"]')).to_have_text("8,593,125.00")
    expect(page.locator("#financial-total")).to_have_text("15,229,539.19")

    page.fill(control, "84a965")
    page.get_by_role("button", name="Guardar el mes").click()
    expect(page.locator(control)).to_have_value("84a965")
    expect(page.locator(control)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(control).locator("xpath=..").locator(".errorlist")).to_contain_text("«84a965» no es un número.")
    expect(page.locator(prorroga_money)).to_have_value("629998.90")
    screenshot(page, "entry")
    assert ProductExecution.objects.filter(month=TYPED_MONTH).count() == 0

    page.fill(control, "844965")
    page.get_by_role("button", name="Guardar el mes").click()
    expect(page.locator("ul.messages")).to_contain_text("Se guardó septiembre 2024: 17 cifras nuevas, 0 cambiadas.")
    assert ProductExecution.objects.get(product__name=CONTROL, month=TYPED_MONTH).physical == Decimal("844965.00")
    assert SubproductExecution.objects.get(subproduct__name=PRORROGA, month=TYPED_MONTH).financial == Decimal(
        "629998.90"
    )


def planner_submits(page):
    page.goto("/reportes/IGM/2024/3/estado/")
    page.get_by_label("Comentario para el director (opcional)").fill(
        "Cifras de septiembre digitadas; el resto importado."
    )
    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.locator("ul.messages")).to_contain_text("El reporte fue enviado a revisión.")
    expect(page.locator(".status-en_revision")).to_be_visible()


def director_approves_the_reprogramming(page):
    """Only approved reprogrammings count, and a report in review freezes those dated in its months: the
    director approves the pending document before the reports that print it are sent."""
    page.goto("/reprogramaciones/IGM/")
    page.locator("tr", has_text="RES-014-2024").get_by_role("button", name="Aprobar").click()
    expect(page.locator("ul.messages")).to_contain_text("La reprogramación fue aprobada.")


def first_two_cuatrimestres_approved():
    """As in the demo (and in reality before the seed's third report): cuatrimestres are approved in order."""
    users = {user.username: user for user in get_user_model().objects.filter(institution__code="IGM")}
    igm = Institution.objects.get(code="IGM")
    for cuatrimestre in (1, 2):
        services.submit(user=users["planificador"], institution=igm, year=2024, cuatrimestre=cuatrimestre)
        services.approve(user=users["director"], institution=igm, year=2024, cuatrimestre=cuatrimestre)


def director_approves(page):
    """The report, after reading its alerts."""
    page.goto("/reportes/IGM/2024/3/estado/")
    alerts = page.locator("section.alerts")
    expect(alerts).to_contain_text(PRORROGA_ALERT)
    expect(alerts.locator("h2")).to_have_text(re.compile(r"^\d+ alertas antes de aprobar$"))
    expect(page.locator("article.siplan-report")).to_contain_text("844,965.00")
    # He approved the reprogramming before the report was sent, and the submission froze the figures: nothing
    # changed since, and the report prints the reprogrammed goal.
    expect(page.locator("section.changes")).to_contain_text("Ninguna cifra cambió.")
    expect(page.locator("article.siplan-report")).to_contain_text("12,901,391.00")
    screenshot(page, "approval")
    page.get_by_label("Su contraseña").fill("no-es-la-mia")
    page.get_by_role("button", name="Confirmar aprobación y firma").click()
    expect(page.locator("form.approval")).to_contain_text("La contraseña no es correcta. El reporte no fue aprobado.")
    assert not ReportSnapshot.objects.filter(report__institution__code="IGM", report__cuatrimestre=3).exists()
    expect(page.get_by_label("Iniciales de quien elaboró el oficio")).to_have_value("elb")
    page.get_by_label("Su contraseña").fill(PASSWORDS["director"])
    page.get_by_role("button", name="Confirmar aprobación y firma").click()
    expect(page.locator("ul.messages")).to_contain_text("El reporte fue aprobado y sus cifras quedaron congeladas.")
    snapshot = ReportSnapshot.objects.get(report__institution__code="IGM", report__cuatrimestre=3)
    expect(page.locator("table.data").first).to_contain_text(snapshot.oficio_number)
    return snapshot


def control_row(sheet):
    for row in sheet.iter_rows(min_row=9, values_only=True):
        if row[0] == CONTROL and row[2] == "Física":
            return row
    raise AssertionError(f"{CONTROL} is not in the workbook")


def reader_downloads(page, snapshot):
    page.goto("/reportes/IGM/2024/3/")
    expect(page.locator("p.approval")).to_contain_text("Aprobado por Director General el ")
    expect(page.locator("p.approval")).to_contain_text(snapshot.oficio_number)
    for figure in ("4,017,960.00", "31.14", "11,766,120.00", "91.20", "81.33"):
        expect(page.locator("main")).to_contain_text(figure)
    screenshot(page, "report")

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar Excel").click()
    assert download.value.suggested_filename == "IGM-2024-C3.xlsx"
    row = control_row(load_workbook(BytesIO(Path(download.value.path()).read_bytes()))["Reporte"])
    figures = [
        Decimal(str(value)).quantize(Decimal("0.01")) for value in (row[7], row[11], row[12], row[13], row[14], row[15])
    ]
    assert figures == [
        Decimal(value) for value in ("844965.00", "4017960.00", "31.14", "11766120.00", "91.20", "81.33")
    ]

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").click()
    assert download.value.suggested_filename == "IGM-2024-C3.pdf"
    pdf = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    assert "4,017,960.00" in text
    assert "629,998.90" in text
    assert f"· {snapshot.oficio_number} · SHA-256 {snapshot.sha256}" in text
    assert "BORRADOR" not in text
    return Path(download.value.path())


def anyone_verifies_the_downloaded_pdf(page, pdf):
    """The file itself, uploaded to /verificar/: byte for byte one of the approval's stored documents."""
    page.goto("/verificar/")
    page.locator("input[type=file]").set_input_files(pdf)
    page.get_by_role("button", name="Verificar el archivo").click()
    expect(page.locator("main")).to_contain_text("Ese reporte está aprobado y vigente.")
    expect(page.locator("main")).to_contain_text("Tercer Cuatrimestre 2024")
    screenshot(page, "verify")


# --- Justification of deviations (issue 18) -----------------------------------------------------------------------
ZERO_GOAL_JUSTIFICATION = "Gasto de las prórrogas registrado en este subproducto por error; se pidió corregirlo."


def planner_justifies_before_submitting(page):
    """The institution requires money spent on a zero goal justified: the submission is refused naming the
    subproduct until the planner writes why on the justifications page, linked from the status page."""
    RequiredJustification.objects.create(institution=Institution.objects.get(code="IGM"), kind="gasto_sin_meta")
    page.goto("/reportes/IGM/2024/3/estado/")
    page.get_by_role("button", name="Enviar a revisión").click()
    expect(page.locator("ul.messages")).to_contain_text(f"Justifique antes de enviar a revisión: {PRORROGA}")
    page.get_by_role("link", name="Escribir las justificaciones").click()
    deviation = page.locator("fieldset", has_text=PRORROGA).filter(has_text="Gasto con meta financiera de 0.00")
    deviation.get_by_label("Justificación").fill(ZERO_GOAL_JUSTIFICATION)
    page.get_by_role("button", name="Guardar justificaciones").click()
    expect(page.locator("ul.messages")).to_contain_text("Se guardó 1 justificación.")


def director_reads_the_justification(page):
    page.goto("/reportes/IGM/2024/3/estado/")
    expect(page.locator("li.deviation", has_text=PRORROGA_ALERT.split(": ", 1)[1])).to_contain_text(
        ZERO_GOAL_JUSTIFICATION
    )


def package_ends_with_the_annex(snapshot):
    package = PdfReader(BytesIO(served(snapshot, DocumentKind.PACKAGE).read()))
    last_page = " ".join(package.pages[-1].extract_text().split())
    assert last_page.startswith("Justificación de desviaciones")
    assert ZERO_GOAL_JUSTIFICATION in last_page


# --- End of the justification steps --------------------------------------------------------------------------------


def test_planner_loads_and_submits_director_approves_reader_downloads(sessions, igm_without_plan, demo_rows, tmp_path):
    page = login_as(sessions, "planificador", screenshot_as="login")
    planner_loads_the_year(page, demo_rows, tmp_path)
    planner_attaches_the_resolution(page, tmp_path)
    director_approves_the_reprogramming(login_as(sessions, "director"))
    first_two_cuatrimestres_approved()
    page = login_as(sessions, "planificador")
    planner_types_september(page)
    planner_justifies_before_submitting(page)
    planner_submits(page)

    page = login_as(sessions, "director")
    screenshot(page, "dashboard")
    director_reads_the_justification(page)
    snapshot = director_approves(page)
    package_ends_with_the_annex(snapshot)
    assert snapshot.approved_by.username == "director"
    page = login_as(sessions, "lector")
    anyone_verifies_the_downloaded_pdf(page, reader_downloads(page, snapshot))
    assert sessions.policy_violations == []


def test_another_institutions_user_is_refused_the_report(sessions):
    load_demo()
    igm = Institution.objects.get(code="IGM")
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    services.approve(user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3)
    RoleUserFactory(username="otro", institution=InstitutionFactory(code="OTRA"), role="Director")
    page = sessions.login("otro", "a-strong-password-1")
    for url in (
        "/reportes/IGM/2024/3/",
        "/reportes/IGM/2024/3/estado/",
        "/reportes/IGM/2024/3.xlsx",
        "/reportes/IGM/2024/3.pdf",
    ):
        response = page.request.get(url)
        assert response.status == 404, url
    response = page.goto("/reportes/IGM/2024/3/")
    assert response.status == 404
    expect(page.locator("main")).not_to_contain_text("4,017,960.00")
