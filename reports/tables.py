"""The consolidated view's table: one row per product (reports.progress.ProductProgress), exportable to xlsx."""

import functools
import io
from operator import attrgetter

import django_tables2 as tables
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.export import TableExport
from django_tables2.utils import OrderBy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from goals.figures import printed_amount, separators
from goals.tables import AmountColumn, ListTable
from siplan.spreadsheets import neutralise

from .progress import LIGHT_LABELS


class LightColumn(tables.Column):
    """The traffic light as a coloured label on the page and as its name in the export."""

    def render(self, value):
        return format_html('<span class="light light-{}">{}</span>', value, LIGHT_LABELS[value])

    def value(self, value):
        return str(LIGHT_LABELS[value])

    def writer(self):
        """render() of each light, in the active language: for ExportableTable.rendered_rows."""
        return {light: self.render(light) for light in LIGHT_LABELS}.__getitem__


class FigureColumn(AmountColumn):
    """A Decimal as floatformat:"2g" prints it (AmountColumn.render), the separators looked up once per page."""

    def writer(self):
        """For ExportableTable.rendered_rows: a function of the value, HTML-safe."""
        return functools.partial(printed_amount, table=separators(escape))


# A row as django-tables2's bootstrap5.html writes it, whitespace and all, so that the markup stays the same.
ROW = '<tr class="{parity}">\n                        {cells}\n                    </tr>'
CELL = "\n                            <td {attrs}>{cell}</td>\n                        "


class TextColumn(tables.Column):
    """Text exported as it is (Column.value() would go through render() by inspecting its signature)."""

    def value(self, value):
        return value

    def writer(self):
        """For ExportableTable.rendered_rows: the value escaped, as render() then the template would."""
        return conditional_escape


class SortedList(TableListData):
    """A list of rows sorted by a key per column, in django-tables2's order (each column's None first ascending and
    last descending, ties in their order): its own sort compares every pair through Accessor.resolve() (7 ms of
    /seguimiento/'s 400 institutions)."""

    def order_by(self, aliases):
        accessors = []
        for alias in aliases:
            bound_column = self.table.columns[OrderBy(alias).bare]
            same_way = alias[0] == bound_column.order_by_alias[0]
            accessors += bound_column.order_by if same_way else bound_column.order_by.opposite
        rows = list(self.data)
        try:
            for accessor in reversed(accessors):  # stable sorts, the least significant column first
                get = attrgetter(accessor.bare.replace("__", "."))
                rows.sort(key=lambda row, get=get: none_first(get(row)), reverse=accessor.is_descending)
        except TypeError:  # values of different types in a column: django-tables2's own comparison orders them
            super().order_by(aliases)
        else:
            self.data = rows


def none_first(value):
    return (0,) if value is None else (1, value)


class ExportableTable(ListTable):
    """A table of a list whose columns each take just the value, exported as numbers and neutralised text, its
    page's rows written by rendered_rows()."""

    def __init__(self, data, *args, **kwargs):
        kwargs.setdefault("template_name", "reports/exportable_table.html")
        super().__init__(SortedList(list(data)), *args, **kwargs)

    def as_values(self, exclude_columns=()):
        """The export's rows: figures stay numbers, text never reads as a formula.

        django-tables2's own as_values() inspects each cell's value() signature (13 s for 5,000 products);
        every column here takes just the value, so it is called directly.
        """
        columns = [column for column in self.columns.iterall() if column.name not in (exclude_columns or ())]
        yield [str(column.header) for column in columns]
        cells = [(attrgetter(column.accessor.replace("__", ".")), column.column.value) for column in columns]
        for record in self.data:
            yield [neutralise(value(value=get(record))) for get, value in cells]

    def rendered_rows(self):
        """The shown page's rows as the table's template would write them, each a string of HTML.

        Every column writes its cells with a function of the value alone (cell_writer), so the cells are written
        here: django-tables2's own rows inspect each render method's signature and compute each column's attributes
        once per cell, and floatformat looks the language's separators up for every figure, which was most of the
        consolidated page's time (and of /seguimiento/'s).
        """
        cells = [
            (
                attrgetter(column.accessor.replace("__", ".")),
                cell_writer(column.column),
                column.column.empty_values,
                conditional_escape(column.default),
                CELL.format(attrs=column.attrs["td"].as_html(), cell="{}"),
            )
            for column in self.columns
        ]
        for counter, record in enumerate(self.paginated_rows.data):
            row = "".join(
                cell.format(default if value in empty else write(value))
                for get, write, empty, default, cell in cells
                for value in (get(record),)
            )
            yield mark_safe(ROW.format(parity="odd" if counter % 2 else "even", cells=row))


def cell_writer(column):
    """The column's writer() (a function of the value, HTML-safe), or its render(value) escaped."""
    if hasattr(column, "writer"):
        return column.writer()
    return lambda value: conditional_escape(column.render(value=value))


class ConsolidatedTable(ExportableTable):
    institution = TextColumn(verbose_name=_("Institución"), accessor="institution_code")
    link = TextColumn(verbose_name=_("Vinculación"))
    result = TextColumn(verbose_name=_("Resultado"))
    name = TextColumn(verbose_name=_("Producto"))
    unit = TextColumn(verbose_name=_("Unidad de medida"))
    physical_current = FigureColumn(verbose_name=_("Meta física vigente"), accessor="physical__current")
    physical_cumulative = FigureColumn(verbose_name=_("Ejecución física acumulada"), accessor="physical__cumulative")
    # xgettext:no-python-format (a percent sign, not a placeholder)
    physical_pct = FigureColumn(verbose_name=_("% físico"), accessor="physical__pct")
    # xgettext:no-python-format (a percent sign, not a placeholder)
    physical_expected = FigureColumn(verbose_name=_("% físico esperado"), accessor="physical__expected_pct")
    financial_current = FigureColumn(verbose_name=_("Meta financiera vigente (Q)"), accessor="financial__current")
    financial_cumulative = FigureColumn(
        verbose_name=_("Ejecución financiera acumulada (Q)"), accessor="financial__cumulative"
    )
    # xgettext:no-python-format (a percent sign, not a placeholder)
    financial_pct = FigureColumn(verbose_name=_("% financiero"), accessor="financial__pct")
    # xgettext:no-python-format (a percent sign, not a placeholder)
    financial_expected = FigureColumn(verbose_name=_("% financiero esperado"), accessor="financial__expected_pct")
    light = LightColumn(verbose_name=_("Semáforo"))


class XlsxExport(TableExport):
    """django-tables2's xlsx export written by a write-only openpyxl workbook: 5,000 rows in 0.9 s instead of 3 s."""

    COLUMN_WIDTH = 18

    def __init__(self, table, title, more_sheets=()):
        """`more_sheets`: (title, headers, rows) of sheets written after the table's, such as its summary."""
        super().__init__(TableExport.XLSX, table, dataset_kwargs={"title": title})
        self.more_sheets = more_sheets

    def export(self):
        workbook = Workbook(write_only=True)
        for title, headers, rows in [(self.dataset.title, self.dataset.headers, self.dataset), *self.more_sheets]:
            sheet = workbook.create_sheet(title)
            sheet.freeze_panes = "A2"
            for index in range(len(headers)):
                sheet.column_dimensions[get_column_letter(index + 1)].width = self.COLUMN_WIDTH
            sheet.append([self.header_cell(sheet, str(header)) for header in headers])
            for row in rows:
                sheet.append(row)
        content = io.BytesIO()
        workbook.save(content)
        return content.getvalue()

    @staticmethod
    def header_cell(sheet, header):
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        return cell


def consolidated_export(table: ConsolidatedTable, *, year: int, cuatrimestre: int) -> XlsxExport:
    """The consolidated table as its workbook, one sheet named for the cuatrimestre: the consolidated view's
    download and the bulk zip's consolidado-<year>-C<n>.xlsx are this one export of consolidated_rows."""
    title = gettext("Consolidado %(year)s C%(cuatrimestre)s") % {"year": year, "cuatrimestre": cuatrimestre}
    return XlsxExport(table, title=title)
