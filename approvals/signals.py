"""The model layer's guard: no save or delete of frozen plan, reprogramming, execution data or justifications,
whatever the path."""

from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import Signal

from .justifications import ensure_draft
from .locks import REPROGRAMMING_PATHS, RESULT_PATHS, ensure_instance_writable
from .models import (
    Circular,
    CuatrimestreReport,
    Justification,
    Period,
    PeriodExtension,
    ReportComment,
    ReportSnapshot,
    ReportTransition,
    RequiredJustification,
    StoredDocument,
)

# A report took a step (services._move): sent with report, action, user and comment, inside the step's transaction.
report_moved = Signal()


def guard(sender, instance, **kwargs):
    """Checked under the institution's lock inside the transaction that writes (the admin's, a delete's); a save
    outside any transaction (the shell in autocommit) is checked too, but has no transaction to hold the lock in."""
    ensure_instance_writable(instance, lock=not transaction.get_autocommit())


def guard_justification(sender, instance, **kwargs):
    """A justification changes only while its report is a draft (the snapshot keeps the approved ones)."""
    ensure_draft(institution=instance.institution_id, year=instance.year, cuatrimestre=instance.cuatrimestre)


def connect():
    pre_save.connect(guard_justification, sender=Justification, dispatch_uid="approvals-lock-save-justification")
    pre_delete.connect(guard_justification, sender=Justification, dispatch_uid="approvals-lock-delete-justification")
    for model in [*RESULT_PATHS, *REPROGRAMMING_PATHS]:
        pre_save.connect(guard, sender=model, dispatch_uid=f"approvals-lock-save-{model.__name__}")
        pre_delete.connect(guard, sender=model, dispatch_uid=f"approvals-lock-delete-{model.__name__}")


def register_figures(versions):
    """approvals' models that pages of figures show (a report's state and steps, deadlines, justifications) bump
    their institution's version of its figures (goals.versions); an entry window bumps every institution's."""
    paths = {
        CuatrimestreReport: "institution",
        ReportTransition: "report__institution",
        ReportSnapshot: "institution",
        Period: versions.EVERY_INSTITUTION,
        PeriodExtension: "institution",
        Justification: "institution",
        RequiredJustification: "institution",
    }
    for model, path in paths.items():
        versions.register(model, path)
    # The oficio's circular, the stored files of an approval and the comments on a report: not figures.
    not_read = (Circular, StoredDocument, ReportComment)
    versions.not_read(*not_read, *(model.history.model for model in (*paths, *not_read) if hasattr(model, "history")))
