"""The model layer's rules of goals' own records, whatever the path (import, admin, page, shell).

An approved reprogramming and its lines do not change: its number, date, institution, justification and
resolution stay, no line is added, changed or deleted, and the document is not deleted, until the director
reopens it (approvals.services.reopen_reprogramming, recorded in its history), which makes it pending again.
Only removing its whole institution takes it away.

Stored files leave storage with their records: a reprogramming's resolution PDF when another file replaces it, and
when the reprogramming is deleted (by itself or with its institution); a medio de verificación's file when it is
deleted. Files go once the transaction commits, so a save or a deletion that fails keeps its file."""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, pre_delete, pre_save

from .models import Evidence, Institution, Reprogramming, ReprogrammingLine, ReprogrammingStatus

logger = logging.getLogger(__name__)

# What an approved reprogramming fixes (its status, approver and time change only by approving or reopening it).
APPROVED_CONTENT = ("institution_id", "number", "date", "justification", "resolution_pdf")


def removes_institution(origin):
    """Whether a deletion started at an institution (or a queryset of them), which takes every document with it."""
    return isinstance(origin, Institution) or (isinstance(origin, QuerySet) and origin.model is Institution)


def keep_approved_reprogramming(sender, instance, **kwargs):
    """An approved document's content is refused any change, and its deletion unless its institution goes."""
    if instance.pk is None or removes_institution(kwargs.get("origin")):
        return
    stored = sender.objects.filter(pk=instance.pk, status=ReprogrammingStatus.APPROVED).values(*APPROVED_CONTENT)
    stored = stored.first()
    if stored is None:
        return
    current = {field: getattr(instance, field) for field in APPROVED_CONTENT}
    current["resolution_pdf"] = instance.resolution_pdf.name or ""
    if "origin" in kwargs or current != stored:
        raise ValidationError(Reprogramming(number=stored["number"]).approved_refusal())


def keep_approved_lines(sender, instance, **kwargs):
    """A line of an approved document (before or after this save) is not added, changed or deleted."""
    if removes_institution(kwargs.get("origin")):
        return
    documents = {instance.reprogramming_id}
    if instance.pk is not None:
        documents.update(sender.objects.filter(pk=instance.pk).values_list("reprogramming_id", flat=True))
    approved = Reprogramming.objects.filter(pk__in=documents, status=ReprogrammingStatus.APPROVED).first()
    if approved is not None:
        raise ValidationError(approved.approved_refusal())


def delete_on_commit(storage, name, using=None):
    """Delete the stored file `name` once the transaction commits; it stays if the transaction rolls back. Its record
    is deleted or replaced by then, so a storage that fails is logged, not raised: what the user did stands."""
    transaction.on_commit(partial(delete_stored, storage, name), using=using)


def delete_stored(storage, name):
    try:
        storage.delete(name)
    except Exception:
        logger.exception("The file %s could not be deleted from storage.", name)


def delete_replaced_resolution(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "resolution_pdf" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("resolution_pdf", flat=True).first()
    if old and old != instance.resolution_pdf.name:
        delete_on_commit(instance.resolution_pdf.storage, old)


def deletes_file(attribute):
    """A post_delete receiver that deletes the record's file held in `attribute`, once the deletion commits."""

    def delete_file(sender, instance, **kwargs):
        stored = getattr(instance, attribute)
        if stored:
            delete_on_commit(stored.storage, stored.name)

    return delete_file


delete_resolution = deletes_file("resolution_pdf")
delete_evidence_file = deletes_file("file")


def connect():
    pre_save.connect(keep_approved_reprogramming, sender=Reprogramming, dispatch_uid="keep_approved_reprogramming")
    pre_delete.connect(keep_approved_reprogramming, sender=Reprogramming, dispatch_uid="keep_approved_reprogramming")
    pre_save.connect(keep_approved_lines, sender=ReprogrammingLine, dispatch_uid="keep_approved_lines")
    pre_delete.connect(keep_approved_lines, sender=ReprogrammingLine, dispatch_uid="keep_approved_lines")
    pre_save.connect(delete_replaced_resolution, sender=Reprogramming, dispatch_uid="delete_replaced_resolution")
    post_delete.connect(delete_resolution, sender=Reprogramming, dispatch_uid="delete_resolution")
    post_delete.connect(delete_evidence_file, sender=Evidence, dispatch_uid="delete_evidence_file")
