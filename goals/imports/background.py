"""A large import is previewed by the queue's worker while the page shows its progress, then, confirmed there,
written by the worker too.

goals knows no queue: the jobs app registers a runner here from its AppConfig.ready() (jobs.imports), which
previews the stored upload, keeps what `stored_result` makes of it for the job's page, and writes the file once its
user confirms. Without one (goals alone), or for a file under BACKGROUND_ROWS rows, the import page previews and
writes in the request as before.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals import uploads
from goals.imports.reader import has_rows
from goals.imports.rows import ImportResult

# Files of at least this many rows are previewed and written in the background (issue 16: "imports over a few
# thousand rows"): a year of execution of 2,000 subproducts, 24,000 rows, takes a second of CPU to check.
BACKGROUND_ROWS = 2000
# The stages of import_file that report progress: the file read, every row checked, everything written (or, in a
# preview, compared with what is stored).
STAGES = 3
# The refusals a previewed file keeps for its page (each a row, a column and a short reason: about 100 bytes); the
# changes it keeps are those the page shows (goals.import_preview.SHOWN_CHANGES).
SHOWN_ERRORS = 1000

_runners: list[Callable[..., str]] = []


def register(runner: Callable[..., str]) -> None:
    """`runner(*, path, kind, name, user)` queues the preview of the stored upload `path` and returns the URL of the
    page that follows it; registering the same runner twice is a no-op."""
    if runner not in _runners:
        _runners.append(runner)


def preview_in_background(*, content: bytes, kind: str, name: str, user) -> str | None:
    """The URL following the preview of this upload, stored and queued for the worker; None when it is to be
    previewed now (a file under BACKGROUND_ROWS rows, counted without reading it, or no queue registered)."""
    if not _runners or not has_rows(content, name, BACKGROUND_ROWS):
        return None
    return _runners[0](path=uploads.store(content, name), kind=kind, name=name, user=user)


def stored_result(result: ImportResult) -> dict:
    """What the import page shows of a preview (goals/import_result.html), as JSON kept with its job: the counts, the
    changes the page shows and up to SHOWN_ERRORS refusals, the text rendered in the active language."""
    stored = {
        "ok": result.ok,
        "created": result.created,
        "updated": result.updated,
        "error_count": len(result.errors),
        "errors": [
            {"row": error.row, "column": error.column, "message": str(error.message)}
            for error in result.errors[:SHOWN_ERRORS]
        ],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0),
    }
    preview = result.preview
    if preview is not None:
        stored["preview"] = {
            "new": preview.new,
            "changed": preview.changed,
            "unchanged": preview.unchanged,
            "shown_changes": [
                {
                    "row": change.row,
                    "item": change.item,
                    "period": str(change.period),
                    "figure": str(change.figure),
                    "old_shown": change.old_shown,
                    "new_shown": change.new_shown,
                    "numeric": change.numeric,
                }
                for change in preview.shown_changes
            ],
            "hidden_changes": preview.hidden_changes,
        }
    return stored


def imported_message(name: str, result: ImportResult) -> str:
    """What a confirmed import wrote, as the import page and the job's page say it."""
    return _("Importado %(name)s: %(created)s, %(updated)s.") % {
        "name": name,
        "created": ngettext("%(n)s registro creado", "%(n)s registros creados", result.created) % {"n": result.created},
        "updated": ngettext("%(n)s actualizado", "%(n)s actualizados", result.updated) % {"n": result.updated},
    }
