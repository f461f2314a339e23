"""The PDF of a large draft, prepared by a job, is deleted once older than SIPLAN_JOB_FILES_MAX_AGE_DAYS by
`manage.py purge_job_files`: the job's page then says the file expired and links to where it is asked for again;
younger files stay (the bulk zip: tests/oversight/test_old_bulk_zips_expire.py)."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job, JobStatus
from tests.goals.test_uploaded_files_are_deleted import ObjectStore
from tests.jobs.test_prepare_a_large_draft_pdf import pdf_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SIPLAN_JOB_FILES_MAX_AGE_DAYS = 7


def prepare_draft_pdf(client, capture, code="PRI"):
    with capture(execute=True):
        client.post(pdf_url(code))
    return Job.objects.latest("pk")


def finished_days_ago(job, days):
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=days))


def purge():
    output = io.StringIO()
    call_command("purge_job_files", stdout=output)
    return output.getvalue()


def test_a_draft_pdf_older_than_the_limit_is_deleted_and_its_page_says_it_expired(
    large, planners, django_capture_on_commit_callbacks
):
    planner, other = planners
    old = prepare_draft_pdf(planner, django_capture_on_commit_callbacks)
    young = prepare_draft_pdf(planner, django_capture_on_commit_callbacks)
    others = prepare_draft_pdf(other, django_capture_on_commit_callbacks, code="SEG")
    assert old.output == f"borradores/{old.pk}/PRI-2024-C1.pdf" and default_storage.exists(old.output)
    finished_days_ago(old, 8)
    finished_days_ago(young, 6)
    finished_days_ago(others, 8)

    assert purge() == "2 archivos de trabajo eliminados.\n"

    assert not default_storage.exists(old.output) and not default_storage.exists(others.output)
    assert default_storage.open(young.output).read().startswith(b"%PDF")
    page = planner.get(reverse("jobs:job", args=[old.pk])).content.decode()
    assert "El archivo de este trabajo caducó" in page
    assert f'<a href="{reverse("reports:report", args=["PRI", 2024, 1])}">Prepararlo de nuevo</a>' in page
    assert reverse("jobs:draft_pdf", args=[old.pk]) not in page
    assert "Preparar el PDF (reporte grande)" in planner.get(Job.objects.get(pk=old.pk).again_url).content.decode()
    status = planner.get(reverse("jobs:status", args=[old.pk])).json()
    assert (status["expired"], status["result_url"], status["finished"]) == (True, "", True)
    assert planner.get(reverse("jobs:draft_pdf", args=[old.pk]))["Location"] == reverse("jobs:job", args=[old.pk])
    young_page = planner.get(reverse("jobs:job", args=[young.pk])).content.decode()
    assert "caducó" not in young_page and reverse("jobs:draft_pdf", args=[young.pk]) in young_page
    assert planner.get(reverse("jobs:draft_pdf", args=[young.pk])).status_code == 200
    for url in ("jobs:job", "jobs:status", "jobs:draft_pdf"):
        assert other.get(reverse(url, args=[old.pk])).status_code == 404
        assert planner.get(reverse(url, args=[others.pk])).status_code == 404

    assert purge() == "0 archivos de trabajo eliminados.\n"


def test_job_files_expire_in_an_object_store(large, planners, settings, django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{ObjectStore.__module__}.ObjectStore"}}
    planner, _other = planners
    job = prepare_draft_pdf(planner, django_capture_on_commit_callbacks)
    assert default_storage.exists(job.output) and not default_storage.exists(f"borradores/{job.pk}")
    finished_days_ago(job, 8)

    assert purge() == "1 archivo de trabajo eliminado.\n"

    assert not default_storage.exists(job.output)
    assert "caducó" in planner.get(reverse("jobs:job", args=[job.pk])).content.decode()


def test_files_of_jobs_finished_before_the_upgrade_expire_too():
    """The migration names the file of the jobs finished before it, found in their folder, so that it expires."""
    record_outputs = importlib.import_module("jobs.migrations.0002_job_files_expire").record_outputs
    draft = Job.objects.create(kind="borrador_pdf", status=JobStatus.DONE, finished_at=timezone.now())
    default_storage.save(f"borradores/{draft.pk}/PRI-2024-C1.pdf", ContentFile(b"%PDF-1.7"))
    approved_meanwhile = Job.objects.create(kind="borrador_pdf", status=JobStatus.DONE, finished_at=timezone.now())
    bulk = Job.objects.create(kind="paquetes", status=JobStatus.DONE, finished_at=timezone.now())
    default_storage.save(f"descargas/{bulk.pk}/siplan-2024-C3-aprobados.zip", ContentFile(b"PK"))
    imported = Job.objects.create(kind="importacion", status=JobStatus.DONE, finished_at=timezone.now())

    record_outputs(apps, None)

    outputs = dict(Job.objects.values_list("pk", "output"))
    assert outputs == {
        draft.pk: f"borradores/{draft.pk}/PRI-2024-C1.pdf",
        approved_meanwhile.pk: "",
        bulk.pk: f"descargas/{bulk.pk}/siplan-2024-C3-aprobados.zip",
        imported.pk: "",
    }
    finished_days_ago(draft, 8)
    finished_days_ago(bulk, 8)
    finished_days_ago(approved_meanwhile, 8)
    assert purge() == "2 archivos de trabajo eliminados.\n"
    assert not default_storage.exists(outputs[draft.pk]) and not default_storage.exists(outputs[bulk.pk])
    assert list(Job.objects.filter(expired_at__isnull=False).values_list("pk", flat=True).order_by("pk")) == [
        draft.pk,
        bulk.pk,
    ]
