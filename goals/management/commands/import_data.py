from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.commandline import find_user
from goals.imports import COLUMNS, import_file


class Command(BaseCommand):
    help = (
        "Imports a file of one of the templates (plan, reprogramacion, ejecucion, justificacion…; CSV UTF-8 or "
        "XLSX): every row is checked first and nothing is written when any row is wrong. Reprogrammings imported "
        "here are recorded as approved."
    )

    def add_arguments(self, parser):
        parser.add_argument("template", choices=list(COLUMNS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count the changes; write nothing."
        )
        parser.add_argument(
            "--user",
            help="Import as this user: rows of other institutions are refused, reprogrammings arrive pending.",
        )

    def handle(self, *args, template, file, dry_run, user=None, **options):
        acting = find_user(user) if user else None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No existe el archivo %(path)s.") % {"path": path})
        with path.open("rb") as handle:
            result = import_file(template, handle, path.name, user=acting, dry_run=dry_run)
        if not result.ok:
            raise CommandError("\n".join([_("No se importó nada:"), *(str(error) for error in result.errors)]))
        verb = (
            _("Registros por crear: %(created)s; por actualizar: %(updated)s (sin escribir nada).")
            if dry_run
            else _("Registros creados: %(created)s; actualizados: %(updated)s.")
        )
        self.stdout.write(verb % {"created": result.created, "updated": result.updated})
        if dry_run:
            self.write_preview(result.preview)

    def write_preview(self, preview):
        """The rows that are new, change or stay as they are, and each change, old → new (as the import page)."""
        counts = {"new": preview.new, "changed": preview.changed, "unchanged": preview.unchanged}
        self.stdout.write(_("Filas nuevas: %(new)s; con cambios: %(changed)s; sin cambios: %(unchanged)s.") % counts)
        for change in preview.shown_changes:
            where = ", ".join(part for part in (change.item, change.period) if part)
            self.stdout.write(
                _("Fila %(row)s, %(where)s: %(figure)s %(old)s → %(new)s")
                % {
                    "row": change.row,
                    "where": where,
                    "figure": change.figure,
                    "old": change.old_shown,
                    "new": change.new_shown,
                }  # fmt: skip
            )
        if preview.hidden_changes:
            hidden = preview.hidden_changes
            self.stdout.write(
                ngettext("…y %(count)s cambio más.", "…y %(count)s cambios más.", hidden) % {"count": hidden}
            )
