"""Planning staff programme each month of the year: the sum rule, the programme page, its locks and its scope."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals import services
from approvals.models import Period
from goals.models import (
    GoalKind,
    Institution,
    Product,
    ProductProgramme,
    ReprogrammingStatus,
    SubproductProgramme,
)
from goals.programme import item_goal, over_goal, programme_sheet
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ProductProgrammeFactory,
    ReprogrammingFactory,
    ReprogrammingLineFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
    SubproductProgrammeFactory,
    demo_in_draft,
)

pytestmark = pytest.mark.django_db

D = Decimal
CONTROL = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"


@pytest.fixture
def plan():
    """A product reprogrammed from 1,000 to 1,200 units in November, and its subproduct with Q 12,000."""
    institution = InstitutionFactory(code="PRG")
    product = ProductFactory(
        result=ResultFactory(institution=institution, year=2025), name="Emisión", physical_initial=D("1000")
    )
    subproduct = SubproductFactory(
        product=product, name="Pasaportes", physical_initial=D("900"), financial_initial=D("12000")
    )
    document = ReprogrammingFactory(institution=institution, date=datetime.date(2025, 11, 3))
    ReprogrammingLineFactory(reprogramming=document, product=product, new_goal=D("1200"))
    return institution, product, subproduct


@pytest.fixture
def planner(plan):
    return RoleUserFactory(institution=plan[0], role="Planificador", first_name="Ana", last_name="Pérez")


def url(code="PRG", year=2025):
    return reverse("goals:programme", args=[code, year])


def opened_page(client, value=None, code="PRG"):
    """The page's form as opened, with `value` typed in every month when given."""
    form = client.get(url(code)).context["form"]
    data = {name: str(form.initial.get(name) or "") if value is None else value for name in form.fields}
    data.update(version=form.initial["version"], opened_at=form.initial["opened_at"].isoformat())
    return data


def input_tag(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def months(prefix, kind, figures):
    return {f"{prefix}_{kind}_{month:02d}": figure for month, figure in enumerate(figures, start=1)}


def test_a_rows_months_may_add_up_to_its_current_goal_and_not_a_cent_more():
    assert over_goal("Emisión", GoalKind.PHYSICAL, [D("100")] * 12, D("1200")) is None
    assert over_goal("Emisión", GoalKind.PHYSICAL, [D("100")] * 11 + [None], D("1200")) is None
    month, message = over_goal("Emisión", GoalKind.PHYSICAL, [D("100")] * 11 + [D("100.01")], D("1200"))
    assert month == 12
    assert message == "La programación física de «Emisión» suma 1,200.01 y supera su meta vigente de 1,200.00."
    month, message = over_goal("Pasaportes", GoalKind.FINANCIAL, [D("7000"), None, D("6000")] + [None] * 9, D("12000"))
    assert month == 3
    assert message == "La programación financiera de «Pasaportes» suma 13,000.00 y supera su meta vigente de 12,000.00."


def test_the_current_goal_is_the_one_after_every_approved_reprogramming_of_the_year(plan):
    institution, product, subproduct = plan
    assert item_goal(product, GoalKind.PHYSICAL) == D("1200.00")
    assert item_goal(subproduct, GoalKind.FINANCIAL) == D("12000.00")
    pending = ReprogrammingFactory(
        institution=institution, date=datetime.date(2025, 12, 1), status=ReprogrammingStatus.PENDING
    )
    ReprogrammingLineFactory(reprogramming=pending, product=product, new_goal=D("5000"))
    assert item_goal(product, GoalKind.PHYSICAL) == D("1200.00")


def test_the_seeds_control_registro_may_programme_its_current_goal_and_not_one_unit_more(client):
    demo_in_draft()  # the year's programme, entered before any of its reports is approved
    product = Product.objects.get(name=CONTROL, result__year=2024)
    goal = item_goal(product, GoalKind.PHYSICAL)
    assert goal == D("12901391.00")
    figures = [D("1075116")] * 11 + [D("1075115")]
    assert sum(figures) == goal
    assert over_goal(product.name, GoalKind.PHYSICAL, figures, goal) is None
    month, message = over_goal(product.name, GoalKind.PHYSICAL, figures[:11] + [D("1075116")], goal)
    assert month == 12
    assert (
        message
        == f"La programación física de «{CONTROL}» suma 12,901,392.00 y supera su meta vigente de 12,901,391.00."
    )

    client.force_login(get_user_model().objects.get(username="planificador"))
    data = opened_page(client, code="IGM")
    data.update(months(f"p{product.pk}", "physical", [str(figure) for figure in figures]))
    page = reverse("goals:programme", args=["IGM", 2024])
    assert client.post(page, data).status_code == 302
    assert sum(ProductProgramme.objects.filter(product=product).values_list("physical", flat=True)) == goal


def test_the_page_lists_the_plan_with_current_goals_and_stored_sums(client, plan, planner):
    _institution, product, subproduct = plan
    ProductProgrammeFactory(product=product, month=1, physical=D("250"))
    SubproductProgrammeFactory(subproduct=subproduct, month=2, physical=D("10"), financial=D("1500.50"))
    client.force_login(planner)
    response = client.get(url())
    html = response.content.decode()
    assert "Programación mensual 2025" in html and "Emisión" in html and "Pasaportes" in html
    assert 'data-goal="1200.00"' in html and 'data-goal="12000.00"' in html
    assert "1,500.50" in html and "10,499.50" in html and "950.00" in html
    assert f'name="p{product.pk}_physical_01" id="id_p{product.pk}_physical_01" value="250.00"' in html
    assert f"p{product.pk}_financial_01" not in html
    assert "js/programme.js" in html and "<script>" not in html and "Guardar la programación" in html


def test_saving_the_programme_stores_decimals_and_history_signed_by_the_planner(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = opened_page(client)
    data.update(months(f"p{product.pk}", "physical", ["100"] * 12))
    data.update({f"s{subproduct.pk}_physical_03": "450", f"s{subproduct.pk}_financial_03": "6,000.25"})
    response = client.post(url(), data, follow=True)
    assert "Se guardó la programación 2025: 13 cifras nuevas, 0 cambiadas." in response.content.decode()
    assert sum(ProductProgramme.objects.filter(product=product).values_list("physical", flat=True)) == D("1200.00")
    march = SubproductProgramme.objects.get(subproduct=subproduct)
    assert (march.month, march.physical, march.financial, march.updated_by) == (3, D("450.00"), D("6000.25"), planner)
    assert ProductProgramme.history.filter(product_id=product.pk, history_type="+").count() == 12
    assert SubproductProgramme.history.get().history_user == planner

    data = opened_page(client)
    data[f"s{subproduct.pk}_financial_03"] = ""
    response = client.post(url(), data, follow=True)
    assert "0 cifras nuevas, 1 cambiada." in response.content.decode()
    assert SubproductProgramme.objects.get().financial == D("0.00")
    assert SubproductProgramme.history.filter(history_type="~").count() == 1


def test_a_sum_over_the_goal_is_refused_at_its_field_keeping_what_was_typed(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = opened_page(client)
    data.update(months(f"p{product.pk}", "physical", ["100"] * 12))
    data.update(
        {
            f"s{subproduct.pk}_financial_01": "7,000",
            f"s{subproduct.pk}_financial_02": "5000.01",
            f"s{subproduct.pk}_physical_01": "12x",
        }
    )
    response = client.post(url(), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"s{subproduct.pk}_financial_02"] == [
        "La programación financiera de «Pasaportes» suma 12,000.01 y supera su meta vigente de 12,000.00."
    ]
    assert f"s{subproduct.pk}_physical_01" in errors
    html = response.content.decode()
    assert 'value="5000.01"' in html and 'value="12x"' in html and 'aria-invalid="true"' in html
    assert "No se guardó nada" in html
    assert not ProductProgramme.objects.exists() and not SubproductProgramme.objects.exists()


def test_a_row_left_over_a_goal_lowered_since_does_not_block_saving_the_others(client, plan, planner):
    institution, product, subproduct = plan
    ProductProgrammeFactory(product=product, month=1, physical=D("1100"))
    document = ReprogrammingFactory(institution=institution, date=datetime.date(2025, 12, 1))
    ReprogrammingLineFactory(reprogramming=document, product=product, new_goal=D("1000"))
    client.force_login(planner)
    data = opened_page(client)
    data[f"s{subproduct.pk}_physical_02"] = "9"
    assert client.post(url(), data).status_code == 302
    data = opened_page(client)
    data[f"p{product.pk}_physical_02"] = "1"
    errors = client.post(url(), data).context["form"].errors
    assert errors == {
        f"p{product.pk}_physical_01": [
            "La programación física de «Emisión» suma 1,101.00 y supera su meta vigente de 1,000.00."
        ]
    }


def test_a_stale_save_writes_nothing_and_names_who_changed_the_programme(client, plan, planner):
    _institution, product, subproduct = plan
    client.force_login(planner)
    data = opened_page(client)
    colleague = RoleUserFactory(institution=plan[0], role="Planificador", first_name="Luis", last_name="Gómez")
    SubproductProgrammeFactory(subproduct=subproduct, month=5, physical=D("30"), updated_by=colleague)
    data[f"s{subproduct.pk}_physical_05"] = "40"
    data[f"p{product.pk}_physical_05"] = "40"
    html = client.post(url(), data).content.decode()
    assert "Alguien más guardó la programación" in html and "Luis Gómez" in html and "Pasaportes" in html
    assert 'value="40"' in html
    assert SubproductProgramme.objects.get().physical == D("30.00")
    assert not ProductProgramme.objects.exists()


def test_months_under_an_approved_report_are_read_only_and_later_months_stay_editable(client, plan, planner):
    institution, product, _subproduct = plan
    ProductProgrammeFactory(product=product, month=2, physical=D("5"))
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert (
        "Solo lectura:" in html
        and "La programación de enero 2025 pertenece al reporte aprobado del Primer Cuatrimestre 2025" in html
    )
    assert "readonly" in input_tag(html, f"p{product.pk}_physical_04")
    assert "readonly" not in input_tag(html, f"p{product.pk}_physical_05")

    data = opened_page(client)
    data[f"p{product.pk}_physical_05"] = "7"
    assert client.post(url(), data).status_code == 302
    assert ProductProgramme.objects.get(month=5).physical == D("7.00")

    data = opened_page(client)
    data[f"p{product.pk}_physical_02"] = "6"
    data[f"p{product.pk}_physical_06"] = "8"
    html = client.post(url(), data).content.decode()
    assert "La programación de febrero 2025 pertenece al reporte aprobado" in html
    assert ProductProgramme.objects.get(month=2).physical == D("5.00")
    assert not ProductProgramme.objects.filter(month=6).exists()


def test_months_whose_entry_window_closed_are_read_only_for_planners(client, plan, planner):
    Period.objects.create(year=2025, cuatrimestre=1, load_deadline=datetime.date(2025, 5, 15))
    client.force_login(planner)
    html = client.get(url()).content.decode()
    assert "Solo lectura:" in html and "venció el 15/05/2025" in html
    assert "readonly" in input_tag(html, f"p{plan[1].pk}_physical_01")
    assert "readonly" not in input_tag(html, f"p{plan[1].pk}_physical_05")


def test_the_model_layer_refuses_a_frozen_programme_month(plan, planner):
    institution, product, _subproduct = plan
    record = ProductProgrammeFactory(product=product, month=3, physical=D("5"))
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    record.physical = D("6")
    with pytest.raises(ValidationError, match="La programación de marzo 2025"):
        record.save()
    ProductProgrammeFactory(product=product, month=5, physical=D("6"))


@pytest.mark.parametrize("role", ["Director", "Lector"])
def test_others_of_the_institution_read_but_cannot_save(client, plan, planner, role):
    institution = plan[0]
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    client.force_login(RoleUserFactory(institution=institution, role=role))
    html = client.get(url()).content.decode()
    assert "Pasaportes" in html and "Guardar la programación" not in html and "readonly" in html
    assert client.post(url(), {}).status_code == 403


def test_a_reader_sees_the_programme_of_approved_cuatrimestres_only(client, plan, planner):
    """The reading rule of approvals.reading: February (first cuatrimestre approved) and not June; the goal as the
    approved report prints it, before November's reprogramming."""
    institution, product, _subproduct = plan
    ProductProgrammeFactory(product=product, month=2, physical=D("5"))
    ProductProgrammeFactory(product=product, month=6, physical=D("9"))
    client.force_login(RoleUserFactory(institution=institution, role="Lector"))
    assert client.get(url()).status_code == 403
    services.submit(user=planner, institution=institution, year=2025, cuatrimestre=1)
    services.approve(
        user=RoleUserFactory(institution=institution, role="Director"),
        institution=institution,
        year=2025,
        cuatrimestre=1,
    )
    response = client.get(url())
    initial = response.context["form"].initial
    assert (initial[f"p{product.pk}_physical_02"], initial.get(f"p{product.pk}_physical_06")) == (D("5.00"), None)
    [line] = [line for line in response.context["lines"] if line.row.item == product]
    assert (line.goal, line.total) == (D("1000.00"), D("5.00"))
    assert "sin reporte aprobado se muestran vacíos" in response.content.decode()
    client.force_login(planner)
    initial = client.get(url()).context["form"].initial
    assert (initial[f"p{product.pk}_physical_02"], initial[f"p{product.pk}_physical_06"]) == (D("5.00"), D("9.00"))


@pytest.mark.parametrize("role", ["Planificador", "Director", "Lector"])
def test_another_institutions_users_get_not_found(client, plan, role):
    client.force_login(RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role=role))
    assert client.get(url()).status_code == 404
    assert client.post(url(), {}).status_code == 404
    # Its own programme: a reader's only once a report of the year is approved (approvals.reading).
    assert client.get(url("OTRA")).status_code == (403 if role == "Lector" else 200)


def test_the_menu_opens_this_years_programme_of_the_users_institution(client, plan, planner):
    client.force_login(planner)
    response = client.get(reverse("goals:programme_chosen_year"), {"anio": "2024"})
    assert response["Location"] == url(year=2024)
    assert client.get(url(year=1999)).status_code == 404
    assert reverse("goals:programme_chosen_year") in client.get(url()).content.decode()


# Each bound counts two statements that bump the institution's version of its figures (goals.versions).
@pytest.mark.parametrize(("extra_products", "save_bound"), [(0, 38), (10, 38), (30, 50)])
def test_page_and_save_queries_do_not_grow_with_the_plan(
    client, plan, planner, django_assert_max_num_queries, extra_products, save_bound
):
    """The plan alone, ten times it, and 31 products with a subproduct each: 1,116 fields, past Django's default
    limit of 1,000. Only SQLite's cap on a statement's parameters splits the bulk inserts of the largest."""
    _institution, product, _subproduct = plan
    for index in range(extra_products):
        SubproductFactory(product=ProductFactory(result=product.result, name=f"P{index}"), name=f"S{index}")
    client.force_login(planner)
    with django_assert_max_num_queries(19):
        client.get(url())
    data = opened_page(client, value="1")
    with django_assert_max_num_queries(save_bound):
        assert client.post(url(), data).status_code == 302
    rows = extra_products + 1
    assert SubproductProgramme.objects.filter(physical=1, financial=1).count() == rows * 12
    assert ProductProgramme.objects.filter(physical=1).count() == rows * 12


def test_the_sheet_reads_the_plan_in_a_fixed_number_of_queries(plan, django_assert_num_queries):
    institution, product, _subproduct = plan
    with django_assert_num_queries(4):  # goals, products, subproducts, their records
        programme_sheet(institution=institution, year=2025)
    for index in range(20):
        SubproductFactory(product=ProductFactory(result=product.result), name=f"S{index}")
    with django_assert_num_queries(4):
        rows, _version = programme_sheet(institution=institution, year=2025)
    assert len(rows) == 42
    assert Institution.objects.count() == 1
