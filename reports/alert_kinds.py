"""What a justification answers: the kind of an alert (approvals.alerts) or, `producto`, a product whose
traffic light is «Atención» or «Rezagado» at the cuatrimestre's end (reports.progress)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviationKind(models.TextChoices):
    OVER_EXECUTION = "sobreejecucion", _("Sobreejecución")
    SPENDING_ON_ZERO_GOAL = "gasto_sin_meta", _("Gasto con meta financiera de 0.00")
    PROGRESS_GAP = "brecha_avance", _("Avance físico y financiero distantes")
    PRODUCT_NOT_SUM = "producto_no_suma", _("Producto distinto de la suma de sus subproductos")
    EMPTY_MONTH = "mes_vacio", _("Mes sin datos de ejecución")
    LATE_PRODUCT = "producto", _("Producto en Atención o Rezagado")
