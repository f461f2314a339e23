"""The consolidated report for the Congress: each institution's products with their physical and financial
progress and its financial totals, computed from approved reports' JSON and read back from its Excel."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from reports.congress import congress_blocks, overall_totals, render_congress_xlsx
from tests.seed import seed_sections


def approved_json(code):
    """The report JSON of an approved snapshot holding the seed's figures (IGM's third cuatrimestre of 2024)."""
    return {"institution": {"code": code, "name": f"Institución {code}"}, "sections": seed_sections()}


def test_each_institution_lists_its_products_with_the_seeds_progress():
    igm, twin = congress_blocks(reports=[approved_json("TWIN"), approved_json("IGM")])

    assert (igm.code, twin.code) == ("IGM", "TWIN")
    control = igm.rows[0]
    assert control.product == "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"
    assert (control.physical_current, control.physical_cumulative, control.physical_pct) == (
        Decimal("12901391.00"), Decimal("11766120.00"), Decimal("91.20"),
    )  # fmt: skip
    assert (control.financial_current, control.financial_cumulative, control.financial_pct) == (
        Decimal("92677855.00"), Decimal("68325981.47"), Decimal("73.72"),
    )  # fmt: skip
    assert len(igm.rows) == 6
    assert (igm.financial_current, igm.financial_cumulative, igm.financial_pct) == (
        Decimal("472147008.00"), Decimal("278351422.98"), Decimal("58.95"),
    )  # fmt: skip
    assert overall_totals(blocks=[igm, twin]) == (Decimal("944294016.00"), Decimal("556702845.96"), Decimal("58.95"))


def test_an_institution_without_money_shows_zero_percent():
    empty = {"institution": {"code": "VACIA", "name": "Sin productos"}, "sections": []}
    [block] = congress_blocks(reports=[empty])
    assert (block.financial_current, block.financial_pct) == (Decimal("0.00"), Decimal("0.00"))


def test_the_excel_reads_back_with_products_and_totals():
    blocks = congress_blocks(reports=[approved_json("IGM"), approved_json("TWIN")])

    sheet = load_workbook(io.BytesIO(render_congress_xlsx(blocks=blocks, year=2024, cuatrimestre=3))).active

    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Congreso 2024 C3"
    assert rows[0][8] == "Meta financiera vigente (Q)"
    assert rows[1][0] == "IGM" and rows[1][3].startswith("Control Registro") and rows[1][9] == 68325981.47
    assert rows[7][0] == "Total IGM" and rows[7][8:] == (472147008, 278351422.98, 58.95)
    assert rows[14][0] == "Total TWIN"
    assert rows[15][0] == "Total general" and rows[15][8:] == (944294016, 556702845.96, 58.95)
    assert len(rows) == 16
