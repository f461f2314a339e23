"""Query filters of the lists: ?institution=IGM&year=2024&month=9 (and ?cuatrimestre=3 on reports)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from approvals.models import ReportSnapshot
from goals.models import FIRST_YEAR, LAST_YEAR
from goals.validators import WholeNumberField


class IntegerFilter(filters.NumberFilter):
    """A whole number: "9", not "9.5" (the schema says integer, from the model field)."""

    field_class = WholeNumberField


def institution_filter(path):
    return filters.CharFilter(field_name=f"{path}__institution__code", label=_("Código de la institución (IGM)"))


def year_filter(path):
    return IntegerFilter(field_name=f"{path}__year", min_value=FIRST_YEAR, max_value=LAST_YEAR, label=_("Año"))


def item_of(model):
    """ "product" or "subproduct": the plan row that a monthly model's records belong to."""
    return "subproduct" if model._meta.model_name.startswith("subproduct") else "product"


def product_of(model):
    """The lookup from a monthly record to its product: "product" or "subproduct__product"."""
    return "product" if item_of(model) == "product" else "subproduct__product"


def monthly_filterset(model):
    """The filters of a monthly list (execution or programme)."""
    result = f"{product_of(model)}__result"
    attributes = {
        "institution": institution_filter(result),
        "year": year_filter(result),
        "month": IntegerFilter(min_value=1, max_value=12, label=_("Mes (1–12)")),
        "Meta": type("Meta", (), {"model": model, "fields": []}),
    }
    return type(f"{model.__name__}FilterSet", (filters.FilterSet,), attributes)


class ApprovedReportFilter(filters.FilterSet):
    institution = institution_filter("report")
    year = year_filter("report")
    cuatrimestre = IntegerFilter(
        field_name="report__cuatrimestre", min_value=1, max_value=3, label=_("Cuatrimestre (1–3)")
    )
    in_force = filters.BooleanFilter(
        field_name="superseded_at",
        lookup_expr="isnull",
        label=_("Solo la versión vigente (true) o solo las sustituidas (false)"),
    )

    class Meta:
        model = ReportSnapshot
        fields = []
