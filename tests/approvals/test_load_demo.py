from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from approvals import services
from approvals.demo import DEMO_USERS, load_demo, spread
from approvals.models import CuatrimestreReport, ReportSnapshot, ReportStatus
from goals.models import (
    GoalKind,
    Institution,
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    Subproduct,
    SubproductExecution,
)
from goals.queries import current_goal, executed_between
from tests.seed import seed_items

pytestmark = pytest.mark.django_db

DEMO_MODELS = [
    Institution,
    Product,
    Subproduct,
    Reprogramming,
    ReprogrammingLine,
    ProductExecution,
    SubproductExecution,
]


def plan_items():
    """The demo's products and subproducts in plan order, as the seed lists them."""
    for product in Product.objects.order_by("result__order", "order"):
        yield product
        yield from product.subproducts.order_by("order")


def test_demo_reproduces_every_seed_row_goal_and_execution():
    load_demo()
    items = list(plan_items())
    seed = list(seed_items())
    assert [(item.name, item.unit) for item in items] == [(row["name"], row["unit"]) for row in seed]
    assert len(items) == 17
    for item, row in zip(items, seed):
        as_of = Reprogramming.objects.get().date
        assert current_goal(item, GoalKind.PHYSICAL, as_of) == Decimal(row["physical"]["current"]), item.name
        assert current_goal(item, GoalKind.FINANCIAL, as_of) == Decimal(row["financial"]["current"]), item.name
        late = [executed_between(item, first_month=month, last_month=month)["physical"] for month in range(9, 13)]
        assert late == [Decimal(value) for value in row["physical"]["months"]], item.name
        assert executed_between(item, first_month=1, last_month=12)["physical"] == Decimal(
            row["physical"]["cumulative"]
        ), item.name
        if isinstance(item, Subproduct):
            assert executed_between(item, first_month=1, last_month=12)["financial"] == Decimal(
                row["financial"]["cumulative"]
            ), item.name


def test_control_registro_worked_example_of_domain_md():
    load_demo()
    product = Product.objects.get(name__startswith="Control Registro")
    assert product.physical_initial == Decimal("14466570.00")
    assert current_goal(product, GoalKind.PHYSICAL, Reprogramming.objects.get().date) == Decimal("12901391.00")
    assert executed_between(product, first_month=9, last_month=12)["physical"] == Decimal("4017960.00")
    assert executed_between(product, first_month=1, last_month=12)["physical"] == Decimal("11766120.00")


def test_loading_twice_changes_nothing():
    load_demo()
    counts = {model: model.objects.count() for model in DEMO_MODELS}
    history = {model: model.history.count() for model in DEMO_MODELS if hasattr(model, "history")}
    assert load_demo() == (0, 0)
    assert {model: model.objects.count() for model in DEMO_MODELS} == counts
    assert {model: model.history.count() for model in history} == history


def test_the_first_two_cuatrimestres_load_approved_by_the_director_so_the_third_can_be_approved():
    load_demo()
    institution = Institution.objects.get(code="IGM")
    snapshots = ReportSnapshot.objects.filter(report__institution=institution).order_by("report__cuatrimestre")
    assert [(s.report.cuatrimestre, s.approved_by.username, s.oficio_sequence) for s in snapshots] == [
        (1, "director", 1),
        (2, "director", 2),
    ]
    assert list(CuatrimestreReport.objects.order_by("cuatrimestre").values_list("status", flat=True)) == [
        ReportStatus.APPROVED,
        ReportStatus.APPROVED,
    ]
    users = get_user_model().objects
    services.submit(user=users.get(username="planificador"), institution=institution, year=2024, cuatrimestre=3)
    assert (
        services.approve(
            user=users.get(username="director"), institution=institution, year=2024, cuatrimestre=3
        ).oficio_sequence
        == 3
    )


def test_demo_reprogramming_is_one_approved_document_before_september():
    load_demo()
    reprogramming = Reprogramming.objects.get()
    assert reprogramming.status == "aprobada"
    assert reprogramming.date.month < 9
    assert not reprogramming.lines.filter(kind=GoalKind.FINANCIAL).exists()


def test_demo_users_log_in_with_their_role(client):
    load_demo()
    for demo in DEMO_USERS:
        assert client.login(request=HttpRequest(), username=demo.username, password=demo.password), demo.username
        user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
        assert user.institution.code == "IGM"
        assert list(user.groups.values_list("name", flat=True)) == [demo.role]
        client.logout()


def test_command_if_empty_leaves_a_database_with_data_alone(capsys):
    Institution.objects.create(code="OTRA", name="Otra institución", acronym="OTRA")
    call_command("load_demo", "--if-empty")
    assert not Institution.objects.filter(code="IGM").exists()
    out = capsys.readouterr().out
    assert "planificador-demo-2024" in out


def test_command_loads_and_prints_logins(capsys):
    call_command("load_demo")
    assert Institution.objects.filter(code="IGM").exists()
    assert "director-demo-2024" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (Decimal("8"), [Decimal("1")] * 8),
        (Decimal("2"), [Decimal("0")] * 6 + [Decimal("1")] * 2),
        (Decimal("0.10"), [Decimal("0.01")] * 6 + [Decimal("0.02")] * 2),
    ],
)
def test_spread_keeps_the_total_in_whole_units_or_cents(total, expected):
    assert spread(total, 8) == expected
    assert sum(spread(total, 8)) == total
