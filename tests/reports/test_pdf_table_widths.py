"""The PDF's fixed table layout: each column as wide as its longest printed figure."""

import dataclasses
from decimal import Decimal

from reports.pdf import AMOUNT_MIN_PT, column_widths, printed_width, report_data

INITIAL, MONTH = "initial", "month"


def with_initial(report, amount):
    """The report with its first product's physical initial goal replaced by `amount`."""
    section = report.sections[0]
    product = section.products[0]
    product = dataclasses.replace(product, physical=dataclasses.replace(product.physical, initial=amount))
    section = dataclasses.replace(section, products=(product, *section.products[1:]))
    return dataclasses.replace(report, sections=(section, *report.sections[1:]))


def test_columns_fit_the_seeds_widest_figures(seed_report):
    widths = column_widths(seed_report)
    assert widths[INITIAL] == printed_width(Decimal("277360806.00"), AMOUNT_MIN_PT)
    assert widths[MONTH] == printed_width(Decimal("39631529.65"), AMOUNT_MIN_PT)


def test_a_ministrys_billions_widen_their_column_only(seed_report):
    widths = column_widths(with_initial(seed_report, Decimal("12345678901.00")))
    assert widths[INITIAL] > column_widths(seed_report)[INITIAL]
    assert {position: width for position, width in widths.items() if position != INITIAL} == {
        position: width for position, width in column_widths(seed_report).items() if position != INITIAL
    }


def test_short_figures_keep_room_for_the_headings(seed_report):
    assert printed_width(Decimal("1.00"), AMOUNT_MIN_PT) == AMOUNT_MIN_PT
    assert report_data(seed_report, None)["widths"] == column_widths(seed_report)
