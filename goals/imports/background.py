"""A large import, once previewed, is written by the queue's worker while the page shows its progress.

goals knows no queue: the jobs app registers a runner here from its AppConfig.ready() (jobs.imports). Without one
(goals alone), or for a file under BACKGROUND_ROWS rows, confirming writes in the request as before.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.imports.rows import ImportResult

# Files of at least this many rows are written in the background (issue 16: "imports over a few thousand rows").
BACKGROUND_ROWS = 2000
# The stages of import_file that report progress: the file read, every row checked, everything written.
STAGES = 3

_runners: list[Callable[..., str]] = []


def register(runner: Callable[..., str]) -> None:
    """`runner(*, path, kind, name, user)` queues the import of the stored upload `path` and returns the URL of the
    page that follows it; registering the same runner twice is a no-op."""
    if runner not in _runners:
        _runners.append(runner)


def run_in_background(*, path: str, kind: str, name: str, user, rows: int) -> str | None:
    """The URL following the import queued for the worker, or None when it is to be written now (a small file, or
    no queue registered)."""
    if rows < BACKGROUND_ROWS or not _runners:
        return None
    return _runners[0](path=path, kind=kind, name=name, user=user)


def imported_message(name: str, result: ImportResult) -> str:
    """What a confirmed import wrote, as the import page and the job's page say it."""
    return _("Importado %(name)s: %(created)s, %(updated)s.") % {
        "name": name,
        "created": ngettext("%(n)s registro creado", "%(n)s registros creados", result.created) % {"n": result.created},
        "updated": ngettext("%(n)s actualizado", "%(n)s actualizados", result.updated) % {"n": result.updated},
    }
