"""A large file imported from the browser: uploaded, previewed by the worker, confirmed on the job's page."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs.imports import KIND, PREVIEW_KIND
from jobs.models import Job


def preview_in_the_background(client, kind, name, content, capture):
    """Upload a file large enough for the worker to preview it; its preview job, run (jobs run as they are queued
    here: the immediate backend)."""
    with capture(execute=True):
        response = client.post(reverse("goals:import"), {"template": kind, "file": SimpleUploadedFile(name, content)})
    job = Job.objects.filter(kind=PREVIEW_KIND).latest("pk")
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    return job


def confirm_on_the_job_page(client, job, capture):
    """Confirm the preview `job`; the write job it queued, run."""
    with capture(execute=True):
        response = client.post(reverse("jobs:confirm_import", args=[job.pk]))
    written = Job.objects.filter(kind=KIND).latest("pk")
    assert response["Location"] == reverse("jobs:job", args=[written.pk])
    return written
