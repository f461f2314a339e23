"""A planner asks for the PDF of a large draft: the worker renders it while the job's page shows the progress."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from jobs.drafts import build_draft_pdf
from jobs.models import Job, JobStatus
from tests.factories import InstitutionFactory, RoleUserFactory

pytestmark = pytest.mark.django_db


def pdf_url(code="PRI"):
    return reverse("reports:pdf", args=[code, 2024, 1])


def test_a_large_drafts_pdf_is_prepared_by_the_queue(large, planners, django_capture_on_commit_callbacks):
    planner, other = planners
    page = planner.get(reverse("reports:report", args=["PRI", 2024, 1])).content.decode()
    assert f'<form method="post" action="{pdf_url()}"' in page and "Preparar el PDF (reporte grande)" in page
    assert f'<a href="{pdf_url()}">' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(pdf_url())

    job = Job.objects.get(kind="borrador_pdf")
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, 2, 2, "El PDF del borrador está listo.")
    assert job.result_url == reverse("jobs:draft_pdf", args=[job.pk])
    download = planner.get(job.result_url)
    assert download["Content-Disposition"] == 'attachment; filename="PRI-2024-C1.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages)
    assert "BORRADOR" in text and "S0" in text and "S1" in text
    assert other.get(job.result_url).status_code == 404
    assert other.get(reverse("jobs:job", args=[job.pk])).status_code == 404


def test_a_small_drafts_pdf_is_downloaded_at_once(planners):
    planner, _other = planners
    page = planner.get(reverse("reports:report", args=["PRI", 2024, 1])).content.decode()

    assert f'<a href="{pdf_url()}">' in page and "Preparar el PDF" not in page
    assert planner.post(pdf_url())["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_a_large_draft_is_still_rendered_at_once_when_fetched(large, planners):
    planner, _other = planners

    response = planner.get(pdf_url())

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert not Job.objects.exists()


def test_a_report_approved_before_the_worker_ran_points_to_its_stored_pdf(
    large, planners, django_capture_on_commit_callbacks
):
    planner, _other = planners
    institution = InstitutionFactory(code="PRI")
    planner.post(pdf_url())  # queued: its callbacks are not run
    report = {"institution": institution, "year": 2024, "cuatrimestre": 1}
    services.submit(user=get_user_model().objects.get(username="plan-PRI"), **report)
    services.approve(user=RoleUserFactory(institution=institution, role="Director"), **report)
    job = Job.objects.get(kind="borrador_pdf")

    with django_capture_on_commit_callbacks(execute=True):
        build_draft_pdf.enqueue(job_id=job.pk, institution_id=institution.pk, year=2024, cuatrimestre=1)

    job.refresh_from_db()
    assert (job.status, job.result_url) == (JobStatus.DONE, pdf_url())
    assert job.message == "El reporte fue aprobado entretanto: descargue su PDF aprobado."
