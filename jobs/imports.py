"""The import of a large file: previewed by the worker with its progress, confirmed on the job's page by the user who
uploaded it, then written by the worker.

The previewed upload waits as the preview job's output (it expires with the job's files, jobs.outputs); confirming
or cancelling claims it once, so a second confirmation finds nothing to write.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals import uploads
from goals.imports import background, import_file

from .models import Job, JobStatus
from .services import enqueue, job_task, requester

KIND = "importacion"
PREVIEW_KIND = "vista_previa_importacion"
# The refusals a failed write lists (the file was previewed without any: the data changed since).
SHOWN_ERRORS = 20


def content_digest(content):
    return hashlib.sha256(content).hexdigest()


@job_task
def preview_import(job, *, path, template, name):
    """Check the stored upload `path` as its requester, writing nothing, and keep what the import page would show of
    it (in the requester's language); a refused file is deleted, an accepted one waits for the confirmation."""
    user = requester(job)
    content = uploads.read(path) if user is not None else None
    if content is None:
        uploads.delete(path)
        if user is not None:
            job.fail(_("El archivo por importar ya no está: súbalo de nuevo."))
        return
    job.start(total=background.STAGES)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        result = import_file(template, ContentFile(content), name, user=user, dry_run=True, progress=job.advance)
        job.keep(
            {
                "template": template,
                "name": name,
                "digest": content_digest(content),
                "institution": user.institution_id,
                "result": background.stored_result(result),
            }
        )
        if not result.ok:
            uploads.delete(path)
            job.fail(
                ngettext(
                    "El archivo tiene %(count)s error; no se importó nada.",
                    "El archivo tiene %(count)s errores; no se importó nada.",
                    result.error_count,
                )
                % {"count": result.error_count}
            )
            return
        job.finish(_("Revise lo que cambiaría y confirme la importación: nada se ha escrito todavía."), output=path)


def preview_later(*, path, kind, name, user):
    """Queue the preview (goals.imports.background's runner); the URL of the job's page."""
    job = enqueue(
        preview_import, PREVIEW_KIND, user=user, again_url=reverse("goals:import"), path=path, template=kind, name=name
    )
    return reverse("jobs:job", args=[job.pk])


def previewed_by(user, pk):
    """The import preview `pk`, if `user` uploaded it, from the institution they still belong to (a preview not run
    yet names none, and has nothing to confirm: `claim`); else 404."""
    job = Job.objects.filter(pk=pk, kind=PREVIEW_KIND, user=user).first()
    if job is None or job.data.get("institution", user.institution_id) != user.institution_id:
        raise Http404("Trabajo no encontrado")
    return job


def claim(job):
    """The waiting upload of a finished preview, taken from the job once (a second claim finds none): refused,
    saying why, when it was confirmed or cancelled already, or expired."""
    path = job.output
    if job.status != JobStatus.DONE:
        raise ValidationError(_("Esta vista previa no tiene nada que confirmar."))
    if job.expired_at is not None or (path and not uploads.exists(path)):
        raise ValidationError(_("La vista previa caducó y su archivo se eliminó: suba el archivo de nuevo."))
    if not path or not Job.objects.filter(pk=job.pk, output=path).update(output=""):
        raise ValidationError(_("Esta importación ya se confirmó o se canceló."))
    return path


def confirm(job, user):
    """Queue the write of the previewed upload; the URL of its job's page, which the preview's page links to."""
    write = enqueue(
        run_import,
        KIND,
        user=user,
        path=claim(job),
        template=job.data["template"],
        name=job.data["name"],
        digest=job.data["digest"],
    )
    url = reverse("jobs:job", args=[write.pk])
    Job.objects.filter(pk=job.pk).update(result_url=url)
    return url


def cancel(job):
    uploads.delete(claim(job))


def preview_page(job, user):
    """What the job's page shows of an import preview: the preview (or the refusals), and the confirmation for the
    user who uploaded it while it waits; nothing for another job."""
    if job.kind != PREVIEW_KIND:
        return {}
    context = {
        "result": job.data.get("result"),
        "name": job.data.get("name", ""),
        "reload_when_finished": not job.is_finished,
        "result_label": _("Ver la importación confirmada"),
    }
    if job.output and job.expired_at is None and job.user_id == user.pk:
        context["confirm_url"] = reverse("jobs:confirm_import", args=[job.pk])
        context["cancel_url"] = reverse("jobs:cancel_import", args=[job.pk])
    return context


@job_task
def run_import(job, *, path, template, name, digest):
    """Import the stored upload `path` as its requester, all or nothing, if it is still the file previewed (its
    SHA-256 `digest`), then delete it."""
    user = requester(job)
    try:
        content = uploads.read(path) if user is not None else None
        if content is None:
            if user is not None:
                job.fail(_("El archivo por importar ya no está: súbalo de nuevo."))
            return
        if content_digest(content) != digest:
            job.fail(_("El archivo cambió después de su vista previa: no se importó nada. Súbalo de nuevo."))
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
