"""The files jobs make for one user (a large draft's PDF, the zip of approved packages) are kept for a while only.

`manage.py purge_job_files` deletes, through Django's storage (a folder or an S3 bucket alike), the file of every
job finished more than SIPLAN_JOB_FILES_MAX_AGE_DAYS days ago, and marks the job expired: its page says so and
links to where the file is asked for again. Only the names jobs recorded as their output (`Job.output`) are
deleted: approved documents, stored by their reports, are never a job's output.

Deleting a job (its page in the admin, a queryset, a cascade) deletes its file too, once the deletion commits."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from goals.signals import delete_on_commit

from .models import Job


def expire_outputs(*, older_than_days: int) -> list[str]:
    """Delete the files of the jobs finished more than that many days ago; returns their storage names."""
    now = timezone.now()
    expiring = Job.objects.filter(
        finished_at__lt=now - datetime.timedelta(days=older_than_days), expired_at__isnull=True
    ).exclude(output="")
    names = dict(expiring.values_list("pk", "output"))
    for name in names.values():
        default_storage.delete(name)
    Job.objects.filter(pk__in=names).update(expired_at=now, result_url="")
    return sorted(names.values())


def delete_output_on_commit(sender, instance, using, **kwargs):
    """post_delete of a Job (one, a queryset's or a cascade's): its file goes once the deletion commits, and stays
    if it rolls back. An expired job's file is gone already."""
    name = instance.output
    if name and instance.expired_at is None:
        delete_on_commit(default_storage, name, using=using)
