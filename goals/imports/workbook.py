"""The downloadable XLSX templates: headers, help for each column and an example row."""

import io
from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from goals.imports.columns import PROGRAMME_GROUPS
from goals.imports.registry import template
from goals.models import (
    GoalKind,
)
from goals.periods import month_name
from goals.programme import MONTHS
from siplan.spreadsheets import neutralise

PROGRAMME_HELP = {
    GoalKind.PHYSICAL: gettext_lazy(
        "Opcional: programación física de {month}. Sin las doce columnas prog_01 a prog_12 la programación "
        "física no cambia; con ellas, una celda vacía es 0. Los doce meses no pueden sumar más que la meta vigente."
    ),
    GoalKind.FINANCIAL: gettext_lazy(
        "Opcional: programación financiera de {month} en quetzales, solo en filas de subproducto. Sin las doce "
        "columnas progfin_01 a progfin_12 no cambia; con ellas, una celda vacía es 0. Los doce meses no pueden "
        "sumar más que la meta financiera vigente."
    ),
}
COLUMN_HELP = {
    "institucion": gettext_lazy("Código de la institución, por ejemplo IGM."),
    "institucion_nombre": gettext_lazy("Nombre de la institución; crea la institución si el código es nuevo."),
    "anio": gettext_lazy("Ejercicio fiscal, por ejemplo 2025."),
    "vinculacion": gettext_lazy("RI (vinculado a RI/PGG) o RE."),
    "eje_estrategico": gettext_lazy("Eje estratégico; puede ser «-» o quedar vacío."),
    "accion_estrategica": gettext_lazy("Acción estratégica; puede quedar vacía."),
    "resultado": gettext_lazy("Texto del resultado, o «Sin Resultado»."),
    "producto": gettext_lazy("Nombre del producto, único en el plan del año."),
    "subproducto": gettext_lazy("Nombre del subproducto; vacío para la fila del producto mismo."),
    "unidad": gettext_lazy("Unidad de medida: Persona, Documento, Obra…"),
    "meta_fisica_inicial": gettext_lazy("Meta física inicial anual, en la unidad de medida."),
    "meta_financiera_inicial": gettext_lazy(
        "Meta financiera inicial en quetzales; vacía en la fila del producto (es la suma de sus subproductos)."
    ),
    "documento": gettext_lazy(
        "Número de la resolución, por ejemplo RES-014-2024; las filas del mismo número forman un documento."
    ),
    "fecha": gettext_lazy("Fecha de la resolución, AAAA-MM-DD."),
    "tipo_meta": gettext_lazy("fisica o financiera (un producto solo se reprograma en su meta física)."),
    "meta_vigente_nueva": gettext_lazy("La meta vigente que fija el documento."),
    "justificacion": gettext_lazy("Justificación del documento."),
    "mes": gettext_lazy("Mes de 1 a 12."),
    "ejecucion_fisica": gettext_lazy("Ejecución física del mes."),
    "ejecucion_financiera": gettext_lazy("Ejecución financiera del mes en quetzales; vacía en la fila del producto."),
    **{
        column: format_lazy(PROGRAMME_HELP[kind], month=month_name(month))
        for kind, columns in PROGRAMME_GROUPS.items()
        for month, column in zip(MONTHS, columns)
    },
}
EXAMPLE_INSTITUTION = ("IGM", "Instituto Guatemalteco de Migración")
AMOUNT_FORMAT = "#,##0.00"


def plan_example(year, code, name):
    """The plan template's example row, for that year and institution, amounts as numbers: left in, it imports."""
    return [code, name, year, "RI", "-", "", "Sin Resultado", "Dirección y Coordinación", "Dirección y Coordinación",
            "Documento", 3, Decimal("277360806.00"),
            "", "", "", 1, "", "", "", 1, "", "", "", 1, *[Decimal("23113400.50")] * 12]  # fmt: skip


def reprogramming_example(year, code, name):
    return [code, year, f"RES-014-{year}", f"{year}-08-15", "Emision de Documentos Migratorios", "", "fisica",
            1138495, "Mayor demanda de pasaportes"]  # fmt: skip


def execution_example(year, code, name):
    return [code, year, 9, "Dirección y Coordinación", "Dirección y Coordinación", 1, Decimal("7147023.87")]


def template_workbook(*, kind, year, institution=None):
    """An empty import template: the header, an example row (for `year` and the institution, by default IGM),
    and a sheet that explains each column."""
    found = template(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append(found.all_columns)
    code, name = (institution.code, institution.name) if institution else EXAMPLE_INSTITUTION
    sheet.append([neutralise(value) for value in found.example(year, code, name)])
    for cell in sheet[2]:
        if isinstance(cell.value, Decimal):
            cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(_("Columnas"))
    help_sheet.append([_("Columna"), _("Significado")])
    explained = {**COLUMN_HELP, **found.help}
    for column in found.all_columns:
        help_sheet.append([column, str(explained[column])])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
