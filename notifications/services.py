"""Who is told what: a report's steps (approvals.signals.report_moved) and the deadlines of each cuatrimestre.

Every notice is a Notification row, unique per user and step or per user and deadline, so a notice is recorded
once however often the reminders run; the e-mails go out from the queue (tasks.deliver_notifications) once the
transaction that recorded them commits.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.locks import windows_of_institutions
from approvals.models import CuatrimestreReport, ReportAction, ReportStatus
from goals import roles
from goals.models import Institution
from goals.periods import CUATRIMESTRES
from jobs.services import enqueue

from .models import Notification, NotificationKind

# A missed deadline is told to oversight staff while it is at most this many days old.
MISSED_LOOKBACK_DAYS = 15
REMINDER_DAYS = 5


def with_permission(codename):
    return Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label="approvals") | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label="approvals"
    )


STEP_RECIPIENTS = {
    ReportAction.SUBMIT: with_permission("approve_report"),
    ReportAction.RETURN: with_permission("submit_report"),
    ReportAction.APPROVE: with_permission("submit_report") | Q(groups__name=roles.READER),
}
STEP_KINDS = {
    ReportAction.SUBMIT: NotificationKind.SUBMITTED,
    ReportAction.RETURN: NotificationKind.RETURNED,
    ReportAction.APPROVE: NotificationKind.APPROVED,
}


def report_url(institution, year, cuatrimestre):
    return reverse("approvals:report_status", args=[institution.code, year, cuatrimestre])


def institution_label(institution):
    return institution.acronym or institution.code


def report_moved(sender, report, action, user, comment, **kwargs):
    """Tell the director of a submission, the planners of a return with its reason, planners and readers of an
    approval; the institution's own users only, never the one who acted."""
    if action not in STEP_KINDS:
        return
    recipients = (
        get_user_model()
        .objects.filter(institution=report.institution_id, is_active=True)
        .filter(STEP_RECIPIENTS[action])
        .exclude(pk=user.pk)
        .distinct()
    )
    transition = report.transitions.last()
    params = {
        "institution": institution_label(report.institution),
        "user": user.get_full_name() or user.get_username(),
        "comment": comment,
    }
    url = report_url(report.institution, report.year, report.cuatrimestre)
    notices = [
        Notification(
            user=recipient,
            kind=STEP_KINDS[action],
            institution_id=report.institution_id,
            year=report.year,
            cuatrimestre=report.cuatrimestre,
            transition=transition,
            params=params,
            url=url,
        )
        for recipient in recipients
    ]
    record(notices, user)


def record(notices, user=None):
    """Store the notices (a notice already recorded stays as it was) and e-mail them from the queue."""
    if not notices:
        return
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    from .tasks import deliver_notifications

    enqueue(deliver_notifications, "avisos", user=user)


def reminder_kind(deadline, today, five, one):
    days = (deadline - today).days
    if 1 < days <= REMINDER_DAYS:
        return five
    if 0 <= days <= 1:
        return one
    return None


def reminder_params(kind, institution, report, deadline, today):
    """What a reminder tells (its text is written when read, in the reader's language): the days left, or the
    state of a report whose oficio deadline passed."""
    params = {"institution": institution_label(institution)}
    if kind == NotificationKind.MISSED:
        params["status"] = report.status
    else:
        params["days"] = (deadline - today).days
    return params


def deadline_notices(today):
    """(kind, institution, report, deadline, audience) of every reminder due today: load and oficio deadlines
    5 days and 1 day ahead while the report is a draft (audience "institution"), and oficio deadlines missed in
    the last MISSED_LOOKBACK_DAYS days by a report not approved (audience "oversight")."""
    institutions = list(Institution.objects.all())
    for year in (today.year - 1, today.year):
        for cuatrimestre in CUATRIMESTRES:
            windows = windows_of_institutions(institutions=institutions, year=year, cuatrimestre=cuatrimestre)
            if not any(
                -MISSED_LOOKBACK_DAYS <= (window.oficio_deadline - today).days
                or (window.load_deadline - today).days >= 0
                for window in windows.values()
            ):
                continue
            reports = {
                report.institution_id: report
                for report in CuatrimestreReport.objects.filter(year=year, cuatrimestre=cuatrimestre)
            }
            for institution in institutions:
                window = windows[institution.pk]
                report = reports.get(institution.pk) or CuatrimestreReport(
                    institution=institution, year=year, cuatrimestre=cuatrimestre
                )
                if report.status == ReportStatus.DRAFT:
                    for deadline, five, one in (
                        (window.load_deadline, NotificationKind.LOAD_5, NotificationKind.LOAD_1),
                        (window.oficio_deadline, NotificationKind.OFICIO_5, NotificationKind.OFICIO_1),
                    ):
                        kind = reminder_kind(deadline, today, five, one)
                        if kind is not None:
                            yield kind, institution, report, deadline, "institution"
                overdue = (today - window.oficio_deadline).days
                if report.status != ReportStatus.APPROVED and 0 < overdue <= MISSED_LOOKBACK_DAYS:
                    yield NotificationKind.MISSED, institution, report, window.oficio_deadline, "oversight"


def audiences():
    """({institution id: [user]} of each institution's users, {institution id: [user]} of its oversight readers
    and superusers), users who turned reminders off left out."""
    users = get_user_model().objects.filter(is_active=True).exclude(notification_preference__reminders=False)
    members, overseers = {}, {}
    for user in users.filter(institution__isnull=False):
        members.setdefault(user.institution_id, []).append(user)
    superusers = list(users.filter(is_superuser=True))
    readers = get_user_model().readable_institutions.through.objects.filter(user__in=users).select_related("user")
    for link in readers:
        overseers.setdefault(link.institution_id, []).append(link.user)
    return members, overseers, superusers


def send_reminders(today=None):
    """Record today's reminders (each once) and e-mail them; the number of new notices."""
    today = today or timezone.localdate()
    due = list(deadline_notices(today))
    if not due:
        return 0
    members, overseers, superusers = audiences()
    notices = []
    for kind, institution, report, deadline, audience in due:
        if audience == "institution":
            recipients = members.get(institution.pk, [])
        else:
            recipients = {user.pk: user for user in [*overseers.get(institution.pk, []), *superusers]}.values()
        params = reminder_params(kind, institution, report, deadline, today)
        url = report_url(institution, report.year, report.cuatrimestre)
        notices += [
            Notification(
                user=user,
                kind=kind,
                institution=institution,
                year=report.year,
                cuatrimestre=report.cuatrimestre,
                deadline=deadline,
                params=params,
                url=url,
            )
            for user in recipients
        ]
    before = Notification.objects.count()
    record(notices)
    return Notification.objects.count() - before


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, pks=None):
    notices = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        notices = notices.filter(pk__in=pks)
    return notices.update(read_at=timezone.now())


def language_of(user):
    """The language a user reads siplan in (the one they last used it in), the site's until they have used it."""
    return user.language or settings.LANGUAGE_CODE


def email_text(notification):
    """The e-mail's body in the active language (tasks.deliver_notifications activates the recipient's)."""
    return "\n\n".join(
        [
            notification.body,
            _("Véalo en siplan: %(url)s") % {"url": settings.SIPLAN_BASE_URL + notification.url},
            _("Puede dejar de recibir recordatorios de plazos en %(url)s")
            % {"url": settings.SIPLAN_BASE_URL + reverse("notifications:preferences")},
        ]
    )
