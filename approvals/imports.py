"""The `justificacion` import template: the planner's justifications of a cuatrimestre's deviations, from a spreadsheet.

Registered into goals.imports in ApprovalsConfig.ready() (goals may not import approvals), it behaves like goals'
own templates: every row checked first, all or nothing, errors by row and column, a preview of what changes. A row
answers a deviation the report has (the justification page's rule, approvals.justifications.deviations) while the
report is a draft; the planner imports only for his institution.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import roles
from goals.freeze import lock_institutions
from goals.import_preview import Change
from goals.imports import Importer, RowError, Template, institutions_by_code
from goals.writes import signed
from reports.alert_kinds import DeviationKind
from reports.computation import build_report
from reports.services import ReportNotFound, ensure_report_exists

from .justifications import deviations, ensure_draft
from .models import CUATRIMESTRE_CHOICES, JUSTIFICATION_MAX_CHARS, Justification

JUSTIFICATION_COLUMNS = ["institucion", "anio", "cuatrimestre", "producto", "subproducto", "tipo", "texto"]
KIND_CODES = ", ".join(DeviationKind.values)
COLUMN_HELP = {
    "cuatrimestre": gettext_lazy("Cuatrimestre del reporte: 1, 2 o 3."),
    "producto": gettext_lazy(
        "Producto de la alerta o del semáforo; para un mes sin datos (mes_vacio), el mes como lo nombra la alerta, "
        "por ejemplo «Septiembre 2024»."
    ),
    "subproducto": gettext_lazy("Subproducto de la alerta; vacío para el producto mismo o para un mes sin datos."),
    "tipo": format_lazy(
        gettext_lazy(
            "Tipo de desviación: {codes}. «producto» es el semáforo de un producto en Atención o Rezagado; los "
            "demás, el tipo de la alerta."
        ),
        codes=KIND_CODES,
    ),
    "texto": format_lazy(
        gettext_lazy("La justificación: qué pasó y qué se hará (hasta {limit} caracteres)."),
        limit=f"{JUSTIFICATION_MAX_CHARS:,}",
    ),
}


def cuatrimestre_title(year, cuatrimestre):
    return f"{dict(CUATRIMESTRE_CHOICES)[cuatrimestre]} {year}"


class JustificationImporter(Importer):
    def check(self):
        institutions = institutions_by_code(self.rows)
        self.answers = {}
        seen = {}
        may_justify = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions)
            year = row.year()
            cuatrimestre = row.integer("cuatrimestre", 1, 3, _("el cuatrimestre debe ser 1, 2 o 3, no «%(value)s»."))
            product, subproduct = row.text("producto"), row.text("subproducto", required=False)
            kind = row.text("tipo").lower()
            if kind and kind not in DeviationKind.values:
                row.error(
                    "tipo", _("debe ser uno de %(codes)s, no «%(value)s».") % {"codes": KIND_CODES, "value": kind}
                )
            text = row.text("texto")
            if not (code and year and cuatrimestre and product and kind in DeviationKind.values and text):
                continue
            institution = institutions[code]
            if institution not in may_justify:
                may_justify[institution] = self.user is None or roles.can_submit(self.user, institution)
            if not may_justify[institution]:
                row.error("institucion", _("su rol no le permite justificar desviaciones."))
                continue
            key = (institution, year, cuatrimestre, product, subproduct, kind)
            if key in seen:
                row.error("tipo", _("repite la desviación de la fila %(row)s.") % {"row": seen[key]})
            seen[key] = row.number
            self.answers[key] = (text, row)
        self.check_deviations()
        self.check_reports()

    def reports(self):
        """{(institution, year, cuatrimestre): [(product, subproduct, kind, row) of each deviation the file justifies
        in that report]}, in the file's order."""
        found = {}
        for (institution, year, cuatrimestre, *deviation), (_text, row) in self.answers.items():
            found.setdefault((institution, year, cuatrimestre), []).append((*deviation, row))
        return found

    def check_deviations(self):
        """Each row names a deviation its report has, as the justification page lists them."""
        for (institution, year, cuatrimestre), justified in self.reports().items():
            try:
                ensure_report_exists(institution=institution, year=year, cuatrimestre=cuatrimestre)
            except ReportNotFound as error:
                justified[0][-1].error("anio", str(error))
                continue
            kinds = {}
            for deviation in deviations(
                institution=institution,
                report=build_report(institution=institution, year=year, cuatrimestre=cuatrimestre),
            ):
                kinds.setdefault((deviation.product, deviation.subproduct), []).append(deviation.kind)
            for product, subproduct, kind, row in justified:
                if kind in kinds.get((product, subproduct), []):
                    continue
                values = {"item": subproduct or product, "report": cuatrimestre_title(year, cuatrimestre)}
                if (product, subproduct) in kinds:
                    values["kinds"] = ", ".join(kinds[(product, subproduct)])
                    row.error(
                        "tipo", _("«%(item)s» no tiene esa desviación en el %(report)s; tiene: %(kinds)s.") % values
                    )
                else:
                    row.error(
                        "subproducto" if subproduct else "producto",
                        _("«%(item)s» no tiene alertas ni semáforo en Atención o Rezagado en el %(report)s.") % values,
                    )

    def check_reports(self):
        """A report in review or approved keeps its justifications as they are."""
        for (institution, year, cuatrimestre), justified in self.reports().items():
            try:
                ensure_draft(institution=institution, year=year, cuatrimestre=cuatrimestre)
            except ValidationError as error:
                self.errors.append(RowError(justified[0][-1].number, "cuatrimestre", " ".join(error.messages)))

    def hold(self):
        """Under the institutions' write lock, the reports are asked again: a submission since `check` refuses the
        file."""
        lock_institutions(*{institution for institution, *_rest in self.answers})
        self.check_reports()

    def write(self):
        reports = Q(pk__in=[])
        for institution, year, cuatrimestre in self.reports():
            reports |= Q(institution=institution, year=year, cuatrimestre=cuatrimestre)
        stored = {
            (j.institution_id, j.year, j.cuatrimestre, j.product, j.subproduct, j.kind): j
            for j in Justification.objects.filter(reports)
        }
        for (institution, year, cuatrimestre, product, subproduct, kind), (text, row) in self.answers.items():
            justification = stored.get((institution.pk, year, cuatrimestre, product, subproduct, kind))
            if justification is None:
                justification = Justification(
                    institution=institution, year=year, cuatrimestre=cuatrimestre, product=product,
                    subproduct=subproduct, kind=kind,
                )  # fmt: skip
                self.result.created += 1
                self.preview.mark_new(row.number)
            elif justification.text == text:
                self.preview.mark_unchanged(row.number)
                continue
            else:
                item = f"{subproduct or product} ({str(DeviationKind(kind).label).lower()})"
                period = cuatrimestre_title(year, cuatrimestre)
                self.preview.add_change(Change(row.number, item, "texto", justification.text, text, period))
                self.result.updated += 1
            justification.text = text
            justification.updated_by = self.user
            signed(justification, self.user).save()


def justification_rows(institution, year):
    """The year's justifications of the institution as rows of the template, ready to be imported back."""
    stored = Justification.objects.filter(institution=institution, year=year).order_by(
        "cuatrimestre", "product", "subproduct", "kind"
    )
    return [
        {
            "institucion": institution.code,
            "anio": year,
            "cuatrimestre": justification.cuatrimestre,
            "producto": justification.product,
            "subproducto": justification.subproduct,
            "tipo": justification.kind,
            "texto": justification.text,
        }
        for justification in stored
    ]


def justification_example(year, code, name):
    return [code, year, 3, "Dirección y Coordinación", "", DeviationKind.LATE_PRODUCT.value,
            "Compras de mobiliario adjudicadas en diciembre; se pagarán en enero."]  # fmt: skip


JUSTIFICATION = Template(
    kind="justificacion",
    label=gettext_lazy("Justificación de desviaciones"),
    columns=JUSTIFICATION_COLUMNS,
    importer=JustificationImporter,
    export=justification_rows,
    example=justification_example,
    help=COLUMN_HELP,
    text_fields={"texto": Justification._meta.get_field("text")},
)
