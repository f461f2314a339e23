"""What the API returns. Amounts and quantities are decimals written as strings with two places ("1234.50")."""

import dataclasses

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.models import ReportSnapshot
from goals.models import Institution, Product, Result, Subproduct
from reports.alert_kinds import DeviationKind
from reports.annex import frozen_evidence, frozen_justifications
from reports.computation import ReportInstitution


def amount(**kwargs):
    return serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, **kwargs)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["code", "name", "acronym"]


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()


class SubproductSerializer(serializers.ModelSerializer):
    physical_current = amount(help_text=_("Meta física vigente a la fecha consultada."))
    financial_current = amount(help_text=_("Meta financiera vigente (Q) a la fecha consultada."))

    class Meta:
        model = Subproduct
        fields = [
            "id",
            "name",
            "unit",
            "physical_initial",
            "physical_current",
            "financial_initial",
            "financial_current",
        ]


class ProductSerializer(serializers.ModelSerializer):
    financial_initial = amount(help_text=_("Suma de las metas financieras iniciales de sus subproductos."))
    physical_current = amount(help_text=_("Meta física vigente a la fecha consultada."))
    financial_current = amount(help_text=_("Suma de las metas financieras vigentes de sus subproductos."))
    subproducts = SubproductSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id", "name", "unit", "physical_initial", "physical_current",
            "financial_initial", "financial_current", "subproducts",
        ]  # fmt: skip


class ResultSerializer(serializers.ModelSerializer):
    products = ProductSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["id", "year", "link", "strategic_axis", "strategic_action", "description", "products"]


class ProductMonthSerializer(serializers.Serializer):
    """A product's month: physical only (a product's money is its subproducts')."""

    institution = serializers.CharField(source="institution_code")
    year = serializers.IntegerField(source="plan_year")
    month = serializers.IntegerField()
    product = serializers.IntegerField(source="product_ref")
    product_name = serializers.CharField()
    unit = serializers.CharField()
    physical = amount()


class SubproductMonthSerializer(ProductMonthSerializer):
    """A subproduct's month, physical and financial; `unit` is the subproduct's."""

    subproduct = serializers.IntegerField(source="subproduct_id")
    subproduct_name = serializers.CharField(source="item_name")
    financial = amount()


# The approved report's JSON (reports.computation.report_to_dict), described for the schema; it is served as stored.


class ReportFiguresSchema(serializers.Serializer):
    initial = amount()
    reprogrammings = serializers.IntegerField()
    current = amount()
    months = serializers.ListField(child=amount())
    total = amount()
    pct_period = amount()
    cumulative = amount()
    pct_cumulative = amount()
    pct_cumulative_initial = amount()


class ReportSubproductSchema(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    physical = ReportFiguresSchema()
    financial = ReportFiguresSchema()


class ReportProductSchema(ReportSubproductSchema):
    subproducts = ReportSubproductSchema(many=True)


class ReportSectionSchema(serializers.Serializer):
    link = serializers.CharField()
    strategic_axis = serializers.CharField()
    strategic_action = serializers.CharField()
    result = serializers.CharField()
    products = ReportProductSchema(many=True)


# The institution's fields as the report's dataclass has them: every one a text.
ReportInstitutionSchema = type(
    "ReportInstitutionSchema",
    (serializers.Serializer,),
    {field.name: serializers.CharField() for field in dataclasses.fields(ReportInstitution)},
)


class ReportSchema(serializers.Serializer):
    institution = ReportInstitutionSchema()
    year = serializers.IntegerField()
    cuatrimestre = serializers.IntegerField()
    months = serializers.ListField(child=serializers.IntegerField())
    sections = ReportSectionSchema(many=True)


class ApprovalSchema(serializers.Serializer):
    oficio_number = serializers.CharField()
    approved_at = serializers.DateTimeField()
    approved_by = serializers.CharField()


class JustificationSchema(serializers.Serializer):
    """The planner's justification of a deviation, as the approval froze it (absent from older approvals)."""

    product = serializers.CharField()
    subproduct = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=DeviationKind.choices)
    kind_label = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()
    written_by = serializers.CharField()
    written_at = serializers.DateTimeField()


class EvidenceSchema(serializers.Serializer):
    """A medio de verificación of the report's months, as the approval listed it (absent from older approvals): the
    file itself is not public."""

    product = serializers.CharField()
    subproduct = serializers.CharField(allow_blank=True)
    month = serializers.IntegerField(min_value=1, max_value=12)
    description = serializers.CharField()
    filename = serializers.CharField()
    size = serializers.IntegerField(min_value=0)
    sha256 = serializers.CharField(min_length=64, max_length=64)


class SnapshotContentSchema(serializers.Serializer):
    """The stored file, byte for byte: its SHA-256 is the report's."""

    approval = ApprovalSchema()
    report = ReportSchema()
    justifications = JustificationSchema(many=True, required=False)
    evidence = EvidenceSchema(many=True, required=False)


@extend_schema_field(ReportSchema)
class ReportContentField(serializers.Field):
    """The report exactly as approved: the snapshot's JSON, not re-serialized."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, snapshot):
        return snapshot.data["report"]


class ApprovedReportSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="report.institution.code")
    year = serializers.IntegerField(source="report.year")
    cuatrimestre = serializers.IntegerField(source="report.cuatrimestre")
    in_force = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:report", lookup_field="sha256")
    content_url = serializers.HyperlinkedIdentityField(view_name="api:report_content", lookup_field="sha256")

    class Meta:
        model = ReportSnapshot
        fields = [
            "sha256", "oficio_number", "institution", "year", "cuatrimestre",
            "approved_at", "in_force", "superseded_at", "url", "content_url",
        ]  # fmt: skip

    def get_in_force(self, snapshot) -> bool:
        return not snapshot.is_superseded


class ApprovedReportDetailSerializer(ApprovedReportSerializer):
    """The report as approved, with what its snapshot froze beside it (none for an approval made before they
    existed): the justifications and the list of medios de verificación, as stored."""

    report = ReportContentField()
    justifications = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta(ApprovedReportSerializer.Meta):
        fields = [*ApprovedReportSerializer.Meta.fields, "report", "justifications", "evidence"]

    @extend_schema_field(JustificationSchema(many=True))
    def get_justifications(self, snapshot):
        return frozen_justifications(snapshot)

    @extend_schema_field(EvidenceSchema(many=True))
    def get_evidence(self, snapshot):
        return frozen_evidence(snapshot)
