"""A job run by the queue's worker, with the progress the browser polls."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "en_cola", _("En cola")
    RUNNING = "en_curso", _("En curso")
    DONE = "terminado", _("Terminado")
    FAILED = "fallido", _("Fallido")


class Job(models.Model):
    """One run of a background task: who asked for it, how far it got and what came of it."""

    kind = models.CharField(_("tipo"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("solicitado por"), on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(_("estado"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("hechos"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("mensaje"), blank=True)
    result_url = models.CharField(_("resultado"), max_length=500, blank=True)
    # The file the job stored for its user (a draft's PDF, a bulk zip), deleted once older than
    # SIPLAN_JOB_FILES_MAX_AGE_DAYS or with the job (jobs.outputs); never a stored approved document.
    output = models.CharField(_("archivo"), max_length=500, blank=True)
    expired_at = models.DateTimeField(_("archivo eliminado el"), null=True, blank=True)
    # The page where its user asks for the same file again, offered once the file expired.
    again_url = models.CharField(_("volver a pedirlo en"), max_length=500, blank=True)
    # What the job found, for its page (an import's preview: goals.imports.background.stored_result), bounded by the
    # task that keeps it.
    data = models.JSONField(_("datos"), default=dict, blank=True)
    task_id = models.CharField(_("tarea"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self):
        """Whole percent done: 100 once finished, 0 while the total is unknown."""
        if self.status == JobStatus.DONE:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def is_failed(self):
        return self.status == JobStatus.FAILED

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def _set(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        Job.objects.filter(pk=self.pk).update(**fields)

    def start(self, total=0):
        self._set(status=JobStatus.RUNNING, started_at=timezone.now(), total=total, done=0)

    def set_total(self, total):
        self._set(total=total)

    def advance(self, steps=1):
        """One more step done; written at once, so that the browser polling the job sees it."""
        Job.objects.filter(pk=self.pk).update(done=F("done") + steps)
        self.done += steps

    def finish(self, message="", result_url="", output=""):
        """Done; `output` is the storage name of the file it made for its user, which expires (jobs.outputs)."""
        self._set(
            status=JobStatus.DONE, finished_at=timezone.now(), message=message, result_url=result_url, output=output
        )

    def keep(self, data):
        """Keep what the job found for its page."""
        self._set(data=data)

    def fail(self, message):
        self._set(status=JobStatus.FAILED, finished_at=timezone.now(), message=message)

    def as_dict(self):
        return {
            "id": self.pk,
            "kind": self.kind,
            "status": self.status,
            "status_display": str(self.get_status_display()),
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "finished": self.is_finished,
            "failed": self.is_failed,
            "message": self.message,
            "result_url": self.result_url,
            "expired": self.expired_at is not None,
        }
