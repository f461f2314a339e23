"""What changed between two versions of a report, row by row and column by column (reports.diff), on the demo's
figures."""

import copy
from decimal import Decimal

import pytest
from django.db.models import F

from approvals.demo import load_demo
from goals.models import Institution, SubproductExecution
from reports.computation import build_report, report_to_dict
from reports.diff import ROW_ADDED, ROW_REMOVED, report_changes

pytestmark = pytest.mark.django_db

REGISTRY = "Registro de Extranjería"


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


def registry(igm, month):
    """Registro de Extranjería's record of `month`, as a queryset: changed with update(), as a figure already in the
    database, whatever lock its month is under now."""
    return SubproductExecution.objects.filter(
        subproduct__product__result__institution=igm, subproduct__name=REGISTRY, month=month
    )


def as_tuples(changes):
    return [(c.product, c.subproduct, str(c.kind), str(c.column), c.old, c.new) for c in changes]


def test_the_same_figures_have_no_changes(igm):
    data = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=2))
    assert report_changes(data, copy.deepcopy(data)) == []


def test_a_changed_june_figure_lists_its_row_with_june_and_the_cumulative_columns(igm):
    before = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=2))
    assert registry(igm, 6).get().physical == Decimal("1268.00")
    registry(igm, 6).update(physical=Decimal("2268"))
    changes = report_changes(before, report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=2)))
    product = "Registro Control y Emisión de Visas y Residencias"
    subproduct_changes = [c for c in as_tuples(changes) if c[1] == REGISTRY]
    assert [c[3] for c in subproduct_changes] == [
        "Junio",
        "Total",
        "% 2do cuatrimestre",
        "Acumulado al 2do cuatrimestre",
        "% de Avance acumulado al 2do cuatrimestre",
        "% de Avance acumulado al 2do cuatrimestre con metas iniciales",
    ]
    june, total, _pct, cumulative, *_ = subproduct_changes
    assert june == (product, REGISTRY, "Física", "Junio", Decimal("1268.00"), Decimal("2268.00"))
    assert total[4:] == (total[4], total[4] + 1000)
    assert cumulative[4:] == (cumulative[4], cumulative[4] + 1000)
    # The product's physical figures are its own; its money did not move: nothing else changed.
    assert len(changes) == len(subproduct_changes)


def test_the_third_cuatrimestre_shows_a_june_change_in_its_cumulative_columns_only(igm):
    before = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    registry(igm, 6).update(physical=F("physical") + 1000)
    changes = report_changes(before, report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3)))
    assert [str(c.column) for c in changes] == [
        "Acumulado al 3er cuatrimestre",
        "% de Avance acumulado al 3er cuatrimestre",
        "% de Avance acumulado al 3er cuatrimestre con metas iniciales",
    ]
    # The seed prints Registro de Extranjería's cumulative 28,500.00 against a current goal of 28,500: 100 %.
    assert (changes[0].old, changes[0].new) == (Decimal("28500.00"), Decimal("29500.00"))
    assert (changes[1].old, changes[1].new) == (Decimal("100.00"), Decimal("103.51"))


def test_a_money_change_shows_on_the_subproduct_and_on_its_product(igm):
    before = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    registry(igm, 9).update(financial=F("financial") + Decimal("0.50"))
    changes = as_tuples(
        report_changes(before, report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3)))
    )
    septembers = [c for c in changes if c[3] == "Septiembre"]
    product = "Registro Control y Emisión de Visas y Residencias"
    product_before = septembers[0][4]
    assert septembers == [
        (product, "", "Financiera", "Septiembre", product_before, product_before + Decimal("0.50")),
        (product, REGISTRY, "Financiera", "Septiembre", Decimal("65125.00"), Decimal("65125.50")),
    ]


def test_rows_added_or_removed_are_listed_once(igm):
    old = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    new = copy.deepcopy(old)
    product = new["sections"][0]["products"][0]
    removed = product["subproducts"].pop()
    product["subproducts"].append({**removed, "name": "Subproducto nuevo"})
    changes = as_tuples(report_changes(old, new))
    assert changes == [
        (product["name"], "Subproducto nuevo", "", str(ROW_ADDED), None, None),
        (product["name"], removed["name"], "", str(ROW_REMOVED), None, None),
    ]


def test_a_reprogramming_count_is_compared_as_a_number(igm):
    old = report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3))
    new = copy.deepcopy(old)
    count = old["sections"][0]["products"][0]["physical"]["reprogrammings"]
    new["sections"][0]["products"][0]["physical"]["reprogrammings"] = count + 1
    [change] = report_changes(old, new)
    assert (str(change.kind), str(change.column)) == ("Física", "Reprogramaciones")
    assert (change.old, change.new) == (count, count + 1)
