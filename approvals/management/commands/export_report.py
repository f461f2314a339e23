import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.commandline import find_user
from approvals.documents import circular_for, served
from approvals.reading import report_for
from goals.access import institutions_for
from goals.models import Institution
from goals.roles import can_read_drafts
from reports.formats import FORMATS
from reports.pdf import render_oficio_pdf, render_package_pdf
from reports.services import ReportNotFound

COVER_LETTER_DOCUMENTS = {"oficio": render_oficio_pdf, "paquete": render_package_pdf}


class Command(BaseCommand):
    help = (
        "Writes an institution's cuatrimestre report (the approved version once approved) "
        "to a file or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--institution", required=True, help="Institution code, e.g. IGM.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--cuatrimestre", required=True, type=int, help="1, 2 or 3.")
        parser.add_argument("--format", default="json", choices=sorted(FORMATS))
        parser.add_argument("--output", help="File to write; standard output when absent.")
        parser.add_argument("--user", help="Export as this user: only what the user may read on the web.")
        parser.add_argument(
            "--document",
            default="reporte",
            choices=["reporte", *COVER_LETTER_DOCUMENTS],
            help="With --format pdf: the report, its oficio alone, or the package (oficio then report).",
        )
        parser.add_argument(
            "--typist",
            help="Typist's initials on a draft's oficio, e.g. elb; --user's initials when absent. An approved "
            "report's documents are written as stored at approval.",
        )

    def handle(
        self, *args, institution, year, cuatrimestre, format, output, user=None, document, typist=None, **options
    ):
        acting = find_user(user) if user else None
        institutions = institutions_for(acting) if acting else Institution.objects.all()
        found = institutions.filter(code=institution).first()
        if found is None:
            raise CommandError(_("No existe la institución %(code)s.") % {"code": institution})
        try:
            report, snapshot = report_for(institution=found, year=year, cuatrimestre=cuatrimestre)
        except ReportNotFound as error:
            raise CommandError(str(error)) from None
        if acting and snapshot is None and not can_read_drafts(acting, found):
            raise CommandError(_("Este reporte aún no ha sido aprobado."))
        if document != "reporte" and format != "pdf":
            raise CommandError(_("El oficio y el paquete solo se generan en PDF: use --format pdf."))
        if snapshot is not None and (document != "reporte" or format != "json"):
            content = served(snapshot, format if document == "reporte" else document).read()
        elif document == "reporte":
            content = FORMATS[format].render(report, snapshot)
        else:
            initials = typist if typist is not None else (acting.typist_initials if acting else "")
            content = COVER_LETTER_DOCUMENTS[document](
                found, report, None, initials, circular_for(year=year, cuatrimestre=cuatrimestre)
            )
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(_("Escrito %(path)s.") % {"path": output})
        elif format == "json":
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            sys.stdout.buffer.write(content)
