"""The dashboard's monthly bars: SVG drawn on the server from Decimals, scaled to the largest month."""

import re
from decimal import Decimal

from reports.charts import bar_height, month_bars

D = Decimal


def bars(svg):
    return re.findall(
        r'<rect class="([^"]+)" x="(\d+)" y="([\d.]+)" width="5" height="([\d.]+)"><title>([^<]+)</title>', svg
    )


def test_each_month_is_a_bar_as_tall_as_its_share_of_the_largest():
    values = [D("1234.50"), D("2469.00"), D("0.00"), *[D("617.25")] * 9]
    svg = str(month_bars(tuple(values), closed_months=3, label="Ejecución física mensual de Visas", language="es-gt"))
    drawn = bars(svg)
    assert len(drawn) == 12
    assert drawn[0] == ("bar", "0", "12.0", "12.0", "Enero: 1,234.50")
    assert drawn[1] == ("bar", "6", "0.0", "24.0", "Febrero: 2,469.00")
    assert drawn[2] == ("bar", "12", "24.0", "0.0", "Marzo: 0.00")
    assert drawn[3] == ("bar open", "18", "18.0", "6.0", "Abril: 617.25")
    assert [kind for kind, *_rest in drawn].count("bar open") == 9
    assert svg.startswith('<svg class="sparkline" viewBox="0 0 72 24" width="72" height="24" role="img"')
    assert 'aria-label="Ejecución física mensual de Visas"' in svg


def test_a_year_without_figures_lies_flat_and_names_are_escaped():
    svg = str(month_bars((D("0.00"),) * 12, closed_months=0, label='Producto "<b>"', language="es-gt"))
    assert {height for *_rest, height, _title in bars(svg)} == {"0.0"}
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "style=" not in svg and "<script" not in svg


def test_heights_round_half_up_to_a_tenth_and_ignore_negatives():
    assert bar_height(D("1"), D("48")) == D("0.5")
    assert bar_height(D("1"), D("96")) == D("0.3")  # 0.25 → 0.3
    assert bar_height(D("-5"), D("10")) == D("0")
    assert bar_height(D("5"), D("0")) == D("0")


def test_the_months_are_named_in_the_language_asked_for():
    values = (D("1.00"),) * 12
    assert "<title>January: 1.00</title>" in month_bars(values, closed_months=12, label="Visas", language="en")
    assert "<title>Enero: 1.00</title>" in month_bars(values, closed_months=12, label="Visas", language="es-gt")
