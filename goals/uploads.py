"""Uploaded files that wait for the import's confirmation, kept in storage under `imports/` meanwhile.

A confirmed or cancelled preview deletes its file; `manage.py purge_abandoned_uploads` deletes those whose
preview was left open (the browser closed, the session expired)."""

import datetime
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

UPLOADS = "imports"


def store(content, name):
    """Keep an upload's bytes until its import is confirmed; returns the storage path."""
    return default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}{PurePath(name).suffix}", ContentFile(content))


def read(path):
    """The waiting upload's bytes, or None when it is gone (purged, or confirmed in another tab)."""
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as file:
        return file.read()


def exists(path):
    return default_storage.exists(path)


def delete(path):
    default_storage.delete(path)


def purge_abandoned(older_than_hours):
    """Delete the waiting uploads last modified more than that many hours ago; returns their paths.

    The folder is listed without asking whether it exists first: an object store (S3) has no folders, so it
    would answer that `imports` does not exist while files wait under it."""
    try:
        waiting = default_storage.listdir(UPLOADS)[1]
    except FileNotFoundError:  # the file system, before the first upload
        return []
    cutoff = timezone.now() - datetime.timedelta(hours=older_than_hours)
    abandoned = [
        f"{UPLOADS}/{name}" for name in waiting if default_storage.get_modified_time(f"{UPLOADS}/{name}") < cutoff
    ]
    for path in abandoned:
        default_storage.delete(path)
    return abandoned
