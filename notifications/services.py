"""Who is told what: a report's steps (approvals.signals.report_moved) and the deadlines of each cuatrimestre.

Every notice is a Notification row, unique per user and step or per user and deadline, so a notice is recorded
once however often the reminders run; the e-mails go out from the queue (tasks.deliver_notifications) once the
transaction that recorded them commits.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def step_text(action, report, user, comment):
    values = {
        "institution": report.institution.acronym or report.institution.code,
        "report": report.title,
        "user": user.get_full_name() or user.get_username(),
        "comment": comment,
    }
    if action == ReportAction.SUBMIT:
        subject = _("%(institution)s: reporte del %(report)s enviado a revisión")
        body = _("%(user)s envió a revisión el reporte del %(report)s. Revíselo para aprobarlo o devolverlo.")
    elif action == ReportAction.RETURN:
        subject = _("%(institution)s: reporte del %(report)s devuelto")
        body = _("%(user)s devolvió el reporte del %(report)s para corregirlo. Motivo: %(comment)s")
    else:
        subject = _("%(institution)s: reporte del %(report)s aprobado")
        body = _("%(user)s aprobó el reporte del %(report)s.")
    return subject % values, body % values


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
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = step_text(action, report, user, comment)
    url = report_url(report.institution, report.year, report.cuatrimestre)
    notices = [
        Notification(
            user=recipient,
            kind=STEP_KINDS[action],
            institution_id=report.institution_id,
            year=report.year,
            cuatrimestre=report.cuatrimestre,
            transition=transition,
            subject=subject,
            body=body,
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


def reminder_text(kind, institution, report, deadline, today):
    days = (deadline - today).days
    values = {
        "institution": institution.acronym or institution.code,
        "report": report.title,
        "date": formats.date_format(deadline, "d/m/Y"),
        "days": days,
    }
    if kind == NotificationKind.MISSED:
        subject = _("%(institution)s: venció el plazo del oficio del %(report)s")
        body = _(
            "El plazo para enviar el oficio del %(report)s venció el %(date)s y el reporte está en estado «%(status)s»."
        )
        values["status"] = report.get_status_display()
        return subject % values, body % values
    if kind in (NotificationKind.LOAD_5, NotificationKind.LOAD_1):
        subject = _("%(institution)s: el plazo para cargar las cifras del %(report)s vence el %(date)s")
    else:
        subject = _("%(institution)s: el plazo del oficio del %(report)s vence el %(date)s")
    if days == 0:
        body = _("El plazo vence hoy, %(date)s.")
    else:
        body = ngettext(
            "Falta %(days)d día: el plazo vence el %(date)s.", "Faltan %(days)d días: el plazo vence el %(date)s.", days
        )
    return subject % values, body % values


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
    with translation.override(settings.LANGUAGE_CODE):
        for kind, institution, report, deadline, audience in due:
            if audience == "institution":
                recipients = members.get(institution.pk, [])
            else:
                recipients = {user.pk: user for user in [*overseers.get(institution.pk, []), *superusers]}.values()
            subject, body = reminder_text(kind, institution, report, deadline, today)
            url = report_url(institution, report.year, report.cuatrimestre)
            notices += [
                Notification(
                    user=user,
                    kind=kind,
                    institution=institution,
                    year=report.year,
                    cuatrimestre=report.cuatrimestre,
                    deadline=deadline,
                    subject=subject,
                    body=body,
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


def email_text(notification):
    return "\n\n".join(
        [
            notification.body,
            _("Véalo en siplan: %(url)s") % {"url": settings.SIPLAN_BASE_URL + notification.url},
            _("Puede dejar de recibir recordatorios de plazos en %(url)s")
            % {"url": settings.SIPLAN_BASE_URL + reverse("notifications:preferences")},
        ]
    )
