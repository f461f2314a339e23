"""The report as an Excel workbook: the SIPLAN layout on the first sheet, the same figures in long form on `Datos`.

Only renders a computed Report; every figure is a number cell. Text cells are written as strings, and
text that starts like a formula gets an apostrophe (siplan.spreadsheets.neutralise): no formula injection.
"""

import datetime
from copy import copy
from io import BytesIO
from weakref import WeakKeyDictionary
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from siplan.spreadsheets import neutralise

from .annex import (
    ANNEX_HEADINGS,
    ANNEX_TITLE,
    EVIDENCE_HEADINGS,
    EVIDENCE_TITLE,
    annex_rows,
    evidence_rows,
    frozen_evidence,
    frozen_justifications,
)
from .computation import approval_note
from .document_language import in_document_language

AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="DFE7F0")
PRODUCT_FILL = PatternFill("solid", fgColor="E8EEF5")
THIN = Side(style="thin", color="9AA7B5")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
REPORT_COLUMNS = 16
HEADER_ROWS = (7, 8)
# "Ejecución financiera" and "Metas física/financiera" fit their columns; headers wrap into the rows' heights.
WIDTHS = {"A": 48, "B": 14, "C": 12, "D": 15, "E": 15, "F": 15, "G": 21}
HEADER_HEIGHTS = (30, 60)
# workbook -> {(a cell's style, attribute, id of the value set): (the value, the cell's style after)}
_STYLE_STEPS: WeakKeyDictionary = WeakKeyDictionary()


def styled(cell, **styles):
    """Set `styles` (font, fill, border, alignment, number_format) on `cell`; returns the cell.

    openpyxl finds a font, fill or border among the workbook's by hashing it afresh at every assignment, which cost
    most of a large report's workbook. What a cell's style (its StyleArray of indexes) becomes depends only on what it
    was and on what is set, so each such step is taken once per workbook and its outcome copied afterwards: the same
    cells get the same styles, and the file the same bytes."""
    steps = _STYLE_STEPS.setdefault(cell.parent.parent, {})
    for attribute, value in styles.items():
        key = (tuple(cell._style or ()), attribute, id(value))
        if key not in steps:
            setattr(cell, attribute, value)
            steps[key] = (value, copy(cell._style))  # the value kept alive: its id stays its own
        else:
            cell._style = copy(steps[key][1])
    return cell


def put(sheet, row, column, value, number_format=None, font=None):
    """Write one cell; text stays text (a string cell, and neutralised), numbers get their format."""
    is_text = isinstance(value, (str, Promise))
    cell = sheet.cell(row=row, column=column, value=neutralise(str(value)) if is_text else value)
    if is_text:
        cell.data_type = "s"
    if number_format:
        styled(cell, number_format=number_format)
    if font:
        styled(cell, font=font)
    return cell


def figure_values(figures):
    """The figure columns of one row, with their number formats, from "Inicial anual" to the last %."""
    return [
        (figures.initial, AMOUNT_FORMAT),
        (figures.reprogrammings, COUNT_FORMAT),
        (figures.current, AMOUNT_FORMAT),
        *[(value, AMOUNT_FORMAT) for value in figures.months],
        (figures.total, AMOUNT_FORMAT),
        (figures.pct_period, AMOUNT_FORMAT),
        (figures.cumulative, AMOUNT_FORMAT),
        (figures.pct_cumulative, AMOUNT_FORMAT),
        (figures.pct_cumulative_initial, AMOUNT_FORMAT),
    ]


def kinds(item):
    return [
        (_("Física"), _("Ejecución física"), item.physical),
        (_("Financiera"), _("Ejecución financiera"), item.financial),
    ]


def figure_headings(report):
    return [
        _("Inicial anual"),
        _("Reprogramaciones"),
        _("Metas vigentes"),
        *report.month_names,
        _("Total"),
        _("%% %(ordinal)s") % {"ordinal": report.ordinal},
        _("Acumulado al %(ordinal)s") % {"ordinal": report.ordinal},
        _("%% de Avance acumulado al %(ordinal)s") % {"ordinal": report.ordinal},
        _("%% de Avance acumulado al %(ordinal)s con metas iniciales") % {"ordinal": report.ordinal},
    ]


class ReportSheet:
    """Writes the SIPLAN layout row by row."""

    def __init__(self, sheet: Worksheet, report, approval):
        self.sheet = sheet
        self.report = report
        self.approval = approval
        self.row = 1

    def line(self, text, font=None, merge=True, alignment=None):
        cell = put(self.sheet, self.row, 1, text, font=font)
        if merge:
            self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=REPORT_COLUMNS)
        if alignment:
            styled(cell, alignment=alignment)
        self.row += 1

    def title_block(self):
        report = self.report
        self.line(_("Sistema de Planes Institucionales -SIPLAN-"), TITLE, alignment=CENTER)
        self.line(_("Reporte de Avance de Metas Físicas y Financieras"), TITLE, alignment=CENTER)
        self.line(_("Ejecución mensual - %(title)s") % {"title": report.title}, BOLD, alignment=CENTER)
        self.line(report.institution.name.upper(), BOLD, alignment=CENTER)
        self.line(report.institution.acronym, alignment=CENTER)
        self.line(self.approval, alignment=CENTER)

    def header(self):
        top, bottom = HEADER_ROWS
        month_count = len(self.report.months)
        leading = [
            _("Producto/Subproducto"),
            _("Unidad de Medida"),
            _("Metas física/financiera"),
            *figure_headings(self.report)[:3],
            _("Ejecución física/financiera"),
        ]
        trailing = figure_headings(self.report)[3 + month_count + 1 :]
        first_month_column = len(leading) + 1
        for column, text in enumerate(leading, start=1):
            put(self.sheet, top, column, text)
            self.sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        put(self.sheet, top, first_month_column, _("Ejecución %(ordinal)s") % {"ordinal": self.report.ordinal})
        self.sheet.merge_cells(
            start_row=top, start_column=first_month_column, end_row=top, end_column=first_month_column + month_count
        )
        for offset, text in enumerate([*self.report.month_names, _("Total")]):
            put(self.sheet, bottom, first_month_column + offset, text)
        for column, text in enumerate(trailing, start=first_month_column + month_count + 1):
            put(self.sheet, top, column, text)
            self.sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        for row in self.sheet.iter_rows(min_row=top, max_row=bottom, max_col=REPORT_COLUMNS):
            for cell in row:
                styled(cell, font=BOLD, fill=HEADER_FILL, alignment=CENTER, border=BOX)
        self.row = bottom + 1

    def section(self, section):
        self.line(_("Eje estratégico: %(axis)s") % {"axis": section.strategic_axis}, merge=False)
        self.line(_("acción estratégica: %(action)s") % {"action": section.strategic_action}, merge=False)
        label = _("Resultado estratégico") if section.link == "RE" else _("Resultado institucional")
        self.line(f"{label}: {section.result}", BOLD, alignment=WRAP)
        for product in section.products:
            self.item(product, is_product=True)
            for subproduct in product.subproducts:
                self.item(subproduct, is_product=False)

    def item(self, item, is_product):
        font = BOLD if is_product else None
        styled(put(self.sheet, self.row, 1, item.name, font=font), alignment=WRAP)
        styled(put(self.sheet, self.row, 2, item.unit, font=font), alignment=WRAP)
        self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row + 1, end_column=1)
        self.sheet.merge_cells(start_row=self.row, start_column=2, end_row=self.row + 1, end_column=2)
        for label, execution_label, figures in kinds(item):
            put(self.sheet, self.row, 3, label, font=font)
            values = figure_values(figures)
            for column, (value, number_format) in enumerate(values[:3], start=4):
                put(self.sheet, self.row, column, value, number_format, font)
            put(self.sheet, self.row, 7, execution_label, font=font)
            for column, (value, number_format) in enumerate(values[3:], start=8):
                put(self.sheet, self.row, column, value, number_format, font)
            (cells,) = self.sheet.iter_rows(min_row=self.row, max_row=self.row, max_col=REPORT_COLUMNS)
            for cell in cells:
                styled(cell, border=BOX)
                if is_product:
                    styled(cell, fill=PRODUCT_FILL)
            self.row += 1

    def signature(self):
        """The signature block, whole on the last printed page: a page break before it keeps "Firma y sello" and
        the authority's name together."""
        institution = self.report.institution
        self.sheet.row_breaks.append(Break(id=self.row - 1))
        self.row += 2
        self.line(_("Firma y sello de la máxima autoridad"), BOLD, alignment=CENTER)
        self.row += 2
        self.line("f. ______________________________", alignment=CENTER)
        self.line(_("Nombre: %(name)s") % {"name": institution.authority_name}, BOLD, alignment=CENTER)
        self.line(institution.authority_title, alignment=CENTER)
        self.line(institution.name, alignment=CENTER)

    def write(self):
        self.title_block()
        self.header()
        for heading, sections in self.report.link_groups:
            self.line(heading, BOLD)
            for section in sections:
                self.section(section)
        self.signature()
        self.page_setup()

    def page_setup(self):
        sheet = self.sheet
        for column in range(1, REPORT_COLUMNS + 1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = WIDTHS.get(letter, 14)
        for row, height in zip(HEADER_ROWS, HEADER_HEIGHTS):
            sheet.row_dimensions[row].height = height
        sheet.freeze_panes = f"B{HEADER_ROWS[1] + 1}"
        print_landscape_fit_to_width(sheet, title_rows=f"{HEADER_ROWS[0]}:{HEADER_ROWS[1]}")
        sheet.print_options.horizontalCentered = True


def print_landscape_fit_to_width(sheet, *, title_rows: str) -> None:
    """Print on legal paper, landscape, every column on the page's width, `title_rows` repeated on every page."""
    sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LEGAL
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def data_rows(report):
    """One row per product/subproduct and kind: the long form people pivot."""
    for section in report.sections:
        for product in section.products:
            for item, subproduct_name in [(product, ""), *[(sub, sub.name) for sub in product.subproducts]]:
                for label, _execution, figures in kinds(item):
                    yield (
                        [
                            section.link,
                            section.strategic_axis,
                            section.strategic_action,
                            section.result,
                            product.name,
                            subproduct_name,
                            item.unit,
                            label,
                        ],
                        figure_values(figures),
                    )


def write_data_sheet(sheet, report):
    headings = [
        _("Vinculación"),
        _("Eje estratégico"),
        _("Acción estratégica"),
        _("Resultado"),
        _("Producto"),
        _("Subproducto"),
        _("Unidad de medida"),
        _("Meta"),
        *figure_headings(report),
    ]
    for column, text in enumerate(headings, start=1):
        styled(put(sheet, 1, column, text, font=BOLD), fill=HEADER_FILL, alignment=CENTER)
    sheet.row_dimensions[1].height = HEADER_HEIGHTS[1]
    for row, (labels, values) in enumerate(data_rows(report), start=2):
        for column, text in enumerate(labels, start=1):
            put(sheet, row, column, text)
        for column, (value, number_format) in enumerate(values, start=len(labels) + 1):
            put(sheet, row, column, value, number_format)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column in range(1, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column in (4, 5, 6) else 15
    print_landscape_fit_to_width(sheet, title_rows="1:1")


def write_table(sheet, first_row, headings, rows):
    """Headings in bold on `first_row`, then the rows; returns the row after the last one written."""
    for column, text in enumerate(headings, start=1):
        styled(put(sheet, first_row, column, str(text), font=BOLD), fill=HEADER_FILL)
    for row, values in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
    return first_row + 1 + len(rows)


def write_annex_sheet(sheet, justifications, evidence):
    """The annex «Justificación de desviaciones»: one row per justification the approval froze, then, under their
    own title and headings after a blank row, its medios de verificación."""
    next_row = write_table(sheet, 1, ANNEX_HEADINGS, annex_rows(justifications)) if justifications else 1
    if evidence:
        if justifications:
            next_row += 1
        put(sheet, next_row, 1, str(EVIDENCE_TITLE), font=BOLD)
        write_table(sheet, next_row + 1, EVIDENCE_HEADINGS, evidence_rows(evidence))
    for column in range(1, max(len(ANNEX_HEADINGS), len(EVIDENCE_HEADINGS)) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = {4: 60, 5: 60, 7: 70}.get(column, 30)


@in_document_language
def render_xlsx(report, snapshot=None):
    """The workbook's bytes; under the title, who approved it or that it is a draft."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reporte")
    ReportSheet(sheet, report, approval_note(snapshot)).write()
    write_data_sheet(workbook.create_sheet("Datos"), report)
    justifications, evidence = frozen_justifications(snapshot), frozen_evidence(snapshot)
    if justifications or evidence:
        write_annex_sheet(workbook.create_sheet(str(ANNEX_TITLE)[:31]), justifications, evidence)
    title = _("Reporte de Avance de Metas Físicas y Financieras - %(title)s") % {"title": report.title}
    workbook.properties.title = neutralise(title)
    workbook.properties.subject = neutralise(report.institution.name)
    workbook.properties.creator = neutralise(report.institution.name)
    workbook.properties.keywords = neutralise(
        f"SIPLAN {report.institution.acronym} {report.year} C{report.cuatrimestre}"
    )
    if snapshot is None:
        output = BytesIO()
        workbook.save(output)
        return output.getvalue()
    return dated_workbook(workbook, snapshot.approved_at)


def dated_workbook(workbook, when):
    """The workbook's bytes with `when` (the approval time) as its creation and modification dates and as the
    time of every entry of its zip: the same approval gives the same bytes."""
    when = when.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    workbook.properties.created = workbook.properties.modified = when
    written = BytesIO()
    ExcelWriter(workbook, ZipFile(written, "w", ZIP_STORED)).save()  # only the dated copy below is compressed
    output = BytesIO()
    with ZipFile(written) as source, ZipFile(output, "w", ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            archive.writestr(ZipInfo(entry.filename, date_time=when.timetuple()[:6]), source.read(entry), ZIP_DEFLATED)
    return output.getvalue()
