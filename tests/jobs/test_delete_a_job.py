"""An administrator deletes jobs (one on its admin page, several from the list, or by a queryset in the shell): each
job's file leaves storage once the deletion commits, a file that cannot be deleted is logged and the deletion
stands, a deletion rolled back keeps its file, and an approved report's stored documents are never touched."""

import logging

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from approvals.models import StoredDocument
from goals.models import Institution
from jobs.models import Job
from tests.factories import UserFactory, approved_report
from tests.jobs.test_old_job_files_expire import prepare_draft_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def drafts(large, planners, django_capture_on_commit_callbacks):
    """Three finished jobs, each with the PDF of a large draft in storage: two of PRI, one of SEG."""
    planner, other = planners
    jobs = [
        prepare_draft_pdf(planner, django_capture_on_commit_callbacks),
        prepare_draft_pdf(planner, django_capture_on_commit_callbacks),
        prepare_draft_pdf(other, django_capture_on_commit_callbacks, code="SEG"),
    ]
    assert all(job.output and default_storage.exists(job.output) for job in jobs)
    return jobs


@pytest.fixture
def approved_documents(planners, django_capture_on_commit_callbacks):
    """A report of PRI approved meanwhile, its four documents stored."""
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = approved_report(institution=Institution.objects.get(code="PRI"), cuatrimestre=1)
    documents = list(StoredDocument.objects.filter(snapshot=snapshot))
    assert len(documents) == 4 and all(default_storage.exists(document.file.name) for document in documents)
    return documents


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True, institution=None))
    return client


def test_deleting_a_job_in_the_admin_deletes_its_file(
    admin, drafts, approved_documents, django_capture_on_commit_callbacks
):
    deleted, kept, _seg = drafts
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("admin:jobs_job_delete", args=[deleted.pk]), {"post": "yes"})

    assert response.status_code == 302 and not Job.objects.filter(pk=deleted.pk).exists()
    assert not default_storage.exists(deleted.output)
    assert default_storage.exists(kept.output)
    assert all(default_storage.exists(document.file.name) for document in approved_documents)


def test_deleting_jobs_from_the_admin_list_deletes_their_files(
    admin, drafts, approved_documents, django_capture_on_commit_callbacks
):
    first, second, kept = drafts
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("admin:jobs_job_changelist"),
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )

    assert list(Job.objects.filter(output__gt="").values_list("pk", flat=True)) == [kept.pk]
    assert not default_storage.exists(first.output) and not default_storage.exists(second.output)
    assert default_storage.exists(kept.output)
    assert all(default_storage.exists(document.file.name) for document in approved_documents)


def test_deleting_every_job_by_queryset_deletes_their_files_and_no_approved_document(
    drafts, approved_documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Job.objects.all().delete()

    assert not Job.objects.exists()
    assert not any(default_storage.exists(job.output) for job in drafts)
    assert all(document.read().startswith(b"%PDF") or document.kind == "xlsx" for document in approved_documents)
    assert all(default_storage.exists(document.file.name) for document in approved_documents)


def test_a_file_that_cannot_be_deleted_is_logged_and_the_job_is_deleted_still(
    drafts, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(name):
        raise PermissionError(f"{name}: read-only storage")

    monkeypatch.setattr(default_storage, "delete", refuse)
    job = drafts[0]
    with caplog.at_level(logging.ERROR, logger="goals.signals"), django_capture_on_commit_callbacks(execute=True):
        Job.objects.filter(pk=job.pk).delete()

    assert not Job.objects.filter(pk=job.pk).exists()
    (record,) = caplog.records
    assert record.getMessage() == f"The file {job.output} could not be deleted from storage."
    assert record.exc_info[0] is PermissionError


def test_a_deletion_rolled_back_keeps_the_file(drafts, django_capture_on_commit_callbacks):
    job = drafts[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Job.objects.filter(pk=job.pk).delete()
            raise RuntimeError("rolled back")

    assert callbacks == [] and Job.objects.filter(pk=job.pk).exists() and default_storage.exists(job.output)
