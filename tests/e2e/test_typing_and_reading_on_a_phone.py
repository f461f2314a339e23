"""A planner types a month (and opens the programme) and a director reads a report on a phone (390×844): each row
is a card of labelled fields that fits the screen, nothing scrolls sideways. On a laptop the same pages are tables
whose names column stays in place while the figures scroll, and printed they are tables again, without the menu."""

import pytest
from playwright.sync_api import expect

from approvals.demo import DEMO_USERS, load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PASSWORDS = {user.username: user.password for user in DEMO_USERS}
# The demo's first subproduct in September 2024: a goal of 12 documents, 8 done before the month.
FIRST_SUBPRODUCT = "Informes de Ejecución Seguimiento Evaluación y Actualización de la Política Migratoria"


@pytest.fixture
def demo():
    load_demo()


def box_of(locator):
    return locator.bounding_box()


def scrolls_sideways(page, selector):
    return page.locator(selector).first.evaluate("box => box.scrollWidth > box.clientWidth")


def shows_label(cell):
    """Whether the cell shows its label (its ::before, from data-label): on a card, not in a table."""
    return cell.evaluate("cell => !['none', 'normal'].includes(getComputedStyle(cell, '::before').content)")


def test_a_planner_types_a_month_on_a_phone_in_cards(sessions, demo):
    page = sessions.login("planificador", PASSWORDS["planificador"], viewport=PHONE)
    page.goto("/ejecucion/2024/9/")
    card = page.locator("tr.subproduct", has_text=FIRST_SUBPRODUCT)
    physical, financial = card.locator('input[data-column="physical"]'), card.locator('input[data-column="financial"]')

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    assert not scrolls_sideways(page, ".table-scroll")
    card_box, physical_box, financial_box = box_of(card), box_of(physical), box_of(financial)
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= PHONE["width"]
    # The month's two figures side by side, Física on the left, each at least a thumb high.
    assert abs(physical_box["y"] - financial_box["y"]) < 2 and physical_box["x"] < financial_box["x"]
    assert physical_box["x"] + physical_box["width"] <= financial_box["x"]
    assert financial_box["x"] + financial_box["width"] <= card_box["x"] + card_box["width"]
    assert min(physical_box["height"], financial_box["height"]) >= 44
    # Each field says what it is: the column's heading, and the group's heading over its first field.
    cells = card.locator("td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(cells.count())] == [
        "Unidad", *["Meta vigente", "Acumulado anterior", "Mes", "Acumulado", "%"] * 2,
    ]  # fmt: skip
    assert cells.nth(1).get_attribute("data-group") == "Física"
    assert cells.nth(6).get_attribute("data-group") == "Financiera (Q)"
    assert shows_label(physical.locator("xpath=.."))

    physical.fill("2")
    expect(card.locator("td.cumulative").first).to_have_text("10.00")
    expect(card.locator("td.pct").first).to_have_text("83.33")

    # The programme's card: its months three to a row, on screen.
    page.goto("/programacion/IGM/2024/")
    months = page.locator("tr.subproduct", has_text=FIRST_SUBPRODUCT).locator("td.input")
    assert [months.nth(i).get_attribute("data-label") for i in range(3)] == ["Enero", "Febrero", "Marzo"]
    january, march = box_of(months.nth(0)), box_of(months.nth(2))
    assert abs(january["y"] - march["y"]) < 2 and march["x"] + march["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


def test_on_a_laptop_the_entry_page_is_a_table_whose_names_stay_in_view(sessions, demo):
    page = sessions.login("planificador", PASSWORDS["planificador"], viewport={"width": 1024, "height": 768})
    page.goto("/ejecucion/2024/9/")
    name = page.locator("tr.subproduct th.name", has_text=FIRST_SUBPRODUCT)
    assert scrolls_sideways(page, ".table-scroll")
    assert not shows_label(page.locator("tr.subproduct td.input").first)
    x = box_of(name)["x"]
    page.locator(".table-scroll").evaluate("box => { box.scrollLeft = 400; }")
    assert box_of(name)["x"] == x
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


def test_a_director_reads_an_approved_report_on_a_phone_in_cards(sessions, demo):
    page = sessions.login("director", PASSWORDS["director"], viewport=PHONE)
    page.goto("/reportes/IGM/2024/1/")
    physical = page.locator("table.report-table tr.product.physical").first
    financial = physical.locator("xpath=following-sibling::tr[1]")

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    assert not scrolls_sideways(page, ".table-scroll")
    physical_box, financial_box = box_of(physical), box_of(financial)
    assert physical_box["x"] >= 0 and physical_box["x"] + physical_box["width"] <= PHONE["width"]
    assert financial_box["y"] >= physical_box["y"] + physical_box["height"] - 1
    current = physical.locator('td[data-label="Metas vigentes"]')
    expect(current).to_have_text("14,466,570.00")
    assert shows_label(current)
    # "Ejecución física" repeats the card's "Física": hidden on the card.
    expect(physical.locator("td.kind").first).to_be_visible()
    expect(physical.locator("td.kind").nth(1)).to_be_hidden()


def test_a_printed_report_is_a_table_without_the_menu_on_any_screen(sessions, demo):
    for viewport in (LAPTOP, PHONE):
        page = sessions.login("director", PASSWORDS["director"], viewport=viewport)
        page.emulate_media(media="print")
        page.goto("/reportes/IGM/2024/1/")
        expect(page.locator("header.topbar")).to_be_hidden()
        expect(page.locator("nav.report-actions")).to_be_hidden()
        row = page.locator("table.report-table tr.product.physical").first
        assert row.evaluate("row => getComputedStyle(row).display") == "table-row"
        assert row.locator("th.name").evaluate("cell => getComputedStyle(cell).position") == "static"
        assert page.locator(".table-scroll").first.evaluate("box => getComputedStyle(box).overflowX") == "visible"
