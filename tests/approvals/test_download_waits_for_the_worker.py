"""A reader who downloads an approved report before the worker has stored its documents waits for the worker's job
instead of rendering them on the web tier; with no job to wait for, or once the wait is over, the download makes
them itself, and either way everybody gets the same bytes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import tasks
from approvals.models import DocumentKind, ReportSnapshot, StoredDocument
from tests.factories import approved_report, institution_with_plan, role_users

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def institution():
    return institution_with_plan("PRI")


@pytest.fixture
def queued(settings, institution, django_capture_on_commit_callbacks):
    """The first cuatrimestre approved with a database queue: its make_documents job waits for a worker."""
    settings.TASKS = QUEUE
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = approved_report(institution=institution, cuatrimestre=1)
    assert tasks.documents_job_pending(snapshot) and not snapshot.documents.exists()
    return snapshot


@pytest.fixture
def reader_client(client, institution):
    client.force_login(role_users(institution, ["Lector"])["Lector"])
    return client


@pytest.fixture
def sleeps(monkeypatch):
    """The waits of approvals.tasks, recorded instead of slept; a test may give each one something to do."""
    recorded = []
    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: recorded.append(seconds))
    return recorded


def run_the_worker_on_the_first_wait(monkeypatch, snapshot, recorded):
    """The worker runs the queued job while the download waits (its first pause)."""

    def sleep(seconds):
        recorded.append(seconds)
        if len(recorded) == 1:
            tasks.make_documents.call(snapshot_id=snapshot.pk)
            tasks.DBTaskResult.objects.update(status="SUCCESSFUL")

    monkeypatch.setattr(tasks.time, "sleep", sleep)


def test_a_reader_who_arrives_before_the_worker_gets_the_documents_the_worker_made(
    queued, reader_client, monkeypatch, sleeps
):
    run_the_worker_on_the_first_wait(monkeypatch, queued, sleeps)

    download = reader_client.get(reverse("reports:pdf", args=["PRI", 2024, 1]))

    assert download.status_code == 200 and sleeps == [tasks.POLL_SECONDS]
    stored = StoredDocument.objects.get(snapshot=queued, kind=DocumentKind.REPORT_PDF)
    assert download.content == stored.read() and download["ETag"] == f'"{stored.sha256}"'
    assert StoredDocument.objects.filter(snapshot=queued).count() == 4  # made once, by the worker's job
    again = reader_client.get(reverse("reports:pdf", args=["PRI", 2024, 1]))
    assert again.content == download.content and sleeps == [tasks.POLL_SECONDS]


def test_once_the_wait_is_over_the_download_makes_the_documents_itself(queued, reader_client, settings, sleeps):
    ReportSnapshot.objects.filter(pk=queued.pk).update(
        approved_at=timezone.now() - datetime.timedelta(seconds=settings.SIPLAN_DOCUMENTS_WAIT + 1)
    )

    download = reader_client.get(reverse("reports:oficio", args=["PRI", 2024, 1]))

    assert download.status_code == 200 and sleeps == []
    assert download.content == StoredDocument.objects.get(snapshot=queued, kind=DocumentKind.OFICIO).read()
    assert StoredDocument.objects.filter(snapshot=queued).count() == 4


def test_with_no_job_queued_the_download_makes_the_documents_at_once(institution, reader_client, sleeps):
    snapshot = approved_report(institution=institution, cuatrimestre=1)  # its job never committed: none queued
    assert not tasks.documents_job_pending(snapshot)

    download = reader_client.get(reverse("reports:xlsx", args=["PRI", 2024, 1]))

    assert download.status_code == 200 and sleeps == []
    assert download.content == StoredDocument.objects.get(snapshot=snapshot, kind=DocumentKind.XLSX).read()


def test_the_status_page_lists_no_documents_while_the_job_makes_them(queued, client, institution):
    client.force_login(role_users(institution, ["Director"])["Director"])

    page = client.get(reverse("approvals:report_status", args=["PRI", 2024, 1]))

    assert page.status_code == 200 and "se están generando" in page.content.decode()
    assert not StoredDocument.objects.filter(snapshot=queued).exists()  # the page made none: the job will
    tasks.make_documents.call(snapshot_id=queued.pk)
    page = client.get(reverse("approvals:report_status", args=["PRI", 2024, 1]))
    assert "se están generando" not in page.content.decode()
    for document in StoredDocument.objects.filter(snapshot=queued):
        assert document.sha256 in page.content.decode()
