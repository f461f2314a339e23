"""The annual plan of an institution, its reprogrammings and its monthly execution.

A product has its own physical goal and execution; money lives only in subproducts, so a
product's financial figures are never stored (see DOMAIN.md).
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals import filetypes
from goals.periods import month_name
from goals.validators import validate_resolution_pdf

from .validators import AmountField, WholeNumberField, multi_line, single_line

ZERO = Decimal("0.00")


class AmountModelField(models.DecimalField):
    """A DecimalField whose forms (the admin's) read amounts as goals.validators.parse_amount does; the sign is
    left to the field's validators, which say what it allows."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountField, "allow_negative": True, **kwargs})


def amount_field(verbose_name, **kwargs) -> "models.DecimalField[Decimal | int | str, Decimal]":
    """A non-negative quantity or amount in quetzales, exact to the cent, up to 10^16."""
    return AmountModelField(
        verbose_name,
        max_digits=18,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO, message=_("La cifra no puede ser negativa."))],
        **kwargs,
    )


def text_field(verbose_name, **kwargs):
    """One line of text: no control or bidirectional-override characters (goals.validators.PlainText)."""
    return models.CharField(verbose_name, validators=[single_line], **kwargs)


def long_text_field(verbose_name, **kwargs):
    """Text of several lines: tabs and line breaks allowed, other control characters not."""
    return models.TextField(verbose_name, validators=[multi_line], **kwargs)


FIRST_YEAR, LAST_YEAR = 2000, 2100


class WholeNumberModelField(models.PositiveSmallIntegerField):
    """A month or a year: its forms (the admin's) read ASCII digits only (goals.validators.WholeNumberField)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WholeNumberField, **kwargs})


def year_field():
    return WholeNumberModelField(_("año"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)])


class LinkType(models.TextChoices):
    RI = "RI", _("RI/PGG")
    RE = "RE", _("RE")


class ReprogrammingStatus(models.TextChoices):
    PENDING = "pendiente", _("Pendiente")
    APPROVED = "aprobada", _("Aprobada")


class GoalKind(models.TextChoices):
    PHYSICAL = "fisica", _("Física")
    FINANCIAL = "financiera", _("Financiera")


class InstitutionType(models.TextChoices):
    MINISTRY = "ministerio", _("Ministerio")
    SECRETARIAT = "secretaria", _("Secretaría")
    DECENTRALISED = "descentralizada", _("Descentralizada")
    AUTONOMOUS = "autonoma", _("Autónoma")
    MUNICIPALITY = "municipalidad", _("Municipalidad")
    PUBLIC_COMPANY = "empresa_publica", _("Empresa pública")
    OTHER = "otra", _("Otra")


class Sector(models.TextChoices):
    """The purpose (finalidad) an institution serves, as the budget's functional classification names it."""

    GENERAL_SERVICES = "servicios_generales", _("Servicios públicos generales")
    DEFENCE = "defensa", _("Defensa")
    PUBLIC_ORDER = "seguridad", _("Orden público y seguridad ciudadana")
    DISASTERS = "desastres", _("Atención a desastres y gestión de riesgos")
    ECONOMY = "economia", _("Asuntos económicos")
    ENVIRONMENT = "ambiente", _("Protección ambiental")
    HOUSING = "urbanizacion", _("Urbanización y servicios comunitarios")
    HEALTH = "salud", _("Salud")
    CULTURE = "cultura", _("Actividades deportivas, recreativas, cultura y religión")
    EDUCATION = "educacion", _("Educación")
    SOCIAL_PROTECTION = "proteccion_social", _("Protección social")
    UNCLASSIFIED = "sin_clasificar", _("Sin clasificar")


class Institution(models.Model):
    code = text_field(_("código"), max_length=20, unique=True, help_text=_("Por ejemplo IGM."))
    name = text_field(_("nombre"), max_length=255)
    acronym = text_field(_("siglas"), max_length=30)
    institution_type = models.CharField(
        _("tipo de institución"), max_length=20, choices=InstitutionType.choices, default=InstitutionType.OTHER
    )
    sector = models.CharField(
        _("sector"),
        max_length=20,
        choices=Sector.choices,
        default=Sector.UNCLASSIFIED,
        help_text=_("La finalidad del clasificador presupuestario a la que sirve; agrupa el seguimiento de SEGEPLAN."),
    )
    authority_name = text_field(_("nombre de la máxima autoridad"), max_length=255, blank=True)
    authority_title = text_field(_("cargo de la máxima autoridad"), max_length=255, blank=True)
    address = long_text_field(_("dirección"), blank=True)
    phone = text_field(_("teléfono"), max_length=50, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    issuing_office = text_field(
        _("dependencia que emite el oficio"), max_length=30, default="DG", help_text=_("Por ejemplo DG.")
    )
    recipient_name = text_field(_("destinatario del oficio"), max_length=255, blank=True)
    recipient_title = text_field(
        _("cargo del destinatario"), max_length=255, default="Secretario General de Planificación"
    )
    recipient_entity = text_field(
        _("entidad del destinatario"),
        max_length=255,
        default="Secretaría de Planificación y Programación de la Presidencia",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self):
        return self.label(self.code, self.name)

    @staticmethod
    def label(code: str, name: str) -> str:
        """How lists and choices name an institution, also from its code and name read without the instance."""
        return f"{code} — {name}"


class Result(models.Model):
    """A block of the report: the result (RI/PGG or RE) that a set of products serves in a year."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.CASCADE, related_name="results"
    )
    year = year_field()
    link = models.CharField(_("vinculación"), max_length=2, choices=LinkType.choices)
    strategic_axis = text_field(_("eje estratégico"), max_length=500, blank=True)
    strategic_action = text_field(_("acción estratégica"), max_length=500, blank=True)
    description = long_text_field(_("resultado"))
    order = models.PositiveIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "year", "order", "id"]
        verbose_name = _("resultado")
        verbose_name_plural = _("resultados")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "link", "strategic_axis", "strategic_action", "description"],
                name="result_unique_per_year",
                violation_error_message=_("Este resultado ya existe para la institución y el año."),
            )
        ]

    def __str__(self):
        return f"{self.institution.code} {self.year} {self.get_link_display()}: {self.description[:80]}"


class PlanItem(models.Model):
    """What products and subproducts share: a name, a unit, a place in the plan, a physical goal."""

    name = text_field(_("nombre"), max_length=500)
    unit = text_field(_("unidad de medida"), max_length=100)
    order = models.PositiveIntegerField(_("orden"), default=0)
    physical_initial = amount_field(_("meta física inicial"))

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Product(PlanItem):
    result = models.ForeignKey(Result, verbose_name=_("resultado"), on_delete=models.CASCADE, related_name="products")
    history = HistoricalRecords()

    class Meta(PlanItem.Meta):
        verbose_name = _("producto")
        verbose_name_plural = _("productos")
        constraints = [
            models.UniqueConstraint(
                fields=["result", "name"],
                name="product_unique_name",
                violation_error_message=_("Ya existe un producto con este nombre en el resultado."),
            ),
            models.CheckConstraint(
                condition=Q(physical_initial__gte=0),
                name="product_physical_initial_non_negative",
                violation_error_message=_("La meta física inicial no puede ser negativa."),
            ),
        ]

    @property
    def institution(self):
        return self.result.institution

    @property
    def year(self):
        return self.result.year

    def clean(self):
        """Imports match products by name within an institution's year: keep names unique there."""
        if self.result_id is None:
            return
        clash = Product.objects.filter(
            result__institution_id=self.result.institution_id, result__year=self.result.year, name=self.name
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"name": _("Ya existe un producto con este nombre en el plan de ese año.")})


class Subproduct(PlanItem):
    product = models.ForeignKey(
        Product, verbose_name=_("producto"), on_delete=models.CASCADE, related_name="subproducts"
    )
    financial_initial = amount_field(_("meta financiera inicial (Q)"))
    history = HistoricalRecords()

    class Meta(PlanItem.Meta):
        verbose_name = _("subproducto")
        verbose_name_plural = _("subproductos")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "name"],
                name="subproduct_unique_name",
                violation_error_message=_("Ya existe un subproducto con este nombre en el producto."),
            ),
            models.CheckConstraint(
                condition=Q(physical_initial__gte=0) & Q(financial_initial__gte=0),
                name="subproduct_initial_non_negative",
                violation_error_message=_("Las metas iniciales no pueden ser negativas."),
            ),
        ]


class Reprogramming(models.Model):
    """A resolution that changes goals during the year; it counts from its date on."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.CASCADE, related_name="reprogrammings"
    )
    number = text_field(_("número de documento"), max_length=60, help_text=_("Por ejemplo RES-014-2024."))
    date = models.DateField(_("fecha"))
    justification = long_text_field(_("justificación"), blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=ReprogrammingStatus.choices, default=ReprogrammingStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aprobada por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("aprobada el"), null=True, blank=True)
    resolution_pdf = models.FileField(
        _("resolución (PDF)"),
        upload_to="reprogramaciones/%Y/",
        blank=True,
        validators=[validate_resolution_pdf],
        help_text=_("El PDF de la resolución, de hasta 5 MB."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("reprogramación")
        verbose_name_plural = _("reprogramaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"],
                name="reprogramming_unique_number",
                violation_error_message=_("Ya existe una reprogramación con este número en la institución."),
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.date:%Y-%m-%d})"

    @property
    def is_approved(self):
        return self.status == ReprogrammingStatus.APPROVED

    def approved_refusal(self):
        """Why an approved document refuses a change: only its audited reopening makes it pending again."""
        return _(
            "La reprogramación %(number)s está aprobada y no puede cambiar; el director debe reabrirla primero."
        ) % {"number": self.number}


class ReprogrammingLine(models.Model):
    """The new current goal of one row: a product's physical goal, or a subproduct's goal of either kind."""

    reprogramming = models.ForeignKey(
        Reprogramming, verbose_name=_("reprogramación"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("producto"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reprogramming_lines",
    )
    subproduct = models.ForeignKey(
        Subproduct,
        verbose_name=_("subproducto"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reprogramming_lines",
    )
    kind = models.CharField(_("tipo de meta"), max_length=10, choices=GoalKind.choices)
    new_goal = amount_field(_("meta vigente nueva"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["reprogramming", "id"]
        verbose_name = _("línea de reprogramación")
        verbose_name_plural = _("líneas de reprogramación")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(product__isnull=False, subproduct__isnull=True, kind=GoalKind.PHYSICAL)
                    | Q(product__isnull=True, subproduct__isnull=False)
                ),
                name="reprogramming_line_target",
                violation_error_message=_(
                    "Indique un producto (solo meta física) o un subproducto, no ambos ni ninguno."
                ),
            ),
            models.CheckConstraint(
                condition=Q(new_goal__gte=0),
                name="reprogramming_line_non_negative",
                violation_error_message=_("La meta vigente nueva no puede ser negativa."),
            ),
            models.UniqueConstraint(
                fields=["reprogramming", "product", "kind"],
                condition=Q(product__isnull=False),
                name="reprogramming_line_unique_product",
                violation_error_message=_("El documento ya cambia esta meta del producto."),
            ),
            models.UniqueConstraint(
                fields=["reprogramming", "subproduct", "kind"],
                condition=Q(subproduct__isnull=False),
                name="reprogramming_line_unique_subproduct",
                violation_error_message=_("El documento ya cambia esta meta del subproducto."),
            ),
        ]

    def __str__(self):
        return f"{self.reprogramming.number}: {self.product or self.subproduct} ({self.get_kind_display()})"

    @property
    def target(self):
        return self.product or self.subproduct


class MonthlyFigures(models.Model):
    """A row's physical figure (and a subproduct's money) for one month of the fiscal year, and who last saved it."""

    month = WholeNumberModelField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    physical = amount_field(_("física"))
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modificado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="%(class)s_month_1_12",
                violation_error_message=_("El mes debe estar entre 1 y 12."),
            ),
            models.CheckConstraint(
                condition=Q(physical__gte=0),
                name="%(class)s_physical_non_negative",
                violation_error_message=_("La cifra física no puede ser negativa."),
            ),
        ]

    @property
    def row(self):
        """The product or subproduct these figures belong to."""
        return self.product if hasattr(self, "product_id") else self.subproduct

    def __str__(self):
        return f"{self.row} — {self.month:02d}"


class MonthlyExecution(MonthlyFigures):
    """What was delivered in one month of the fiscal year; one record per row and month."""

    physical = amount_field(_("ejecución física"))

    class Meta(MonthlyFigures.Meta):
        abstract = True


class ProductExecution(MonthlyExecution):
    product = models.ForeignKey(
        Product, verbose_name=_("producto"), on_delete=models.CASCADE, related_name="executions"
    )
    history = HistoricalRecords()

    class Meta(MonthlyExecution.Meta):
        verbose_name = _("ejecución mensual de producto")
        verbose_name_plural = _("ejecución mensual de productos")
        constraints = MonthlyExecution.Meta.constraints + [
            models.UniqueConstraint(
                fields=["product", "month"],
                name="product_execution_unique_month",
                violation_error_message=_("Ya hay ejecución de este producto para ese mes."),
            )
        ]


class SubproductExecution(MonthlyExecution):
    subproduct = models.ForeignKey(
        Subproduct, verbose_name=_("subproducto"), on_delete=models.CASCADE, related_name="executions"
    )
    financial = amount_field(_("ejecución financiera (Q)"))
    history = HistoricalRecords()

    class Meta(MonthlyExecution.Meta):
        verbose_name = _("ejecución mensual de subproducto")
        verbose_name_plural = _("ejecución mensual de subproductos")
        constraints = MonthlyExecution.Meta.constraints + [
            models.UniqueConstraint(
                fields=["subproduct", "month"],
                name="subproduct_execution_unique_month",
                violation_error_message=_("Ya hay ejecución de este subproducto para ese mes."),
            ),
            models.CheckConstraint(
                condition=Q(financial__gte=0),
                name="subproductexecution_financial_non_negative",
                violation_error_message=_("La ejecución financiera no puede ser negativa."),
            ),
        ]


class MonthlyProgramme(MonthlyFigures):
    """What the plan schedules for one month (SIPLAN's programación mensual); no record means no programme.

    The months of a row may not add up to more than its current goal (goals.programme checks it).
    """

    physical = amount_field(_("programación física"))

    class Meta(MonthlyFigures.Meta):
        abstract = True


class ProductProgramme(MonthlyProgramme):
    product = models.ForeignKey(Product, verbose_name=_("producto"), on_delete=models.CASCADE, related_name="programme")
    history = HistoricalRecords()

    class Meta(MonthlyProgramme.Meta):
        verbose_name = _("programación mensual de producto")
        verbose_name_plural = _("programación mensual de productos")
        constraints = MonthlyProgramme.Meta.constraints + [
            models.UniqueConstraint(
                fields=["product", "month"],
                name="product_programme_unique_month",
                violation_error_message=_("Ya hay programación de este producto para ese mes."),
            )
        ]


class SubproductProgramme(MonthlyProgramme):
    subproduct = models.ForeignKey(
        Subproduct, verbose_name=_("subproducto"), on_delete=models.CASCADE, related_name="programme"
    )
    financial = amount_field(_("programación financiera (Q)"))
    history = HistoricalRecords()

    class Meta(MonthlyProgramme.Meta):
        verbose_name = _("programación mensual de subproducto")
        verbose_name_plural = _("programación mensual de subproductos")
        constraints = MonthlyProgramme.Meta.constraints + [
            models.UniqueConstraint(
                fields=["subproduct", "month"],
                name="subproduct_programme_unique_month",
                violation_error_message=_("Ya hay programación de este subproducto para ese mes."),
            ),
            models.CheckConstraint(
                condition=Q(financial__gte=0),
                name="subproductprogramme_financial_non_negative",
                violation_error_message=_("La programación financiera no puede ser negativa."),
            ),
        ]


class EvidenceType(models.TextChoices):
    """The kinds of file a medio de verificación may be, by content type (goals.evidence reads it from the bytes)."""

    PDF = filetypes.PDF, _("PDF")
    PNG = filetypes.PNG, _("imagen PNG")
    JPEG = filetypes.JPEG, _("imagen JPEG")
    XLSX = filetypes.XLSX, _("libro de Excel (.xlsx)")
    DOCX = filetypes.DOCX, _("documento de Word (.docx)")


def evidence_path(instance, filename):
    """evidencia/<institution id>/<year>/<random name>.<extension>: never the uploader's name, never a public URL (the
    files are served by a view that checks the reader)."""
    return f"evidencia/{instance.institution_id}/{instance.year}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Evidence(models.Model):
    """A medio de verificación: a file backing one month's figures of a product or a subproduct.

    Attached and removed through goals.evidence while the month is not frozen; an approved report's list of them
    (with each file's SHA-256) is frozen into its snapshot.
    """

    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.CASCADE, related_name="evidence"
    )
    year = year_field()
    month = WholeNumberModelField(_("mes"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    product = models.ForeignKey(
        Product, verbose_name=_("producto"), on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    subproduct = models.ForeignKey(
        Subproduct,
        verbose_name=_("subproducto"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    description = text_field(_("descripción"), max_length=200)
    file = models.FileField(_("archivo"), upload_to=evidence_path, max_length=150)
    original_name = text_field(_("nombre del archivo"), max_length=120)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("tipo de archivo"), max_length=100, choices=EvidenceType.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("adjuntado por"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("adjuntado el"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["institution", "year", "month", "id"]
        verbose_name = _("medio de verificación")
        verbose_name_plural = _("medios de verificación")
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, subproduct__isnull=True)
                | Q(product__isnull=True, subproduct__isnull=False),
                name="evidence_product_or_subproduct",
                violation_error_message=_("Indique un producto o un subproducto, no ambos ni ninguno."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="evidence_month_1_12",
                violation_error_message=_("El mes debe estar entre 1 y 12."),
            ),
        ]

    def __str__(self):
        return f"{self.row} — {self.month:02d}/{self.year}: {self.original_name}"

    @property
    def row(self):
        """The product or subproduct the file backs."""
        return self.product if self.product_id else self.subproduct

    @property
    def month_label(self):
        """ "septiembre 2024"."""
        return f"{month_name(self.month)} {self.year}"

    def clean(self):
        """The row belongs to the institution's plan of the year."""
        row = self.row
        if row is None:
            return
        result = row.result if self.product_id else row.product.result
        if (result.institution_id, result.year) != (self.institution_id, self.year):
            raise ValidationError(_("El producto o subproducto no es del plan de esa institución y año."))


class FiguresVersion(models.Model):
    """How many times an institution's figures changed: bumped in the transaction of every write of what a page of
    figures reads (goals.versions), so a cached computation is keyed by it and never served stale."""

    institution = models.OneToOneField(
        Institution, primary_key=True, on_delete=models.CASCADE, related_name="figures_version"
    )
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versión de las cifras")
        verbose_name_plural = _("versiones de las cifras")

    def __str__(self):
        return f"{self.institution_id}: {self.number}"
