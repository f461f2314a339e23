"""Work that follows an approval, run by the queue (django-tasks) once the approval has committed."""

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .documents import documents_of, served
from .models import ReportSnapshot

POLL_SECONDS = 0.5


@task()
def make_documents(snapshot_id):
    """Make and store an approval's documents (the report PDF and Excel, the oficio, the package), once."""
    documents_of(ReportSnapshot.objects.select_related("report__institution").get(pk=snapshot_id))


def documents_job_pending(snapshot):
    """Whether the queue still holds this approval's make_documents job, waiting for a worker or running."""
    return DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
        task_path=make_documents.module_path,
        args_kwargs__kwargs__snapshot_id=snapshot.pk,
    ).exists()


def served_when_made(snapshot, kind):
    """The stored file everybody downloads for `kind` (documents.served), made by the worker tier: a reader who
    asks before the approval's job has stored the documents waits for the job (a few cheap queries a second, no
    rendering) while it is queued or running, for at most SIPLAN_DOCUMENTS_WAIT seconds after the approval. Past
    that, or with no job queued (no worker, a failed job), they are made here as before; either way whoever makes
    them makes them once, the same bytes for everyone."""
    limit = snapshot.approved_at + timedelta(seconds=settings.SIPLAN_DOCUMENTS_WAIT)
    while (
        not snapshot.documents.exists() and timezone.now() < limit and documents_job_pending(snapshot)
    ):  # fmt: skip
        time.sleep(POLL_SECONDS)
    return served(snapshot, kind)
