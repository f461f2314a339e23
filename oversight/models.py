"""SEGEPLAN's consolidated report for the Congress of a year and cuatrimestre: built as a draft from the approved
snapshots of the institutions, approved by oversight staff, then stored once as PDF and Excel."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from approvals.models import CUATRIMESTRE_CHOICES, DocumentKind, ReportSnapshot, StoredFile, canonical_json
from goals.models import long_text_field


class CongressStatus(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    APPROVED = "aprobado", _("Aprobado")


class CongressReport(models.Model):
    """One version of the Congress report: its frozen rows (canonical JSON and its SHA-256), the institution
    snapshots they come from, and who built and approved it. A reopening keeps it, superseded, in the history."""

    year = models.PositiveSmallIntegerField(_("año"))
    cuatrimestre = models.PositiveSmallIntegerField(_("cuatrimestre"), choices=CUATRIMESTRE_CHOICES)
    status = models.CharField(_("estado"), max_length=10, choices=CongressStatus.choices, default=CongressStatus.DRAFT)
    content = models.TextField(_("contenido (JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    snapshots = models.ManyToManyField(
        "approvals.ReportSnapshot", verbose_name=_("reportes aprobados incluidos"), related_name="congress_reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("armado por"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("armado el"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aprobado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)
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
    # Who signed its PDF afterwards, and when: approved before SEGEPLAN's certificate was configured (congress.sign).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("firmado después por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("firmado después el"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-cuatrimestre", "-created_at", "-id"]
        verbose_name = _("reporte para el Congreso")
        verbose_name_plural = _("reportes para el Congreso")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cuatrimestre"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_congress_report_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(status=CongressStatus.DRAFT, superseded_at__isnull=True)
                | models.Q(status=CongressStatus.APPROVED, approved_at__isnull=False),
                name="congress_report_approved_dated",
            ),
        ]

    def __str__(self):
        return f"{self.get_cuatrimestre_display()} {self.year} ({self.get_status_display()})"

    def freeze(self, data):
        """Keep `data` (the rows, the snapshots they come from, the institutions missing) as canonical JSON and
        its SHA-256."""
        self.content = canonical_json(data)
        self.sha256 = ReportSnapshot.digest(self.content)

    @property
    def data(self):
        return json.loads(self.content)

    @property
    def is_approved(self):
        return self.status == CongressStatus.APPROVED

    @property
    def is_superseded(self):
        return self.superseded_at is not None


def congress_document_path(document, filename):
    report = document.report
    return f"congreso/{report.year}/C{report.cuatrimestre}/{document.sha256}/{filename}"


class CongressDocument(StoredFile):
    """The PDF or the Excel of an approved Congress report, made once and served as is; the PDF signed with
    SEGEPLAN's certificate when one is configured at approval, or stored unsigned with a signed copy beside it when
    signed later."""

    report = models.ForeignKey(CongressReport, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(
        _("documento"),
        max_length=8,
        choices=[(DocumentKind.REPORT_PDF.value, _("PDF")), (DocumentKind.XLSX.value, _("Excel"))],
    )
    file = models.FileField(_("archivo"), upload_to=congress_document_path, max_length=255)
    signed = models.BooleanField(_("firmado"), default=False)

    class Meta:
        ordering = ["report", "signed", "kind"]
        verbose_name = _("documento del reporte para el Congreso")
        verbose_name_plural = _("documentos del reporte para el Congreso")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "signed"], name="one_congress_document_per_kind")
        ]

    def __str__(self):
        return f"{self.report} — {self.get_kind_display()}"
