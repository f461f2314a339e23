"""The consolidated report for the Congress: per institution, its products with their physical and financial
progress to a cuatrimestre's end, and the institution's financial totals.

Plain functions over plain data: the input is the report JSON (reports.computation.report_to_dict's shape) of
each institution's approved snapshot, never live tables, so the same approvals always give the same figures.
Physical goals are in each product's own unit and are not added up; money is, per institution and overall.
"""

import datetime
import io
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from goals.figures import percentage
from siplan.spreadsheets import neutralise

from .document_language import in_document_language
from .xlsx import dated_workbook

MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class CongressRow:
    link: str
    result: str
    product: str
    unit: str
    physical_current: Decimal
    physical_cumulative: Decimal
    physical_pct: Decimal
    financial_current: Decimal
    financial_cumulative: Decimal
    financial_pct: Decimal


@dataclass(frozen=True)
class InstitutionBlock:
    code: str
    name: str
    rows: tuple[CongressRow, ...]

    @property
    def financial_current(self) -> Decimal:
        return sum((row.financial_current for row in self.rows), Decimal("0.00"))

    @property
    def financial_cumulative(self) -> Decimal:
        return sum((row.financial_cumulative for row in self.rows), Decimal("0.00"))

    @property
    def financial_pct(self) -> Decimal:
        return percentage(self.financial_cumulative, self.financial_current)


def product_row(*, section: dict, product: dict) -> CongressRow:
    physical, financial = product["physical"], product["financial"]
    return CongressRow(
        link=section["link"],
        result=section["result"],
        product=product["name"],
        unit=product["unit"],
        physical_current=Decimal(physical["current"]),
        physical_cumulative=Decimal(physical["cumulative"]),
        physical_pct=Decimal(physical["pct_cumulative"]),
        financial_current=Decimal(financial["current"]),
        financial_cumulative=Decimal(financial["cumulative"]),
        financial_pct=Decimal(financial["pct_cumulative"]),
    )


def institution_block(*, report: dict) -> InstitutionBlock:
    """One institution's products, in report order, from its approved report's JSON."""
    rows = tuple(
        product_row(section=section, product=product)
        for section in report["sections"]
        for product in section["products"]
    )
    return InstitutionBlock(code=report["institution"]["code"], name=report["institution"]["name"], rows=rows)


def block_to_dict(block: InstitutionBlock) -> dict:
    """The block as frozen JSON: its rows (decimals as text) and its financial totals."""
    return {
        "code": block.code,
        "name": block.name,
        "rows": [{name: str(value) for name, value in asdict(row).items()} for row in block.rows],
        "financial_current": str(block.financial_current),
        "financial_cumulative": str(block.financial_cumulative),
        "financial_pct": str(block.financial_pct),
    }


def block_from_dict(data: dict) -> InstitutionBlock:
    """The block `block_to_dict` froze (its totals are recomputed, the same figures)."""
    rows = tuple(
        CongressRow(
            link=row["link"],
            result=row["result"],
            product=row["product"],
            unit=row["unit"],
            physical_current=Decimal(row["physical_current"]),
            physical_cumulative=Decimal(row["physical_cumulative"]),
            physical_pct=Decimal(row["physical_pct"]),
            financial_current=Decimal(row["financial_current"]),
            financial_cumulative=Decimal(row["financial_cumulative"]),
            financial_pct=Decimal(row["financial_pct"]),
        )
        for row in data["rows"]
    )
    return InstitutionBlock(code=data["code"], name=data["name"], rows=rows)


def congress_blocks(*, reports: list[dict]) -> list[InstitutionBlock]:
    """Every institution's block, by institution code."""
    return sorted((institution_block(report=report) for report in reports), key=lambda block: block.code)


def overall_totals(*, blocks: list[InstitutionBlock]) -> tuple[Decimal, Decimal, Decimal]:
    """(current financial goal, cumulative execution, percentage) of every institution together."""
    current = sum((block.financial_current for block in blocks), Decimal("0.00"))
    cumulative = sum((block.financial_cumulative for block in blocks), Decimal("0.00"))
    return current, cumulative, percentage(cumulative, current)


def headers() -> list[str]:
    return [
        _("Institución"), _("Vinculación"), _("Resultado"), _("Producto"), _("Unidad de medida"),
        _("Meta física vigente"), _("Ejecución física acumulada"), _("% físico"),
        _("Meta financiera vigente (Q)"), _("Ejecución financiera acumulada (Q)"), _("% financiero"),
    ]  # fmt: skip


@in_document_language
def render_congress_xlsx(
    *,
    blocks: list[InstitutionBlock],
    year: int,
    cuatrimestre: int,
    missing: list[tuple[str, str]] | None = None,
    approved_at: datetime.datetime | None = None,
) -> bytes:
    """One sheet: each institution's products then its total line, and the total of all at the end; with
    `missing` ((code, name) of the institutions without an approved report), a second sheet lists them. Dated
    `approved_at` (creation, modification and zip entries), the same blocks always give the same bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Congreso %(year)s C%(cuatrimestre)s") % {"year": year, "cuatrimestre": cuatrimestre}
    workbook.properties.title = _("Reporte consolidado para el Congreso - %(year)s C%(cuatrimestre)s") % {
        "year": year,
        "cuatrimestre": cuatrimestre,
    }
    workbook.properties.creator = "siplan"
    bold = Font(bold=True)
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = bold
    for block in blocks:
        for row in block.rows:
            sheet.append([neutralise(value) for value in (
                block.code, row.link, row.result, row.product, row.unit,
                row.physical_current, row.physical_cumulative, row.physical_pct,
                row.financial_current, row.financial_cumulative, row.financial_pct,
            )])  # fmt: skip
        total_line(sheet, _("Total %(code)s") % {"code": block.code}, block.financial_current,
                   block.financial_cumulative, block.financial_pct, bold)  # fmt: skip
    total_line(sheet, _("Total general"), *overall_totals(blocks=blocks), bold)
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=11):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    if missing is not None:
        absent = workbook.create_sheet(_("Sin reporte aprobado"))
        absent.append([_("Código"), _("Institución")])
        for code, name in missing:
            absent.append([neutralise(code), neutralise(name)])
    if approved_at is not None:
        return dated_workbook(workbook, approved_at)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def total_line(sheet, label: str, current: Decimal, cumulative: Decimal, pct: Decimal, font: Font) -> None:
    sheet.append([label, "", "", "", "", None, None, None, current, cumulative, pct])
    for cell in sheet[sheet.max_row]:
        cell.font = font
