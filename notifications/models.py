"""Notices of a report's path and of its deadlines, each recorded once per user, read in the page and e-mailed.

A notice is stored as what happened (its kind, institution, cuatrimestre, deadline and `params`: who acted, the
reason, the days left, the report's state), never as text: its subject and body are written when read, in the
language of whoever reads it (the page's, or the recipient's for an e-mail: accounts.User.language).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approvals.models import CuatrimestreReport, ReportStatus


class NotificationKind(models.TextChoices):
    SUBMITTED = "enviado", _("Reporte enviado a revisión")
    RETURNED = "devuelto", _("Reporte devuelto")
    APPROVED = "aprobado", _("Reporte aprobado")
    LOAD_5 = "carga_5", _("Plazo de carga en 5 días")
    LOAD_1 = "carga_1", _("Plazo de carga mañana")
    OFICIO_5 = "oficio_5", _("Plazo del oficio en 5 días")
    OFICIO_1 = "oficio_1", _("Plazo del oficio mañana")
    MISSED = "vencido", _("Plazo vencido")


REMINDER_KINDS = (
    NotificationKind.LOAD_5,
    NotificationKind.LOAD_1,
    NotificationKind.OFICIO_5,
    NotificationKind.OFICIO_1,
    NotificationKind.MISSED,
)


class Notification(models.Model):
    """One notice to one user: a step of a report (`transition`) or a deadline of a cuatrimestre (`deadline`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=NotificationKind.choices)
    institution = models.ForeignKey("goals.Institution", verbose_name=_("institución"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"))
    transition = models.ForeignKey(
        "approvals.ReportTransition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    deadline = models.DateField(_("plazo"), null=True, blank=True)
    params = models.JSONField(
        _("datos"), default=dict, blank=True, help_text=_("Lo que el aviso cuenta, escrito al leerlo en su idioma.")
    )
    url = models.CharField(_("enlace"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("enviado por correo el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "transition"],
                condition=Q(transition__isnull=False),
                name="notification_once_per_step",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "institution", "year", "cuatrimestre", "deadline"],
                condition=Q(transition__isnull=True),
                name="notification_once_per_deadline",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject

    @property
    def subject(self):
        return self.texts()[0]

    @property
    def body(self):
        return self.texts()[1]

    def texts(self):
        """(subject, body) in the active language."""
        values = {
            "institution": self.params.get("institution", ""),
            "report": CuatrimestreReport(year=self.year, cuatrimestre=self.cuatrimestre).title,
            "user": self.params.get("user", ""),
            "comment": self.params.get("comment", ""),
            "date": formats.date_format(self.deadline, "d/m/Y") if self.deadline else "",
            "days": self.params.get("days", 0),
        }
        subject, body = STEP_TEXTS.get(self.kind) or self.reminder_texts(values)
        return str(subject) % values, str(body) % values

    def reminder_texts(self, values):
        if self.kind == NotificationKind.MISSED:
            status = self.params.get("status", ReportStatus.DRAFT)
            values["status"] = ReportStatus(status).label if status in ReportStatus.values else status
            return MISSED_TEXTS
        if self.kind in (NotificationKind.LOAD_5, NotificationKind.LOAD_1):
            subject = _("%(institution)s: el plazo para cargar las cifras del %(report)s vence el %(date)s")
        else:
            subject = _("%(institution)s: el plazo del oficio del %(report)s vence el %(date)s")
        days = values["days"]
        if days == 0:
            return subject, _("El plazo vence hoy, %(date)s.")
        return subject, ngettext(
            "Falta %(days)d día: el plazo vence el %(date)s.", "Faltan %(days)d días: el plazo vence el %(date)s.", days
        )


STEP_TEXTS = {
    NotificationKind.SUBMITTED: (
        _("%(institution)s: reporte del %(report)s enviado a revisión"),
        _("%(user)s envió a revisión el reporte del %(report)s. Revíselo para aprobarlo o devolverlo."),
    ),
    NotificationKind.RETURNED: (
        _("%(institution)s: reporte del %(report)s devuelto"),
        _("%(user)s devolvió el reporte del %(report)s para corregirlo. Motivo: %(comment)s"),
    ),
    NotificationKind.APPROVED: (
        _("%(institution)s: reporte del %(report)s aprobado"),
        _("%(user)s aprobó el reporte del %(report)s."),
    ),
}
MISSED_TEXTS = (
    _("%(institution)s: venció el plazo del oficio del %(report)s"),
    _("El plazo para enviar el oficio del %(report)s venció el %(date)s y el reporte está en estado «%(status)s»."),
)


class NotificationPreference(models.Model):
    """What a user wants to receive; without a row, everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminders = models.BooleanField(
        _("recibir recordatorios de plazos"),
        default=True,
        help_text=_("Avisos 5 días y 1 día antes de cada plazo de carga y del oficio, y de plazos vencidos."),
    )

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")

    def __str__(self):
        return str(self.user)
