"""Every approved package of a cuatrimestre in one zip, for oversight staff and superusers.

The queue's worker builds it (jobs.services.job_task): each institution's stored package PDF and report Excel,
copied from storage in chunks into a zip spooled on disk, the consolidated table of the approved reports and the
Congress report computed from their snapshots (reports.congress), all in Spanish whoever asks
(reports.document_language). The zip is kept through Django's storage and downloaded through a view that checks
who asks, never a public URL.
"""

import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from approvals.documents import served
from approvals.models import CuatrimestreReport, DocumentKind, ReportSnapshot, ReportStatus
from goals.access import institutions_for
from goals.models import Institution
from jobs.models import Job
from jobs.services import job_task, requester
from reports.congress import congress_blocks, render_congress_xlsx
from reports.consolidated import consolidated_rows
from reports.document_language import in_document_language
from reports.tables import ConsolidatedTable, consolidated_export

KIND = "paquetes"
CHUNK_SIZE = 1024 * 1024
ZIPPED_KINDS = (DocumentKind.PACKAGE, DocumentKind.XLSX)


def zip_filename(*, year: int, cuatrimestre: int) -> str:
    """siplan-2024-C3-aprobados.zip"""
    return f"siplan-{year}-C{cuatrimestre}-aprobados.zip"


def stored_name(*, job_id: int, year: int, cuatrimestre: int) -> str:
    return f"descargas/{job_id}/{zip_filename(year=year, cuatrimestre=cuatrimestre)}"


def approved_snapshots(*, institutions, year: int, cuatrimestre: int) -> list[ReportSnapshot]:
    """The snapshots in force of the institutions' approved reports of the cuatrimestre, by institution code."""
    return list(
        ReportSnapshot.objects.filter(
            report__in=CuatrimestreReport.objects.filter(
                institution__in=institutions, year=year, cuatrimestre=cuatrimestre, status=ReportStatus.APPROVED
            ),
            superseded_at__isnull=True,
        )
        .select_related("report__institution")
        .order_by("report__institution__code")
    )


def consolidated_xlsx(*, institutions, year: int, cuatrimestre: int) -> bytes:
    """The consolidated table (reports.consolidated) of the institutions, as the consolidated page exports it."""
    table = ConsolidatedTable(consolidated_rows(institutions=institutions, year=year, cuatrimestre=cuatrimestre))
    return consolidated_export(table, year=year, cuatrimestre=cuatrimestre).export()


def copy_into(archive: zipfile.ZipFile, name: str, stored) -> None:
    """Copy a stored file into the archive a chunk at a time: memory stays bounded whatever the file's size."""
    with stored.open("rb") as source, archive.open(name, "w", force_zip64=True) as member:
        for chunk in source.chunks(CHUNK_SIZE):
            member.write(chunk)


@in_document_language
def write_zip(
    *, job: Job, spool, snapshots: list[ReportSnapshot], readable: QuerySet[Institution], year: int, cuatrimestre: int
) -> None:
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for snapshot in snapshots:
            institution = snapshot.report.institution
            for kind in ZIPPED_KINDS:
                document = served(snapshot, kind)
                copy_into(archive, f"{institution.code}/{document.filename}", document.file)
            job.advance()
        institutions = readable.filter(pk__in=[s.report.institution_id for s in snapshots])
        content = consolidated_xlsx(institutions=institutions, year=year, cuatrimestre=cuatrimestre)
        archive.writestr(f"consolidado-{year}-C{cuatrimestre}.xlsx", content)
        blocks = congress_blocks(reports=[snapshot.data["report"] for snapshot in snapshots])
        congress = render_congress_xlsx(blocks=blocks, year=year, cuatrimestre=cuatrimestre)
        archive.writestr(f"congreso-{year}-C{cuatrimestre}.xlsx", congress)
        job.advance()


@job_task
def build_bulk_zip(job: Job, *, year: int, cuatrimestre: int) -> None:
    """The job: zip the approved packages the job's user may read, store the zip and offer it for download."""
    user = requester(job)
    if user is None:
        return
    readable = institutions_for(user)
    snapshots = approved_snapshots(institutions=readable, year=year, cuatrimestre=cuatrimestre)
    job.start(total=len(snapshots) + 1)
    with tempfile.TemporaryFile() as spool:
        write_zip(job=job, spool=spool, snapshots=snapshots, readable=readable, year=year, cuatrimestre=cuatrimestre)
        spool.seek(0)
        name = stored_name(job_id=job.pk, year=year, cuatrimestre=cuatrimestre)
        default_storage.delete(name)
        name = default_storage.save(name, File(spool))
    message = ngettext(
        "%(count)d paquete aprobado y el consolidado, en un zip.",
        "%(count)d paquetes aprobados y el consolidado, en un zip.",
        len(snapshots),
    ) % {"count": len(snapshots)}
    url = reverse("oversight:bulk_download", kwargs={"pk": job.pk, "year": year, "cuatrimestre": cuatrimestre})
    job.finish(message=message, result_url=url, output=name)
