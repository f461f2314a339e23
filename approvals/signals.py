"""The model layer's guard: no save or delete of frozen plan, reprogramming or execution data, whatever the path."""

from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import Signal

from .locks import REPROGRAMMING_PATHS, RESULT_PATHS, ensure_instance_writable

# A report took a step (services._move): sent with report, action, user and comment, inside the step's transaction.
report_moved = Signal()


def guard(sender, instance, **kwargs):
    """Checked under the institution's lock inside the transaction that writes (the admin's, a delete's); a save
    outside any transaction (the shell in autocommit) is checked too, but has no transaction to hold the lock in."""
    ensure_instance_writable(instance, lock=not transaction.get_autocommit())


def connect():
    for model in [*RESULT_PATHS, *REPROGRAMMING_PATHS]:
        pre_save.connect(guard, sender=model, dispatch_uid=f"approvals-lock-save-{model.__name__}")
        pre_delete.connect(guard, sender=model, dispatch_uid=f"approvals-lock-delete-{model.__name__}")
