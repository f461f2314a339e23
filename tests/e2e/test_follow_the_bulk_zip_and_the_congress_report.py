"""SEGEPLAN's analyst, in a real browser, starts the zip of every approved package and the Congress report of a
cuatrimestre, follows each job's progress bar to the end, downloads the zip, approves the Congress report and
downloads its PDF; a job still running moves its bar as the browser polls, and a failed one says why as an alert."""

import io
import zipfile

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from approvals.demo import load_demo
from goals.models import Institution
from jobs.models import Job, JobStatus
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-strong-password-1"  # tests.factories.UserFactory's


@pytest.fixture
def analyst():
    """The demo (IGM's first and second cuatrimestres of 2024 approved) and SEGEPLAN staff who read it all."""
    load_demo()
    user = UserFactory(username="analista", institution=None, first_name="Analista")
    user.readable_institutions.set(Institution.objects.all())
    return user


def finished_job(page):
    """The job page the browser landed on, once its bar is full."""
    expect(page.locator("[data-job-progress]")).to_have_attribute("value", "100")
    expect(page.locator("[data-job-field=status_display]")).to_have_text("Terminado")
    return page.get_by_role("link", name="Descargar el resultado")


def test_the_analyst_follows_the_zip_and_the_congress_report_to_their_downloads(sessions, analyst):
    page = sessions.login("analista", PASSWORD)
    page.goto("/seguimiento/?anio=2024&cuatrimestre=2")
    page.get_by_role("button", name="Descargar todos los paquetes aprobados (zip)").click()
    page.wait_for_url("**/trabajos/*/")
    expect(page.get_by_role("status")).to_have_text("1 paquete aprobado y el consolidado, en un zip.")
    with page.expect_download() as download:
        finished_job(page).click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert "IGM/IGM-2024-C2-paquete.pdf" in names and "congreso-2024-C2.xlsx" in names

    page.goto("/seguimiento/?anio=2024&cuatrimestre=2")
    page.get_by_role("link", name="Reporte consolidado para el Congreso").click()
    page.get_by_role("button", name="Armar el borrador").click()
    page.wait_for_url("**/trabajos/*/")
    expect(page.get_by_role("status")).to_have_text("Borrador armado con 1 reporte aprobado.")
    finished_job(page).click()
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Aprobar el reporte para el Congreso").click()
    page.wait_for_url("**/trabajos/*/")
    finished_job(page).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="congreso-2024-C2.pdf").click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert "Segundo Cuatrimestre 2024" in text and "IGM — Instituto Guatemalteco de Migración" in text


def test_a_running_job_moves_its_bar_and_a_failed_one_says_why(sessions, analyst):
    running = Job.objects.create(kind="paquetes", user=analyst, status=JobStatus.RUNNING, done=1, total=4)
    page = sessions.login("analista", PASSWORD)
    page.goto(f"/trabajos/{running.pk}/")
    expect(page.locator("[data-job-progress]")).to_have_attribute("value", "25")
    Job.objects.filter(pk=running.pk).update(done=3)
    expect(page.locator("[data-job-progress]")).to_have_attribute("value", "75")  # the page polls, no reload
    running.refresh_from_db()
    running.fail("El usuario que pidió este trabajo ya no existe: no se hizo nada.")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("El usuario que pidió este trabajo ya no existe: no se hizo nada.")
    expect(alert).to_have_class("job-failed")
    expect(page.locator("[data-job-field=status_display]")).to_have_text("Fallido")
