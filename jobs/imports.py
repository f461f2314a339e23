"""The import of a large file, previewed and confirmed in the browser, written by the worker with its progress."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from goals import uploads
from goals.imports import background, import_file

from .services import enqueue, job_task, requester

KIND = "importacion"
# The refusals a failed job lists (the import page lists them all when the file is imported again there).
SHOWN_ERRORS = 20


@job_task
def run_import(job, *, path, template, name):
    """Import the stored upload `path` as its requester, all or nothing, then delete it."""
    user = requester(job)
    try:
        content = uploads.read(path) if user is not None else None
        if content is None:
            if user is not None:
                job.fail(_("El archivo por importar ya no está: súbalo de nuevo."))
            return
        job.start(total=background.STAGES)
        result = import_file(template, ContentFile(content), name, user=user, progress=job.advance)
    finally:
        uploads.delete(path)
    if result.ok:
        job.finish(background.imported_message(name, result))
    else:
        errors = [str(error) for error in result.errors]
        more = len(errors) - SHOWN_ERRORS
        job.fail(
            " ".join([_("No se importó nada."), *errors[:SHOWN_ERRORS]])
            + (" " + _("Y %(count)s errores más.") % {"count": more} if more > 0 else "")
        )


def run_later(*, path, kind, name, user):
    """Queue the import (goals.imports.background's runner); the URL of the job's page."""
    job = enqueue(run_import, KIND, user=user, path=path, template=kind, name=name)
    return reverse("jobs:job", args=[job.pk])
