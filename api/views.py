"""The read-only API. Approved reports and the institutions' names are public; the rest needs a token and
shows only the institutions the user may read (goals.access): another institution's data is a 404."""

from django.db.models import F
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from approvals.models import ReportSnapshot
from approvals.reading import readable_monthly_records
from goals.access import institution_for_user_or_404
from goals.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Institution,
    ProductExecution,
    ProductProgramme,
    Result,
    SubproductExecution,
    SubproductProgramme,
)
from goals.queries import plan_of
from goals.reading import readable_goals_as_of

from . import filters
from .plan import attach_current_goals, default_as_of
from .serializers import (
    ApprovedReportDetailSerializer,
    ApprovedReportSerializer,
    ErrorSerializer,
    InstitutionSerializer,
    ProductMonthSerializer,
    ResultSerializer,
    SnapshotContentSchema,
    SubproductMonthSerializer,
    YearSerializer,
)

NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No existe, o pertenece a otra institución."))
BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description=_("Un parámetro no es válido: el mensaje dice cuál."))
UNAUTHORIZED = OpenApiResponse(ErrorSerializer, description=_("Falta el token o no es válido."))
PUBLIC_ERRORS = {400: BAD_REQUEST, 401: UNAUTHORIZED, 404: NOT_FOUND}
TOKEN_ERRORS = {**PUBLIC_ERRORS, 403: OpenApiResponse(ErrorSerializer, description=_("Sin permiso."))}


def documented(serializer, errors, **kwargs):
    """The OpenAPI description of a GET: its body and every error it can answer."""
    return extend_schema_view(get=extend_schema(responses={200: serializer, **errors}, **kwargs))


class PublicMixin:
    permission_classes = [AllowAny]


@documented(InstitutionSerializer(many=True), PUBLIC_ERRORS, summary=_("Instituciones (público)"))
class InstitutionList(PublicMixin, generics.ListAPIView):
    queryset = Institution.objects.order_by("code")
    serializer_class = InstitutionSerializer


@documented(InstitutionSerializer, PUBLIC_ERRORS, summary=_("Una institución (público)"))
class InstitutionDetail(PublicMixin, generics.RetrieveAPIView):
    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    lookup_field = "code"


@documented(YearSerializer(many=True), TOKEN_ERRORS, summary=_("Años con plan de una institución"))
class YearList(generics.ListAPIView):
    queryset = Result.objects.none()
    serializer_class = YearSerializer

    def get_queryset(self):
        institution = institution_for_user_or_404(self.request.user, self.kwargs["code"])
        return Result.objects.filter(institution=institution).values("year").distinct().order_by("-year")


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


@documented(
    ResultSerializer(many=True),
    TOKEN_ERRORS,
    summary=_("Plan de un año: resultados → productos → subproductos, con metas iniciales y vigentes"),
    parameters=[
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            description=_(
                "Metas vigentes a esta fecha (AAAA-MM-DD); por omisión hoy, o el 31 de diciembre si el año terminó."
            ),
        )
    ],
)
class PlanView(generics.ListAPIView):
    """The year's results, a page at a time, each with its products and their subproducts."""

    serializer_class = ResultSerializer
    filter_backends = []

    def get_queryset(self):
        self.institution = institution_for_user_or_404(self.request.user, self.kwargs["code"])
        self.year = self.kwargs["year"]
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise Http404(_("Año fuera de rango."))
        return plan_of(institution=self.institution, year=self.year)

    def list(self, request, *args, **kwargs):
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if not queryset.exists():
            message = _("%(institution)s no tiene plan para el año %(year)s.")
            raise Http404(message % {"institution": self.institution.code, "year": self.year})
        as_of = readable_goals_as_of(
            user=request.user,
            institution=self.institution,
            year=self.year,
            as_of=params.validated_data.get("as_of") or default_as_of(self.year),
        )
        if as_of is None:
            message = _("%(institution)s no tiene aún un reporte aprobado del año %(year)s.")
            raise Http404(message % {"institution": self.institution.code, "year": self.year})
        page = self.paginate_queryset(queryset)
        attach_current_goals(page, self.institution, self.year, as_of)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MonthlyList(generics.ListAPIView):
    """Monthly figures (execution or programme) that the user may read (approvals.reading)."""

    model = None

    def get_queryset(self):
        item, product = filters.item_of(self.model), filters.product_of(self.model)
        result = f"{product}__result"
        ordering = [f"{result}__year", "month", f"{result}__order", f"{product}__order", f"{item}__order", "id"]
        return (
            readable_monthly_records(self.model.objects.all(), self.request.user, result)
            .annotate(
                institution_code=F(f"{result}__institution__code"),
                plan_year=F(f"{result}__year"),
                product_ref=F(product),
                product_name=F(f"{product}__name"),
                item_name=F(f"{item}__name"),
                unit=F(f"{item}__unit"),
            )
            .order_by(*dict.fromkeys(ordering))
        )


def monthly_view(model, summary):
    """The list view of a monthly model, documented."""
    serializer = SubproductMonthSerializer if filters.item_of(model) == "subproduct" else ProductMonthSerializer
    attributes = {"model": model, "serializer_class": serializer, "filterset_class": filters.monthly_filterset(model)}
    view = type(f"{model.__name__}List", (MonthlyList,), attributes)
    return documented(serializer(many=True), TOKEN_ERRORS, summary=summary)(view)


ProductExecutionList = monthly_view(ProductExecution, _("Ejecución física mensual de los productos"))
SubproductExecutionList = monthly_view(
    SubproductExecution, _("Ejecución física y financiera mensual de los subproductos")
)
ProductProgrammeList = monthly_view(ProductProgramme, _("Programación física mensual de los productos"))
SubproductProgrammeList = monthly_view(
    SubproductProgramme, _("Programación física y financiera mensual de los subproductos")
)


class ApprovedReportMixin(PublicMixin):
    queryset = ReportSnapshot.objects.select_related("report__institution").order_by("-approved_at", "-id")
    lookup_field = "sha256"


def conditional(request, etag, modified_at, render):
    """304 Not Modified when the client's copy is current (If-None-Match / If-Modified-Since), else render()."""
    timestamp = int(modified_at.timestamp())  # HTTP dates have whole seconds
    response = get_conditional_response(request, etag=etag, last_modified=timestamp) or render()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, no-cache"
    return response


@documented(ApprovedReportSerializer(many=True), PUBLIC_ERRORS, summary=_("Reportes aprobados (público)"))
class ApprovedReportList(ApprovedReportMixin, generics.ListAPIView):
    serializer_class = ApprovedReportSerializer
    filterset_class = filters.ApprovedReportFilter


@documented(
    ApprovedReportDetailSerializer,
    PUBLIC_ERRORS,
    summary=_("Un reporte aprobado con sus cifras congeladas (público)"),
    description=_(
        "ETag: el SHA-256 de la versión aprobada (con «-superseded» cuando fue sustituida por una reapertura); "
        "Last-Modified: la aprobación o la reapertura. Responde 304 a If-None-Match / If-Modified-Since."
    ),
)
class ApprovedReportDetail(ApprovedReportMixin, generics.RetrieveAPIView):
    serializer_class = ApprovedReportDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        snapshot = self.get_object()
        etag = f'"{snapshot.sha256}-superseded"' if snapshot.is_superseded else f'"{snapshot.sha256}"'
        return conditional(
            request,
            etag,
            snapshot.superseded_at or snapshot.approved_at,
            lambda: Response(self.get_serializer(snapshot).data),
        )


@documented(
    SnapshotContentSchema,
    PUBLIC_ERRORS,
    summary=_("El archivo JSON aprobado, byte por byte (público)"),
    description=_("Su SHA-256 es el del reporte: sirve para verificar una copia. ETag: ese SHA-256."),
)
class ApprovedReportContent(ApprovedReportMixin, generics.RetrieveAPIView):
    serializer_class = SnapshotContentSchema

    def retrieve(self, request, *args, **kwargs):
        snapshot = self.get_object()
        return conditional(
            request,
            f'"{snapshot.sha256}"',
            snapshot.approved_at,
            lambda: HttpResponse(snapshot.content, content_type="application/json; charset=utf-8"),
        )
