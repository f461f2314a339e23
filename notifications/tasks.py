"""The e-mails of recorded notices, sent by the queue's worker."""

from django.core.mail import send_mail
from django.utils import timezone, translation

from jobs.services import job_task

from .models import Notification
from .services import email_text, language_of


@job_task
def deliver_notifications(job):
    """E-mail every notice not yet e-mailed to a user with an address, in the user's language; each claimed first, so
    it goes once."""
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True).exclude(user__email="").values_list("pk", flat=True)
    )
    job.set_total(len(pending))
    for notification in Notification.objects.filter(pk__in=pending).select_related("user"):
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed:
            try:
                with translation.override(language_of(notification.user)):
                    send_mail(notification.subject, email_text(notification), None, [notification.user.email])
            except Exception:
                Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
                raise
        job.advance()
