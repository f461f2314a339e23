from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import tokens, views


class CodeConverter:
    """An institution's code (IGM): letters, digits, - and _."""

    regex = "[A-Za-z0-9_-]{1,20}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class Sha256Converter(CodeConverter):
    regex = "[0-9a-f]{64}"


class YearConverter:
    """Four digits; a year outside 2000–2100 is then a (JSON) 404."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(CodeConverter, "code")
register_converter(Sha256Converter, "sha256")
register_converter(YearConverter, "year")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("token/", tokens.token_page, name="token"),
    path("v1/institutions/", views.InstitutionList.as_view(), name="institutions"),
    path("v1/institutions/<code:code>/", views.InstitutionDetail.as_view(), name="institution"),
    path("v1/institutions/<code:code>/years/", views.YearList.as_view(), name="years"),
    path("v1/institutions/<code:code>/years/<year:year>/plan/", views.PlanView.as_view(), name="plan"),
    path("v1/execution/products/", views.ProductExecutionList.as_view(), name="product_execution"),
    path("v1/execution/subproducts/", views.SubproductExecutionList.as_view(), name="subproduct_execution"),
    path("v1/programme/products/", views.ProductProgrammeList.as_view(), name="product_programme"),
    path("v1/programme/subproducts/", views.SubproductProgrammeList.as_view(), name="subproduct_programme"),
    path("v1/reports/", views.ApprovedReportList.as_view(), name="reports"),
    path("v1/reports/<sha256:sha256>/", views.ApprovedReportDetail.as_view(), name="report"),
    path("v1/reports/<sha256:sha256>/content/", views.ApprovedReportContent.as_view(), name="report_content"),
]
