"""A job queued by a step of a report is run by a real worker process (manage.py db_worker) against the database."""

import email
import email.policy
import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from approvals import services
from goals.imports import EXECUTION_COLUMNS, background
from goals.models import SubproductExecution
from jobs.imports import PREVIEW_KIND
from jobs.models import Job, JobStatus
from notifications.models import Notification
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
    build_plan,
    restore_roles,
)
from tests.goals.imports_helpers import csv_file

ROOT = Path(__file__).resolve().parents[2]


def database_url(folder):
    """The test database as a URL another process can open; an in-memory SQLite database is copied to a file."""
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        path = folder / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}", path
    credentials = data["USER"] + (f":{data['PASSWORD']}" if data["PASSWORD"] else "")
    return f"postgres://{credentials}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{data['NAME']}", None


def run_worker(folder):
    url, copy = database_url(folder)
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SECRET_KEY": django_settings.SECRET_KEY,
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DEBUG": "",
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    if copy is not None:
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)
    return worker.stdout


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_the_flush")
def test_a_worker_process_sends_the_notice_of_a_submission(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    institution = InstitutionFactory(code="PRIMERA", acronym="PRI")
    build_plan(institution, 1, 1, 1)
    planner = RoleUserFactory(institution=institution, role="Planificador", username="plan")
    RoleUserFactory(institution=institution, role="Director", username="dir", email="director@primera.gob.gt")

    services.submit(user=planner, institution=institution, year=2024, cuatrimestre=1)

    job = Job.objects.get(kind="avisos")
    assert job.status == JobStatus.QUEUED and job.task_id
    assert Notification.objects.get().emailed_at is None and mail.outbox == []

    output = run_worker(tmp_path)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    assert Notification.objects.get().emailed_at is not None
    message = email.message_from_string(output.split("-" * 79)[0], policy=email.policy.default)
    assert message["Subject"].strip() == "PRI: reporte del Primer Cuatrimestre 2024 enviado a revisión"
    assert message["To"] == "director@primera.gob.gt"
    assert "plan envió a revisión el reporte del Primer Cuatrimestre 2024." in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_the_flush")
def test_a_worker_process_previews_and_writes_a_large_import_confirmed_in_the_browser(
    settings, tmp_path, client, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(background, "BACKGROUND_ROWS", 12)
    restore_roles()  # the test before this one emptied the database
    institution = InstitutionFactory(code="PRIMERA", acronym="PRI")
    product = ProductFactory(result=ResultFactory(institution=institution, year=2025), name="P")
    SubproductFactory(product=product, name="S")
    client.force_login(RoleUserFactory(institution=institution, role="Planificador", username="plan"))
    rows = [["PRIMERA", 2025, month, "P", "S", month, "10.25"] for month in range(1, 13)]
    upload = SimpleUploadedFile("anio.csv", csv_file(EXECUTION_COLUMNS, *rows).getvalue())

    response = client.post(reverse("goals:import"), {"template": "ejecucion", "file": upload})

    previewed = Job.objects.get(kind=PREVIEW_KIND)
    assert response["Location"] == reverse("jobs:job", args=[previewed.pk])
    assert previewed.status == JobStatus.QUEUED and previewed.task_id

    run_worker(tmp_path)

    previewed.refresh_from_db()
    assert (previewed.status, previewed.done, previewed.total) == (JobStatus.DONE, 3, 3), previewed.message
    assert "se crearán 12 registros" in client.get(reverse("jobs:job", args=[previewed.pk])).content.decode()
    assert not SubproductExecution.objects.exists()

    response = client.post(reverse("jobs:confirm_import", args=[previewed.pk]))

    job = Job.objects.get(kind="importacion")
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and not SubproductExecution.objects.exists()

    run_worker(tmp_path)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3), job.message
    assert job.message == "Importado anio.csv: 12 registros creados, 0 actualizados."
    assert sorted(SubproductExecution.objects.values_list("month", "financial")) == [
        (month, Decimal("10.25")) for month in range(1, 13)
    ]
    assert not any((Path(settings.MEDIA_ROOT) / "imports").iterdir())
