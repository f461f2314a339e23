"""Stored files leave storage with their records: a reprogramming's resolution PDF when another file replaces it, and
when the reprogramming is deleted (by itself or with its institution); a medio de verificación's file when it is
deleted. Files go once the transaction commits, so a save or a deletion that fails keeps its file."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, pre_save

from .models import Evidence, Reprogramming


def delete_on_commit(storage, name):
    transaction.on_commit(partial(storage.delete, name))


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
    pre_save.connect(delete_replaced_resolution, sender=Reprogramming, dispatch_uid="delete_replaced_resolution")
    post_delete.connect(delete_resolution, sender=Reprogramming, dispatch_uid="delete_resolution")
    post_delete.connect(delete_evidence_file, sender=Evidence, dispatch_uid="delete_evidence_file")
