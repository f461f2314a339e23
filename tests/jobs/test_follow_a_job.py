"""The browser follows a background job's progress: a page with a progress bar and the JSON it polls."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jobs.models import Job, JobStatus
from jobs.services import enqueue, job_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@job_task
def count_to(job, up_to):
    job.start(total=up_to)
    for _ in range(up_to):
        job.advance()
    job.finish(message=f"Contó hasta {up_to}.", result_url="/resultado/")


@job_task
def break_down(job):
    raise ValueError('relation "jobs_job" does not exist at /srv/siplan/media')


@job_task
def refuse(job):
    job.start(total=2)
    job.advance()
    raise ValidationError("El cuatrimestre aún no tiene reportes aprobados.")


def test_a_job_runs_after_commit_and_reports_its_progress(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(count_to, "prueba", user=user, up_to=3)
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    client.force_login(user)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()

    keys = ("status", "done", "total", "percent", "finished", "message", "result_url")
    assert {key: status[key] for key in keys} == {
        "status": "terminado", "done": 3, "total": 3, "percent": 100, "finished": True,
        "message": "Contó hasta 3.", "result_url": "/resultado/",
    }  # fmt: skip
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert 'data-job-status-url="/trabajos/%d.json"' % job.pk in page and "js/job-progress.js" in page
    assert '<progress max="100" value="100"' in page


def test_a_job_refused_for_a_reason_says_it_on_its_page(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(refuse, "prueba", user=user)
    client.force_login(user)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()

    assert {key: status[key] for key in ("status", "failed", "finished", "percent", "message")} == {
        "status": "fallido", "failed": True, "finished": True, "percent": 50,
        "message": "El cuatrimestre aún no tiene reportes aprobados.",
    }  # fmt: skip
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert 'class="job-failed" role="alert">El cuatrimestre aún no tiene reportes aprobados.</p>' in page


def test_an_unexpected_error_fails_the_job_with_a_clear_message_and_logs_the_error(
    client, django_capture_on_commit_callbacks, caplog
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(break_down, "prueba", user=user)
    client.force_login(user)

    job.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED,
        "No se pudo terminar por un error inesperado. Vuelva a intentarlo; si se repite, avise al administrador "
        f"indicando el trabajo n.º {job.pk}.",
    )
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "Fallido" in page and 'class="job-failed" role="alert">No se pudo terminar' in page
    assert "jobs_job" not in page and "/srv/siplan" not in page
    assert any("jobs_job" in record.exc_text for record in caplog.records if record.exc_text)


def test_a_half_done_job_shows_its_percentage():
    assert Job(status=JobStatus.RUNNING, done=1, total=3).percent == 33
    assert Job(status=JobStatus.RUNNING, done=0, total=0).percent == 0


def test_someone_elses_job_is_not_found(client):
    job = Job.objects.create(kind="prueba", user=UserFactory(username="owner"))
    client.force_login(UserFactory(username="other"))

    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:job", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("jobs:status", args=[job.pk]))["Location"].startswith(reverse("login"))
