"""The life of a cuatrimestre report (draft → in review → approved), its frozen snapshots and the entry windows."""

import datetime
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import TYPIST_INITIALS_LENGTH
from goals.models import long_text_field, text_field
from goals.periods import CUATRIMESTRES, cuatrimestre_last_day
from reports.alert_kinds import DeviationKind

CUATRIMESTRE_CHOICES = [(1, _("Primer Cuatrimestre")), (2, _("Segundo Cuatrimestre")), (3, _("Tercer Cuatrimestre"))]
DEFAULT_DEADLINE_DAYS = 15
# A justification is a paragraph or two: what happened and what will be done (the page and the import check it).
JUSTIFICATION_MAX_CHARS = 4_000


def legal_deadline(*, year: int, cuatrimestre: int) -> datetime.date:
    """Ley Orgánica del Presupuesto, Art. 17 Bis: within the first 15 days after the cuatrimestre ends."""
    return cuatrimestre_last_day(year, cuatrimestre) + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS)


class ReportStatus(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    IN_REVIEW = "en_revision", _("En revisión")
    APPROVED = "aprobado", _("Aprobado")


RETURNED = "devuelto"


class ReportAction(models.TextChoices):
    SUBMIT = "enviar", _("Enviado a revisión")
    RETURN = "devolver", _("Devuelto")
    APPROVE = "aprobar", _("Aprobado")
    REOPEN = "reabrir", _("Reabierto")
    SIGN = "firmar", _("Documentos firmados")


class CuatrimestreReport(models.Model):
    """Where one institution's report for a year and cuatrimestre stands on its way to the signature."""

    institution = models.ForeignKey(
        "goals.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        related_name="cuatrimestre_reports",
    )
    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"), choices=CUATRIMESTRE_CHOICES)
    status = models.CharField(_("estado"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    class Meta:
        ordering = ["institution", "year", "cuatrimestre"]
        verbose_name = _("reporte cuatrimestral")
        verbose_name_plural = _("reportes cuatrimestrales")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "cuatrimestre"],
                name="cuatrimestre_report_unique",
                violation_error_message=_("Ya existe el reporte de ese cuatrimestre para la institución."),
            )
        ]
        permissions = [
            ("submit_report", _("Puede enviar reportes a revisión")),
            ("approve_report", _("Puede aprobar, devolver y reabrir reportes")),
            ("view_draft_report", _("Puede ver reportes aún no aprobados")),
            ("approve_reprogramming", _("Puede aprobar y reabrir reprogramaciones")),
            ("view_audit", _("Puede consultar la bitácora de cambios")),
        ]

    def __str__(self):
        return f"{self.institution.code} — {self.title}"

    @property
    def title(self):
        """ "Tercer Cuatrimestre 2024"."""
        return f"{self.get_cuatrimestre_display()} {self.year}"

    @property
    def last_day(self):
        return cuatrimestre_last_day(self.year, self.cuatrimestre)

    @property
    def shown_status(self):
        """(key, label) as every page shows the report: its status, or «Devuelto» for a draft whose latest step was
        a return. Needs `last_action`, the latest step's action (services.report_state and report_states set it)."""
        if self.status == ReportStatus.DRAFT and self.last_action == ReportAction.RETURN:
            return RETURNED, ReportAction.RETURN.label
        return self.status, self.get_status_display()

    @property
    def current_snapshot(self):
        """The snapshot in force while the report is approved; None otherwise."""
        if self.status != ReportStatus.APPROVED:
            return None
        return self.snapshots.filter(superseded_at__isnull=True).first()


class ReportTransition(models.Model):
    """One step of a report's path: who did what, when, and why."""

    report = models.ForeignKey(CuatrimestreReport, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("acción"), max_length=10, choices=ReportAction.choices)
    from_status = models.CharField(_("estado anterior"), max_length=12, choices=ReportStatus.choices)
    to_status = models.CharField(_("estado nuevo"), max_length=12, choices=ReportStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("fecha y hora"), auto_now_add=True)
    comment = long_text_field(_("comentario"), blank=True)
    submitted_report = models.TextField(
        _("reporte enviado (JSON)"),
        blank=True,
        help_text=_(
            "Las cifras tal como se enviaron a revisión (solo en los envíos), para mostrar qué cambió después."
        ),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("paso del reporte")
        verbose_name_plural = _("pasos del reporte")

    def __str__(self):
        return f"{self.report} — {self.get_action_display()}"


def canonical_json(data: Any) -> str:
    """The one byte form of a report's data that is stored and hashed."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class ReportSnapshot(models.Model):
    """The figures as approved, frozen: the report's JSON, its SHA-256 and the oficio number it went out with."""

    report = models.ForeignKey(CuatrimestreReport, on_delete=models.PROTECT, related_name="snapshots")
    institution = models.ForeignKey(
        "goals.Institution", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    content = models.TextField(_("contenido (JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    oficio_year = models.PositiveSmallIntegerField(_("año del oficio"))
    oficio_sequence = models.PositiveIntegerField(_("correlativo"))
    oficio_number = models.CharField(_("número de oficio"), max_length=80)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aprobado por"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("aprobado el"))
    superseded_at = models.DateTimeField(_("sustituido el"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reabierto por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_reason = long_text_field(_("motivo de la reapertura"), blank=True)
    typist_initials = models.CharField(_("iniciales del mecanógrafo"), max_length=TYPIST_INITIALS_LENGTH, blank=True)
    circular = models.CharField(_("circular de SEGEPLAN que atiende"), max_length=120, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("reporte aprobado")
        verbose_name_plural = _("reportes aprobados")
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_snapshot_in_force_per_report",
            ),
            models.UniqueConstraint(
                fields=["institution", "oficio_year", "oficio_sequence"], name="one_oficio_correlative_per_institution"
            ),
            models.UniqueConstraint(fields=["institution", "oficio_number"], name="one_oficio_number_per_institution"),
        ]

    def save(self, *args, **kwargs):
        self.institution_id = self.report.institution_id
        super().save(*args, **kwargs)

    def __str__(self):
        return self.oficio_number

    @classmethod
    def digest(cls, content: str) -> str:
        return hashlib.sha256(content.encode("utf-8")).hexdigest()

    @property
    def data(self):
        return json.loads(self.content)

    @property
    def is_superseded(self):
        return self.superseded_at is not None


class Period(models.Model):
    """The entry window of a cuatrimestre, as SEGEPLAN's circular sets it."""

    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"), choices=CUATRIMESTRE_CHOICES)
    load_deadline = models.DateField(
        _("último día para cargar cifras"),
        blank=True,
        help_text=_("Vacío: 15 días calendario después del fin del cuatrimestre."),
    )
    oficio_deadline = models.DateField(
        _("último día para enviar el oficio"),
        blank=True,
        help_text=_("Vacío: 15 días calendario después del fin del cuatrimestre."),
    )

    class Meta:
        ordering = ["-year", "-cuatrimestre"]
        verbose_name = _("período de carga")
        verbose_name_plural = _("períodos de carga")
        permissions = [
            ("change_calendar", _("Puede cambiar los períodos de carga y las circulares de todas las instituciones")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cuatrimestre"],
                name="period_unique",
                violation_error_message=_("Ya existe el período de ese cuatrimestre."),
            )
        ]

    def __str__(self):
        return f"{self.get_cuatrimestre_display()} {self.year}"

    @property
    def default_deadline(self):
        return legal_deadline(year=self.year, cuatrimestre=self.cuatrimestre)

    def clean(self):
        if self.cuatrimestre not in CUATRIMESTRES:
            return
        self.load_deadline = self.load_deadline or self.default_deadline
        self.oficio_deadline = self.oficio_deadline or self.default_deadline
        if self.load_deadline > self.oficio_deadline:
            raise ValidationError(
                {"load_deadline": _("La carga de cifras debe cerrar antes o el mismo día que el plazo del oficio.")}
            )

    def save(self, *args, **kwargs):
        self.load_deadline = self.load_deadline or self.default_deadline
        self.oficio_deadline = self.oficio_deadline or self.default_deadline
        super().save(*args, **kwargs)


class Circular(models.Model):
    """The SEGEPLAN circular that asks for a cuatrimestre's report; its oficio cites it. Kept apart from the
    entry window (Period): a cuatrimestre may have its circular without a window set."""

    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"), choices=CUATRIMESTRE_CHOICES)
    number = models.CharField(
        _("circular de SEGEPLAN"),
        max_length=120,
        help_text=_("Como la cita el oficio, p. ej. OFICIO CIRCULAR-SPPD-DASP-01-2024/rdlo."),
    )

    class Meta:
        ordering = ["-year", "-cuatrimestre"]
        verbose_name = _("circular de SEGEPLAN")
        verbose_name_plural = _("circulares de SEGEPLAN")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cuatrimestre"],
                name="circular_unique",
                violation_error_message=_("Ya existe la circular de ese cuatrimestre."),
            )
        ]

    def __str__(self):
        return f"{self.get_cuatrimestre_display()} {self.year}: {self.number}"


class PeriodExtension(models.Model):
    """A later load deadline (and oficio deadline) granted to one institution."""

    period = models.ForeignKey(Period, verbose_name=_("período"), on_delete=models.CASCADE, related_name="extensions")
    institution = models.ForeignKey(
        "goals.Institution", verbose_name=_("institución"), on_delete=models.CASCADE, related_name="period_extensions"
    )
    load_deadline = models.DateField(_("nuevo último día para cargar cifras"))
    oficio_deadline = models.DateField(_("nuevo último día para enviar el oficio"), null=True, blank=True)
    reason = long_text_field(_("motivo"), blank=True)

    class Meta:
        verbose_name = _("prórroga")
        verbose_name_plural = _("prórrogas")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "institution"],
                name="period_extension_unique",
                violation_error_message=_("La institución ya tiene una prórroga para ese período."),
            )
        ]

    def __str__(self):
        return f"{self.period} — {self.institution.code}"


class DocumentKind(models.TextChoices):
    REPORT_PDF = "pdf", _("Reporte (PDF)")
    XLSX = "xlsx", _("Reporte (Excel)")
    OFICIO = "oficio", _("Oficio (PDF)")
    PACKAGE = "paquete", _("Paquete: oficio y reporte (PDF)")


def stored_document_path(document, filename):
    report = document.snapshot.report
    return f"aprobados/{report.institution.code}/{report.year}/C{report.cuatrimestre}/{document.sha256}/{filename}"


class StoredFile(models.Model):
    """A file made once and served as is, byte for byte: its SHA-256 and size, when and by whom it was stored.
    Each concrete model adds its `file` (a FileField whose upload_to names the folder) and what it belongs to;
    approvals.documents.store_file stores one."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    created_at = models.DateTimeField(_("guardado el"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("guardado por"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    def read(self):
        with self.file.open("rb") as stored:
            return stored.read()


class StoredDocument(StoredFile):
    """One file of an approved report, made once at approval (or signed later by the director) and served as is."""

    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("documento"), max_length=8, choices=DocumentKind.choices)
    signed = models.BooleanField(_("firmado"), default=False)
    file = models.FileField(_("archivo"), upload_to=stored_document_path, max_length=255)

    class Meta:
        ordering = ["snapshot", "signed", "kind"]
        verbose_name = _("documento aprobado")
        verbose_name_plural = _("documentos aprobados")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind", "signed"], name="one_stored_document_per_kind"),
        ]

    def __str__(self):
        return f"{self.snapshot} — {self.get_kind_display()}"


class Justification(models.Model):
    """The planner's answer to a deviation of a cuatrimestre's report: what happened and what will be done.

    Keyed like the import template: the product's name, the subproduct's (blank for the product's own row; for an
    empty month, `product` is the month's name) and the kind of deviation.
    """

    institution = models.ForeignKey(
        "goals.Institution", verbose_name=_("institución"), on_delete=models.PROTECT, related_name="justifications"
    )
    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"), choices=CUATRIMESTRE_CHOICES)
    product = text_field(_("producto"), max_length=255)
    subproduct = text_field(_("subproducto"), max_length=255, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=DeviationKind.choices)
    text = long_text_field(_("justificación"), max_length=JUSTIFICATION_MAX_CHARS)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escrita por"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Vacío: importada desde la línea de órdenes (import_data) sin --user."),
    )
    updated_at = models.DateTimeField(_("modificada el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "year", "cuatrimestre", "product", "subproduct", "kind"]
        verbose_name = _("justificación de desviación")
        verbose_name_plural = _("justificaciones de desviaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "cuatrimestre", "product", "subproduct", "kind"],
                name="one_justification_per_deviation",
                violation_error_message=_("Esa desviación ya tiene justificación."),
            )
        ]

    def __str__(self):
        return f"{self.institution.code} {self.year}-{self.cuatrimestre} {self.product} {self.subproduct} ({self.kind})"

    @property
    def key(self):
        return self.product, self.subproduct, self.kind


class RequiredJustification(models.Model):
    """A kind of deviation the institution requires justified before a report is sent to review."""

    institution = models.ForeignKey(
        "goals.Institution",
        verbose_name=_("institución"),
        on_delete=models.CASCADE,
        related_name="required_justifications",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=DeviationKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "kind"]
        verbose_name = _("justificación obligatoria")
        verbose_name_plural = _("justificaciones obligatorias")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"],
                name="required_justification_unique",
                violation_error_message=_("Ese tipo ya es obligatorio para la institución."),
            )
        ]

    def __str__(self):
        return f"{self.institution.code} — {self.get_kind_display()}"


class ReportComment(models.Model):
    """One message of the conversation on a report between the institution's planners and its director."""

    report = models.ForeignKey(
        CuatrimestreReport, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("fecha y hora"), auto_now_add=True)
    text = long_text_field(_("comentario"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("comentario del reporte")
        verbose_name_plural = _("comentarios del reporte")

    def __str__(self):
        return f"{self.report} — {self.author}"
