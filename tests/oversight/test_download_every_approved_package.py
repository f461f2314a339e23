"""SEGEPLAN staff download, in one zip built in the background, every approved package of a cuatrimestre with the
consolidated table of the approved reports; nobody else can start or download it."""

import io
import logging
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from approvals.documents import served
from approvals.models import DocumentKind, ReportSnapshot
from jobs.models import Job, JobStatus
from jobs.services import enqueue
from oversight import bulk
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory
from tests.seed import seed_sections

pytestmark = pytest.mark.django_db


def start(client, django_capture_on_commit_callbacks, year=2024, cuatrimestre=3):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("oversight:bulk_start"), {"anio": year, "cuatrimestre": cuatrimestre})


def downloaded_zip(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_each_approved_package_and_the_consolidated_table(
    client, segeplan_reader, two_approved, django_capture_on_commit_callbacks
):
    client.force_login(segeplan_reader)
    page = client.get(reverse("oversight:follow_up"), {"anio": 2024, "cuatrimestre": 3}).content.decode()
    assert f'action="{reverse("oversight:bulk_start")}"' in page

    response = start(client, django_capture_on_commit_callbacks)

    job = Job.objects.get(kind="paquetes")
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.message == "2 paquetes aprobados y el consolidado, en un zip."
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["percent"] == 100
    download = client.get(job.result_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="siplan-2024-C3-aprobados.zip"'
    archive = downloaded_zip(download)
    assert sorted(archive.namelist()) == [
        "IGM/IGM-2024-C3-paquete.pdf", "IGM/IGM-2024-C3.xlsx",
        "IGSS/IGSS-2024-C3-paquete.pdf", "IGSS/IGSS-2024-C3.xlsx",
        "congreso-2024-C3.xlsx", "consolidado-2024-C3.xlsx",
    ]  # fmt: skip
    for igm_or_twin in two_approved:
        snapshot = ReportSnapshot.objects.get(report__institution=igm_or_twin, report__cuatrimestre=3)
        package = served(snapshot, DocumentKind.PACKAGE)
        assert archive.read(f"{igm_or_twin.code}/{package.filename}") == package.read()
    sheet = load_workbook(io.BytesIO(archive.read("consolidado-2024-C3.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, body = rows[0], rows[1:]
    products = [product for section in seed_sections() for product in section["products"]]
    assert [row[0] for row in body] == ["IGM"] * len(products) + ["IGSS"] * len(products)
    current = headers.index("Meta financiera vigente (Q)")
    assert [Decimal(str(row[current])) for row in body[: len(products)]] == [
        Decimal(product["financial"]["current"]) for product in products
    ]
    congress = list(load_workbook(io.BytesIO(archive.read("congreso-2024-C3.xlsx"))).active.iter_rows(values_only=True))
    totals = [row[0] for row in congress if str(row[0]).startswith("Total")]
    assert totals == ["Total IGM", "Total IGSS", "Total general"]
    assert congress[-1][8:] == (944294016, 556702845.96, 58.95)


def test_staff_reading_in_english_get_the_zip_in_spanish(
    client, segeplan_reader, two_approved, django_capture_on_commit_callbacks
):
    client.force_login(segeplan_reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Download every approved package (zip)" in client.get(reverse("oversight:follow_up")).content.decode()
    start(client, django_capture_on_commit_callbacks)
    archive = downloaded_zip(client.get(Job.objects.get(kind="paquetes").result_url))
    consolidated = load_workbook(io.BytesIO(archive.read("consolidado-2024-C3.xlsx"))).active
    assert "Meta financiera vigente (Q)" in next(consolidated.iter_rows(values_only=True))
    congress = list(load_workbook(io.BytesIO(archive.read("congreso-2024-C3.xlsx"))).active.iter_rows(values_only=True))
    assert "Meta financiera vigente (Q)" in congress[0] and congress[-1][0] == "Total general"


def finished_zip(user):
    """A finished bulk-zip job of `user` with its stored file."""
    job = Job.objects.create(kind=bulk.KIND, user=user, status=JobStatus.DONE)
    default_storage.save(bulk.stored_name(job_id=job.pk, year=2024, cuatrimestre=3), ContentFile(b"PK"))
    return job, reverse("oversight:bulk_download", kwargs={"pk": job.pk, "year": 2024, "cuatrimestre": 3})


def reader_of(*institutions, username="segeplan"):
    user = UserFactory(username=username, institution=None)
    user.readable_institutions.set(institutions)
    return user


def test_someone_elses_zip_is_not_found(client):
    institution = InstitutionFactory()
    _job, url = finished_zip(reader_of(institution))
    client.force_login(reader_of(institution, username="otro-lector"))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="admin", is_superuser=True, institution=None))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["Planificador", "Lector"])
def test_an_institutions_own_staff_can_neither_start_nor_download_it(client, role, django_capture_on_commit_callbacks):
    staff = RoleUserFactory(institution=InstitutionFactory(), role=role)
    _job, url = finished_zip(staff)
    client.force_login(staff)

    assert start(client, django_capture_on_commit_callbacks).status_code == 404
    assert client.get(url).status_code == 404
    assert Job.objects.filter(kind=bulk.KIND).count() == 1


def test_a_bad_cuatrimestre_is_refused_with_a_message(client, django_capture_on_commit_callbacks):
    client.force_login(reader_of(InstitutionFactory()))
    response = start(client, django_capture_on_commit_callbacks, cuatrimestre=7)
    assert response["Location"] == reverse("oversight:follow_up")
    assert not Job.objects.filter(kind=bulk.KIND).exists()
    assert "Elija un año y un cuatrimestre válidos." in client.get(response["Location"]).content.decode()


def test_a_zip_asked_for_by_a_user_deleted_since_fails_saying_so(django_capture_on_commit_callbacks, caplog):
    user = reader_of(InstitutionFactory())
    with django_capture_on_commit_callbacks() as callbacks:
        job = enqueue(bulk.build_bulk_zip, bulk.KIND, user=user, year=2024, cuatrimestre=3)
    user.delete()

    for callback in callbacks:
        callback()  # the worker picks the job up: it ends, saying why, instead of raising

    job.refresh_from_db()
    assert (job.status, job.message, job.result_url) == (
        JobStatus.FAILED, "El usuario que pidió este trabajo ya no existe: no se hizo nada.", ""
    )  # fmt: skip
    assert not default_storage.exists(bulk.stored_name(job_id=job.pk, year=2024, cuatrimestre=3))
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]  # no task error to chase


def test_the_zips_consolidated_table_and_congress_report_agree_on_every_product(
    client, segeplan_reader, two_approved, django_capture_on_commit_callbacks
):
    """The consolidated table reads the frozen tables and the Congress report the approved snapshots, through one
    export each (reports.tables.consolidated_export, reports.congress): every product's figures are the same."""
    client.force_login(segeplan_reader)
    start(client, django_capture_on_commit_callbacks)
    archive = downloaded_zip(client.get(Job.objects.get(kind="paquetes").result_url))
    columns = (
        "Institución", "Vinculación", "Resultado", "Producto", "Unidad de medida", "Meta física vigente",
        "Ejecución física acumulada", "% físico", "Meta financiera vigente (Q)",
        "Ejecución financiera acumulada (Q)", "% financiero",
    )  # fmt: skip

    def products(name):
        headers, *body = load_workbook(io.BytesIO(archive.read(name))).active.iter_rows(values_only=True)
        indexes = [headers.index(column) for column in columns]
        rows = [tuple(row[index] for index in indexes) for row in body if not str(row[0]).startswith("Total")]
        return [row[:5] + tuple(Decimal(str(value)) for value in row[5:]) for row in rows]

    consolidated = products("consolidado-2024-C3.xlsx")
    assert len(consolidated) == 2 * len([p for section in seed_sections() for p in section["products"]])
    assert consolidated == products("congreso-2024-C3.xlsx")
