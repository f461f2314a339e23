"""The conversation on a report: comments between the institution's planners and its director, and the steps of its
path that carry a comment (a submission's note, a return's reason, a reopening's), in order of time."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goals import roles
from goals.freeze import lock_institutions
from goals.validators import multi_line

from .models import CuatrimestreReport, ReportComment


def may_converse(user, institution) -> bool:
    """Planners and directors of the institution; readers and other institutions never see the conversation."""
    return roles.can_submit(user, institution) or roles.can_approve(user, institution)


@dataclass(frozen=True)
class Message:
    author: object
    at: datetime.datetime
    text: str
    step: str  # the path step's label, blank for a plain comment


def thread(report, transitions) -> list[Message]:
    """The report's comments and its commented steps (`transitions`, already read), oldest first."""
    comments = report.comments.select_related("author") if report.pk else []
    messages = [Message(comment.author, comment.at, comment.text, "") for comment in comments]
    messages += [
        Message(step.user, step.at, step.comment, step.get_action_display()) for step in transitions if step.comment
    ]
    return sorted(messages, key=lambda message: message.at)


@transaction.atomic
def post_comment(user, *, institution, year: int, cuatrimestre: int, text: str) -> ReportComment:
    if not may_converse(user, institution):
        raise PermissionDenied(_("Su rol no le permite hacer esto."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Escriba el comentario."))
    multi_line(text)
    lock_institutions(institution)
    report, _created = CuatrimestreReport.objects.get_or_create(
        institution=institution, year=year, cuatrimestre=cuatrimestre
    )
    return ReportComment.objects.create(report=report, author=user, text=text)
