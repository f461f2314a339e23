"""A reprogramming's resolution PDF leaves storage with it: when another file replaces it, and when the
reprogramming is deleted (by itself or with its institution). Files go once the transaction commits, so a save
that fails keeps its file."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, pre_save

from .models import Reprogramming


def delete_on_commit(storage, name):
    transaction.on_commit(partial(storage.delete, name))


def delete_replaced_resolution(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "resolution_pdf" not in update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("resolution_pdf", flat=True).first()
    if old and old != instance.resolution_pdf.name:
        delete_on_commit(instance.resolution_pdf.storage, old)


def delete_resolution(sender, instance, **kwargs):
    if instance.resolution_pdf:
        delete_on_commit(instance.resolution_pdf.storage, instance.resolution_pdf.name)


def connect():
    pre_save.connect(delete_replaced_resolution, sender=Reprogramming, dispatch_uid="delete_replaced_resolution")
    post_delete.connect(delete_resolution, sender=Reprogramming, dispatch_uid="delete_resolution")
