"""Files a user uploads do not stay on the server once they serve no purpose: an import preview's file goes on
confirm, on cancel and when another file replaces it, `purge_abandoned_uploads` deletes the forgotten ones, and a
reprogramming's resolution PDF goes when another replaces it or the reprogramming is deleted."""

import io
import logging
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from goals import uploads
from goals.imports import EXECUTION_COLUMNS
from goals.models import ReprogrammingStatus, SubproductExecution
from goals.uploads import purge_abandoned
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ReprogrammingFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
)
from tests.goals.imports_helpers import csv_file

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%resolution\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def planner(client):
    institution = InstitutionFactory(code="UPL")
    SubproductFactory(
        product=ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P"), name="S"
    )
    client.force_login(RoleUserFactory(institution=institution, role="Planificador"))
    return client


def another_planner():
    client = Client()
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="UPL"), role="Planificador"))
    return client


def waiting_files():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def preview(client, month=3):
    upload = SimpleUploadedFile(
        "e.csv", csv_file(EXECUTION_COLUMNS, ["UPL", 2025, month, "P", "S", "2", "1"]).getvalue()
    )
    assert (
        "se creará 1 registro"
        in client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload}).content.decode()
    )
    return waiting_files()


def test_confirming_deletes_the_previews_file(planner):
    assert len(preview(planner)) == 1
    planner.post(reverse("goals:confirm_import"))
    assert SubproductExecution.objects.get().month == 3
    assert waiting_files() == []


def test_cancelling_deletes_the_file_and_writes_nothing(planner):
    assert len(preview(planner)) == 1
    page = planner.post(reverse("goals:cancel_import"), follow=True)
    assert "Importación cancelada: no se escribió nada." in page.content.decode()
    assert waiting_files() == [] and not SubproductExecution.objects.exists()
    assert planner.post(reverse("goals:confirm_import")).status_code == 302
    assert not SubproductExecution.objects.exists()


def test_a_new_preview_replaces_the_waiting_one_and_its_file(planner):
    [first] = preview(planner, month=3)
    [second] = preview(planner, month=4)
    assert first != second
    planner.post(reverse("goals:confirm_import"))
    assert list(SubproductExecution.objects.values_list("month", flat=True)) == [4]
    assert waiting_files() == []


def test_the_command_purges_previews_abandoned_for_longer_than_asked(planner):
    [abandoned] = preview(planner)
    day_ago = time.time() - 25 * 3600
    os.utime(Path(settings.MEDIA_ROOT) / "imports" / abandoned, (day_ago, day_ago))
    [recent] = [name for name in preview(another_planner()) if name != abandoned]
    output = io.StringIO()
    call_command("purge_abandoned_uploads", "--older-than-hours", "24", stdout=output)
    assert output.getvalue() == "1 archivo abandonado eliminado.\n"
    assert waiting_files() == [recent]
    assert planner.post(reverse("goals:confirm_import")).status_code == 302
    assert not SubproductExecution.objects.exists()


class ObjectStore(InMemoryStorage):
    """Storage as an S3 bucket answers it: there are no folders, only keys, so a folder never "exists"."""

    def exists(self, name):
        return super().exists(name) and not self._is_folder(name)

    def _is_folder(self, name):
        try:
            self.listdir(name)
        except (FileNotFoundError, NotADirectoryError, FileExistsError):  # FileExistsError: a file, listed
            return False
        return True


def test_the_command_purges_abandoned_previews_in_an_object_store(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.ObjectStore"}}
    assert purge_abandoned(0) == []
    path = uploads.store(b"institucion,anio\n", "olvidado.csv")
    assert not default_storage.exists("imports")

    assert purge_abandoned(0) == [path]
    assert not default_storage.exists(path)


def test_a_replaced_resolution_pdf_is_deleted_from_storage(django_capture_on_commit_callbacks):
    document = ReprogrammingFactory(institution=InstitutionFactory(code="UPL"), status=ReprogrammingStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        document.resolution_pdf.save("primera.pdf", SimpleUploadedFile("primera.pdf", PDF))
    first = Path(document.resolution_pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        document.resolution_pdf.save("segunda.pdf", SimpleUploadedFile("segunda.pdf", PDF))
    assert not first.exists() and Path(document.resolution_pdf.path).read_bytes() == PDF
    second = Path(document.resolution_pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not second.exists()


def test_deleting_an_institution_deletes_its_resolutions(django_capture_on_commit_callbacks):
    document = ReprogrammingFactory(
        institution=InstitutionFactory(code="UPL"), resolution_pdf=SimpleUploadedFile("res.pdf", PDF)
    )  # approved: removing its institution takes it away all the same
    path = Path(document.resolution_pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        document.institution.delete()
    assert not path.exists()


def test_a_resolution_the_storage_cannot_delete_is_logged_and_the_reprogramming_deleted_still(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    document = ReprogrammingFactory(
        institution=InstitutionFactory(code="UPL"),
        status=ReprogrammingStatus.PENDING,
        resolution_pdf=SimpleUploadedFile("res.pdf", PDF),
    )
    name = document.resolution_pdf.name

    def refuse(name):
        raise PermissionError(f"{name}: read-only storage")

    monkeypatch.setattr(document.resolution_pdf.storage, "delete", refuse)
    with caplog.at_level(logging.ERROR, logger="goals.signals"), django_capture_on_commit_callbacks(execute=True):
        document.delete()

    assert not type(document).objects.filter(pk=document.pk).exists()
    (record,) = caplog.records
    assert record.getMessage() == f"The file {name} could not be deleted from storage."
    assert record.exc_info[0] is PermissionError
