"""The PDF of a large draft report, rendered by the worker and kept for the user who asked for it."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from approvals.reading import report_for
from goals.models import Institution
from goals.roles import can_read_drafts
from reports.formats import FORMATS, filename

from .services import enqueue, job_task, requester

KIND = "borrador_pdf"
STAGES = 2  # the report computed, its PDF rendered and stored


def folder(job_id):
    """Where a job keeps the draft's PDF, under the report's file name (IGM-2024-C3.pdf)."""
    return f"borradores/{job_id}"


@job_task
def build_draft_pdf(job, *, institution_id, year, cuatrimestre):
    """Render the draft as its requester reads it now; an approved report's stored PDF needs no rendering."""
    user = requester(job)
    if user is None:
        return
    institution = Institution.objects.get(pk=institution_id)
    if not can_read_drafts(user, institution):
        job.fail(_("Su rol ya no le permite leer este borrador."))
        return
    job.start(total=STAGES)
    report, snapshot = report_for(institution=institution, year=year, cuatrimestre=cuatrimestre)
    job.advance()
    if snapshot is not None:
        job.finish(
            _("El reporte fue aprobado entretanto: descargue su PDF aprobado."),
            reverse("reports:pdf", args=[institution.code, year, cuatrimestre]),
        )
        return
    content = FORMATS["pdf"].render(report)
    name = default_storage.save(f"{folder(job.pk)}/{get_valid_filename(filename(report, 'pdf'))}", ContentFile(content))
    job.advance()
    job.finish(_("El PDF del borrador está listo."), reverse("jobs:draft_pdf", args=[job.pk]), output=name)


def start(*, user, institution, year, cuatrimestre):
    """Queue the draft's PDF (approvals.drafts' runner); the URL of the job's page."""
    job = enqueue(
        build_draft_pdf,
        KIND,
        user=user,
        again_url=reverse("reports:report", args=[institution.code, year, cuatrimestre]),
        institution_id=institution.pk,
        year=year,
        cuatrimestre=cuatrimestre,
    )
    return reverse("jobs:job", args=[job.pk])
