"""The report PDF, laid out by Typst: every figure of the seed on its product's page, a product never apart from its
subproducts, numbered pages, a report ten times the seed's size, and the same bytes for the same approval."""

import dataclasses
import datetime
from collections import Counter
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from reports.computation import Figures, Item
from reports.pdf import report_document
from reports.templatetags.report_figures import RowWriter

pytestmark = pytest.mark.django_db


def page_texts(content):
    """Each page's text, its whitespace runs made one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages]


def row_texts(item):
    """The Física and Financiera rows of an item as the PDF prints them, from the goal's label to the last %."""
    amount = RowWriter.for_active_language().amount

    def row(label, figures, execution):
        cells = [
            label,
            amount(figures.initial),
            str(figures.reprogrammings),
            amount(figures.current),
            execution,
            *(amount(value) for value in figures.months),
            amount(figures.total),
            amount(figures.pct_period),
            amount(figures.cumulative),
            amount(figures.pct_cumulative),
            amount(figures.pct_cumulative_initial),
        ]
        return " ".join(cells)

    return [
        row("Física", item.physical, "Ejecución física"),
        row("Financiera", item.financial, "Ejecución financiera"),
    ]


def group_rows(product):
    return [text for item in (product, *product.subproducts) for text in row_texts(item)]


def groups(report):
    return [group_rows(product) for section in report.sections for product in section.products]


def page_of_group(pages, rows, first_page):
    """The first page from `first_page` on that holds every row of a product group."""
    return next(number for number in range(first_page, len(pages)) if all(row in pages[number] for row in rows))


def test_every_figure_of_the_seed_is_on_its_products_page_in_order(seed_report):
    pages = page_texts(report_document(seed_report, None).content)
    page = 0
    for rows in groups(seed_report):
        page = page_of_group(pages, rows, page)
    assert len(pages) == 3 and page == 1  # the RI products on two pages, RE (none) and the signature on the third
    assert "Productos vinculados a RE" in pages[2] and "Firma y sello de la máxima autoridad" in pages[2]
    assert "Producto/Subproducto" not in pages[2]  # no table on it


def numbered(name, number):
    return f"{name} {number:03d}"


def figures(number):
    """Figures unlike any other row's: the initial goal is the row's number."""
    months = (Decimal(number), Decimal(1), Decimal(2), Decimal(3))
    return Figures.compute(Decimal(number), set(), Decimal(number + 1), months, sum(months, Decimal(0)))


def long_report(seed_report, products, subproducts, description=""):
    """The seed's first section with `products` products of `subproducts` subproducts each, every row distinct; each
    subproduct's name followed by `description`."""
    counter = iter(range(1, 10**6))

    def item(name):
        return Item(name=name, unit="Documento", physical=figures(next(counter)), financial=figures(next(counter)))

    made = tuple(
        dataclasses.replace(
            item(numbered("Producto", number)),
            subproducts=tuple(
                item(numbered(f"Subproducto {number:03d}.", sub) + description) for sub in range(1, subproducts + 1)
            ),
        )
        for number in range(1, products + 1)
    )
    section = dataclasses.replace(seed_report.sections[0], products=made)
    return dataclasses.replace(seed_report, sections=(section,))


def test_a_product_is_never_apart_from_its_subproducts_and_pages_are_numbered(seed_report):
    report = long_report(seed_report, products=40, subproducts=6)
    pages = page_texts(report_document(report, None).content)
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert f"Página {number} de {len(pages)}" in text
        assert "Reporte de Avance de Metas Físicas y Financieras" in text
    assert all("Producto/Subproducto" in text for text in pages[:-1])  # the table's heading on each of its pages
    for rows in groups(report):
        holding = [number for number, text in enumerate(pages) if any(row in text for row in rows)]
        assert len(holding) == 1 and all(row in pages[holding[0]] for row in rows), rows[0]
    assert "Firma y sello de la máxima autoridad" in pages[-1]


def financial_rows_heights(content):
    """[[the height above the page's bottom edge, in points, of each "Financiera" row] of each page]."""
    heights = []
    for page in PdfReader(BytesIO(content)).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip().startswith("Financiera"):
                found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        heights.append(found)
    return heights


def test_a_product_longer_than_a_page_breaks_between_whole_subproducts_inside_the_margins(seed_report):
    description = " con un nombre largo que ocupa varias líneas de su columna" * 4
    report = long_report(seed_report, products=3, subproducts=14, description=description)
    content = report_document(report, None).content
    pages = page_texts(content)
    rows = [row for group in groups(report) for row in group]
    assert sum(text.count(row) for text in pages for row in rows) == len(rows)
    for item in range(0, len(rows), 2):  # an item's Física and Financiera rows on the same page
        assert [rows[item] in text for text in pages] == [rows[item + 1] in text for text in pages]
    assert [any(row in text for text in pages[:1]) for row in group_rows(report.sections[0].products[0])].count(
        False
    ), "the first product does not fit on one page: it breaks"
    bottom_margin = 1.2 / 2.54 * 72
    heights = financial_rows_heights(content)
    assert sum(map(len, heights)) == len(rows) // 2
    assert all(bottom_margin < height < 612 for page in heights for height in page)


def test_a_report_ten_times_the_seed_renders_every_row(seed_report):
    large = dataclasses.replace(seed_report, sections=seed_report.sections * 10)
    seed_pages = page_texts(report_document(seed_report, None).content)
    pages = page_texts(report_document(large, None).content)
    assert len(pages) > 5 * len(seed_pages)
    expected = Counter(row for rows in groups(seed_report) for row in rows)
    found = Counter({row: sum(text.count(row) for text in pages) for row in expected})
    assert found == Counter({row: 10 * count for row, count in expected.items()})
    assert "Firma y sello de la máxima autoridad" in pages[-1] and f"Página {len(pages)} de {len(pages)}" in pages[-1]


def approval(at):
    return SimpleNamespace(approved_at=at, oficio_number="OFICIO-IGM-DG-026-2025", sha256="ab" * 32)


def test_the_same_approval_gives_the_same_bytes_and_its_signature_box(seed_report):
    at = datetime.datetime(2025, 1, 10, 15, 30, tzinfo=datetime.UTC)
    first, second = report_document(seed_report, approval(at)), report_document(seed_report, approval(at))
    assert first.content == second.content and first.anchor == second.anchor
    later = report_document(seed_report, approval(at + datetime.timedelta(minutes=1)))
    assert later.content != first.content
    page, (left, bottom, right, top) = first.anchor
    assert page == 2 and right - left == 216 and top - bottom == 45 and 0 < bottom < top < 612
    text = page_texts(first.content)[page]
    assert "Aprobado el 10/01/2025 09:30 · OFICIO-IGM-DG-026-2025 · SHA-256 " + "ab" * 32 in text
    assert "BORRADOR" not in text
