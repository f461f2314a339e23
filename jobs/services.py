"""Enqueue work for the worker and run it with a progress record.

A job is a function `def build_zip(job, **kwargs)` decorated with `@job_task`: it may call `job.start(total)`,
`job.advance()` and `job.finish(message, result_url)`; an exception marks the job failed, saying why to the user
when it is a ValidationError (its messages), otherwise that it failed unexpectedly (the error goes to the log).
`enqueue(task, kind)` records the Job and hands it to the queue once the surrounding transaction commits, so the
worker never runs ahead of the data it needs. A job that stores a file for its user names it,
`job.finish(..., output=name)`, and is enqueued with `again_url`, the page that asks for it again: the file
expires (jobs.outputs).
"""

import functools
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Job, JobStatus

logger = logging.getLogger(__name__)


def unexpected_failure(job):
    """What the job's page says of an error nobody foresaw: plainly that it failed, what to do, and the number to
    quote; the error itself (perhaps a query or a path) goes to the log, not to the page."""
    return _(
        "No se pudo terminar por un error inesperado. Vuelva a intentarlo; si se repite, avise al administrador "
        "indicando el trabajo n.º %(id)s."
    ) % {"id": job.pk}


def job_task(function):
    """A django-tasks task that runs `function(job, **kwargs)` and keeps the Job's status."""

    @functools.wraps(function)
    def run(job_id, **kwargs):
        job = Job.objects.get(pk=job_id)
        if job.status == JobStatus.QUEUED:
            job.start()
        try:
            function(job, **kwargs)
        except ValidationError as error:
            job.fail(" ".join(error.messages))
            return
        except Exception:
            logger.exception("job %s failed", job.pk)
            job.fail(unexpected_failure(job))
            raise
        if not job.is_finished:
            job.finish()

    return task()(run)


def enqueue(job_task_, kind, *, user=None, again_url="", **kwargs):
    """Record a Job of `kind` and enqueue `job_task_` for it when the transaction commits; the Job, to poll.
    `again_url` is the page where its user asks for the same again once the job's file has expired."""
    job = Job.objects.create(kind=kind, user=user, again_url=again_url)

    def hand_over():
        result = job_task_.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(hand_over)
    return job


def requester(job):
    """The user who asked for the job, whose rights it runs with; None when that user was deleted since, and then
    the job is marked failed saying so (nothing is done for nobody, nor as anybody else)."""
    if job.user is None:
        job.fail(_("El usuario que pidió este trabajo ya no existe: no se hizo nada."))
    return job.user
