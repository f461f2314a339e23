"""A user opens the home page: their institution's products against the plan, the reports' path and deadlines,
the months nobody entered and the alerts; readers and other institutions see only what they may."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from approvals import services
from approvals.dashboard import build_dashboard, sections
from approvals.demo import load_demo
from approvals.models import Period
from goals.models import (
    Institution,
    ProductExecution,
    ProductProgramme,
    SubproductExecution,
)
from reports.charts import month_bars
from reports.progress import LIGHT_LABELS
from tests.factories import (
    InstitutionFactory,
    ProductFactory,
    ResultFactory,
    RoleUserFactory,
    SubproductFactory,
    UserFactory,
    build_plan,
    demo_in_draft,
    progress_row,
)
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db

CONTROL_REGISTRO = "Control Registro de Nacionales y Extranjeros en el Territorio Nacional"
PRORROGA_ALERT = "gasto de Q 629,998.90 con meta financiera vigente de 0.00."
# 23 (the entry windows read once), the menu asking whether the user reads other institutions, two figures versions
# (cold)
DASHBOARD_QUERIES = 26
D = Decimal


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


@pytest.fixture
def igm_in_draft():
    """The demo with no report acted on yet (load_demo approves its first two cuatrimestres)."""
    return demo_in_draft()


@pytest.fixture
def today(monkeypatch):
    """Fix the day the page is computed for (America/Guatemala's date)."""

    def fix(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return fix


def page(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return response.content.decode()


def rows_of(dashboard):
    return {row.progress.name: row for _label, rows in dashboard.sections for row in rows}


def test_the_seed_control_registro_stands_at_91_20_physical_at_year_end(igm):
    dashboard = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2025, 1, 5))
    assert dashboard.month == 12
    row = rows_of(dashboard)[CONTROL_REGISTRO]
    assert row.progress.physical.pct == Decimal("91.20")
    assert row.progress.physical.expected_pct == Decimal("100.00")
    assert row.progress.physical.light == "verde"
    assert row.progress.financial.pct == Decimal("73.72")
    assert row.light_label == "Atención"  # the worse of the two: 73.72 % of the 100.00 % expected
    assert [label for label, _rows in dashboard.sections] == ["RI/PGG"]
    assert len(rows_of(dashboard)) == 6


def test_products_linked_to_ri_come_before_those_linked_to_re():
    institution = InstitutionFactory(code="SECC")
    strategic = ResultFactory(institution=institution, link="RE", order=0)
    institutional = ResultFactory(institution=institution, link="RI", order=1)
    ProductFactory(result=strategic, name="Estratégico")
    ProductFactory(result=institutional, name="Institucional")
    dashboard = build_dashboard(institution=institution, year=2024, internal=True, today=datetime.date(2025, 1, 5))
    assert [(label, [row.progress.name for row in rows]) for label, rows in dashboard.sections] == [
        ("RI/PGG", ["Institucional"]), ("RE", ["Estratégico"]),
    ]  # fmt: skip


def test_the_planner_sees_progress_lights_and_monthly_bars(client, igm, today):
    today(datetime.date(2025, 1, 5))
    html = page(client, RoleUserFactory(institution=igm, role="Planificador"))
    assert "Tablero 2024" in html and CONTROL_REGISTRO in html
    assert "91.20" in html
    assert "Productos vinculados a RI/PGG" in html
    assert html.count('<svg class="sparkline"') == 12  # 6 products × physical and financial
    assert 'class="light light-' in html
    assert inline_code(client.get(reverse("home"))) == []  # the charts keep the Content-Security-Policy


def test_the_dashboard_lists_the_prorroga_spending_on_a_zero_goal(client, igm, today):
    today(datetime.date(2025, 1, 5))
    dashboard = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2025, 1, 5))
    assert dashboard.alerts_report.cuatrimestre == 3
    assert ("Prorroga de Documentos Migratorios", PRORROGA_ALERT) in [(a.item, a.message) for a in dashboard.alerts]
    assert len(dashboard.alerts) == 9
    html = page(client, RoleUserFactory(institution=igm, role="Director"))
    assert "9 alertas antes de aprobar" in html and PRORROGA_ALERT in html


def test_the_alerts_are_those_of_the_cuatrimestre_in_progress(igm_in_draft):
    igm = igm_in_draft
    assert (
        build_dashboard(
            institution=igm, year=2024, internal=True, today=datetime.date(2024, 6, 10)
        ).alerts_report.cuatrimestre
        == 2
    )
    assert (
        build_dashboard(
            institution=igm, year=2024, internal=True, today=datetime.date(2024, 9, 2)
        ).alerts_report.cuatrimestre
        == 2
    )
    assert (
        build_dashboard(
            institution=igm, year=2024, internal=True, today=datetime.date(2024, 10, 1)
        ).alerts_report.cuatrimestre
        == 3
    )


def test_no_alerts_once_the_cuatrimestre_is_approved(igm):
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    services.approve(user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3)
    dashboard = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2025, 1, 5))
    assert dashboard.alerts == [] and dashboard.alerts_report is None


def test_progress_is_measured_at_the_last_closed_month(igm):
    dashboard = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2024, 7, 20))
    assert dashboard.month == 6
    physical = rows_of(dashboard)[CONTROL_REGISTRO].progress.physical
    assert physical.cumulative == sum(physical.months[:6])
    assert physical.expected_pct == Decimal("50.00")  # no programme: half the year


def test_a_product_behind_its_monthly_programme_is_red():
    product = ProductFactory(result=ResultFactory(institution=InstitutionFactory(code="PROG")), physical_initial=100)
    SubproductFactory(product=product, financial_initial=D("1000.00"))
    ProductProgramme.objects.bulk_create(
        ProductProgramme(product=product, month=month, physical=10) for month in range(1, 7)
    )
    ProductExecution.objects.bulk_create(
        ProductExecution(product=product, month=month, physical=5) for month in range(1, 7)
    )
    dashboard = build_dashboard(
        institution=product.result.institution, year=2024, internal=True, today=datetime.date(2024, 7, 3)
    )
    row = rows_of(dashboard)[product.name]
    assert (row.progress.physical.pct, row.progress.physical.expected_pct) == (D("30.00"), D("60.00"))
    assert (row.progress.financial.pct, row.progress.financial.expected_pct) == (D("0.00"), D("50.00"))
    assert row.light_label == "Rezagado"


def test_report_states_and_days_left_or_overdue_on_a_fixed_day(client, igm_in_draft, today):
    igm = igm_in_draft
    planner = RoleUserFactory(institution=igm, role="Planificador")
    director = RoleUserFactory(institution=igm, role="Director")
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=1)
    services.approve(user=director, institution=igm, year=2024, cuatrimestre=1)
    services.submit(user=planner, institution=igm, year=2024, cuatrimestre=2)
    services.return_report(user=director, institution=igm, year=2024, cuatrimestre=2, comment="Revise agosto.")
    Period.objects.create(
        year=2024, cuatrimestre=2, load_deadline=datetime.date(2024, 9, 13), oficio_deadline=datetime.date(2024, 9, 20)
    )
    Period.objects.create(year=2024, cuatrimestre=3)  # 15 days after December: 15/01/2025
    day = datetime.date(2024, 9, 16)

    states = build_dashboard(institution=igm, year=2024, internal=True, today=day).reports
    assert [(state.status, state.label) for state in states] == [
        ("aprobado", "Aprobado"), ("devuelto", "Devuelto"), ("borrador", "Borrador"),
    ]  # fmt: skip
    assert states[0].load_deadline is None
    assert states[0].oficio_deadline.date == datetime.date(2024, 5, 15)  # no period: the legal 15 days
    assert (states[1].load_deadline.days_left, states[1].oficio_deadline.days_left) == (-3, 4)
    assert states[2].load_deadline.date == datetime.date(2025, 1, 15) and states[2].load_deadline.days_left == 121

    today(day)
    html = page(client, director)
    assert "vencido hace 3 días" in html and "faltan 4 días" in html and "faltan 121 días" in html
    assert "13/09/2024" in html and "sin plazo fijado" in html
    assert 'class="status status-devuelto">Devuelto<' in html


def test_the_next_day_counts_its_days_again_with_nothing_written(
    client, igm_in_draft, today, django_capture_on_commit_callbacks
):
    Period.objects.create(year=2024, cuatrimestre=2, load_deadline=datetime.date(2024, 9, 13))
    director = RoleUserFactory(institution=igm_in_draft, role="Director")

    def read_on(day):
        today(day)
        with django_capture_on_commit_callbacks(execute=True):  # stored in the cache as a request's commit stores it
            return page(client, director, anio=2024)

    assert "faltan 2 días" in read_on(datetime.date(2024, 9, 11))
    assert "faltan 2 días" in read_on(datetime.date(2024, 9, 11))  # read back from the cache
    assert "falta 1 día" in read_on(datetime.date(2024, 9, 12))


def test_a_report_in_review_then_due_today(igm):
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    Period.objects.create(year=2024, cuatrimestre=3, load_deadline=datetime.date(2025, 1, 10))
    state = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2025, 1, 10)).reports[2]
    assert (state.status, state.label, state.load_deadline.days_left, state.oficio_deadline.days_left) == (
        "en_revision", "En revisión", 0, 5,
    )  # fmt: skip


def test_months_without_any_figure_are_listed_with_their_window(client, igm, today):
    ProductExecution.objects.filter(month__in=[10, 11]).delete()
    SubproductExecution.objects.filter(month__in=[10, 11]).delete()
    ProductExecution.objects.filter(month=9).update(physical=0)  # zeros typed in are figures
    SubproductExecution.objects.filter(month=9).update(physical=0, financial=0)
    Period.objects.create(year=2024, cuatrimestre=3, load_deadline=datetime.date(2025, 1, 15))

    during = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2024, 12, 10))
    assert [(empty.month, empty.deadline, empty.closed) for empty in during.empty_months] == [
        (10, datetime.date(2025, 1, 15), False), (11, datetime.date(2025, 1, 15), False),
    ]  # fmt: skip
    assert not [alert for alert in during.alerts if alert.item.startswith(("Octubre", "Noviembre"))]

    after = build_dashboard(institution=igm, year=2024, internal=True, today=datetime.date(2025, 1, 16))
    assert [empty.closed for empty in after.empty_months] == [True, True]
    assert [alert.item for alert in after.alerts if alert.item.endswith("2024")] == ["Octubre 2024", "Noviembre 2024"]

    today(datetime.date(2025, 1, 16))
    html = page(client, RoleUserFactory(institution=igm, role="Planificador"))
    assert "Meses sin cifras" in html and "el plazo de carga venció el 15/01/2025." in html
    assert "<strong>Octubre 2024</strong>" in html and "Septiembre 2024" not in html


def test_a_reader_sees_the_reports_but_no_draft_figures(client, igm, today):
    today(datetime.date(2025, 1, 5))  # the demo's first two cuatrimestres are approved, its third a draft
    html = page(client, RoleUserFactory(institution=igm, role="Lector"))
    assert "Reportes cuatrimestrales" in html and "Aprobado" in html
    assert f'href="{reverse("reports:report", args=["IGM", 2024, 1])}"' in html
    assert f'href="{reverse("reports:report", args=["IGM", 2024, 3])}"' not in html
    assert f'href="{reverse("approvals:report_status", args=["IGM", 2024, 3])}"' in html
    assert "Su rol permite consultar los reportes aprobados" in html
    for draft in (CONTROL_REGISTRO, "91.20", PRORROGA_ALERT, "sparkline"):
        assert draft not in html


def test_another_institutions_user_never_sees_igm(client, igm):
    other = RoleUserFactory(institution=InstitutionFactory(code="OTRA"), role="Director")
    html = page(client, other)
    assert "Institución OTRA" in html and "OTRA no tiene plan para el año" in html
    assert CONTROL_REGISTRO not in html and "Instituto Guatemalteco" not in html
    client.force_login(other)
    assert client.get(reverse("home"), {"institucion": "IGM"}).status_code == 404


def test_oversight_staff_choose_an_institution_and_see_only_its_reports(client, igm):
    auditor = RoleUserFactory(institution=InstitutionFactory(code="SEGEPLAN"), role="Lector")
    auditor.readable_institutions.add(igm)
    html = page(client, auditor, institucion="IGM", anio="2024")
    assert '<select name="institucion"' in html and "Instituto Guatemalteco de Migración" in html
    assert "Reportes cuatrimestrales" in html and CONTROL_REGISTRO not in html


def test_the_year_defaults_to_the_latest_plan_and_a_bad_year_is_said(client, igm):
    planner = RoleUserFactory(institution=igm, role="Planificador")
    html = page(client, planner)
    assert "Tablero 2024" in html and 'value="2024"' in html
    assert html.count('anio=2024">2024</a>') == 1  # the years with a plan, each once
    html = page(client, planner, anio="dos mil")
    assert "Tablero 2024" in html and 'value="dos mil"' in html and "errorlist" in html
    assert "IGM no tiene plan para el año 2023." in page(client, planner, anio="2023")


def test_a_user_without_institution_is_told_so(client):
    html = page(client, UserFactory(institution=None))
    assert "Su usuario no pertenece a ninguna institución" in html


def test_the_page_reads_a_bounded_number_of_queries(client, igm, django_assert_max_num_queries):
    client.force_login(RoleUserFactory(institution=igm, role="Director"))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        html = client.get(reverse("home")).content.decode()
    assert CONTROL_REGISTRO in html and "9 alertas antes de aprobar" in html
    large = InstitutionFactory(code="GRANDE")
    build_plan(large, results=10, products_per_result=6, subproducts_per_product=3)  # 240 items, > 10 × the seed's 17
    client.force_login(RoleUserFactory(institution=large, role="Director"))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        html = client.get(reverse("home")).content.decode()
    assert html.count('<svg class="sparkline"') == 120


# home.html's product rows before approvals.dashboard.ProductRows wrote them in Python.
TEMPLATE_ROWS = """{% for row in rows %}
      <tr>
        <th scope="row" class="name">{{ row.progress.name }}</th>
        <td>{{ row.progress.unit }}</td>
        <td class="num">{{ row.progress.physical.pct|floatformat:"2g" }}</td>
        <td class="num">{{ row.progress.physical.expected_pct|floatformat:"2g" }}</td>
        <td>{{ row.physical_chart }}</td>
        <td class="num">{{ row.progress.financial.pct|floatformat:"2g" }}</td>
        <td class="num">{{ row.progress.financial.expected_pct|floatformat:"2g" }}</td>
        <td>{{ row.financial_chart }}</td>
        <td><span class="light light-{{ row.progress.light }}">{{ row.light_label }}</span></td>
      </tr>
      {% endfor %}"""


@pytest.mark.parametrize("language", ["es-gt", "en"])
def test_the_product_rows_are_written_as_the_template_wrote_them(language):
    rows = [
        progress_row("Visas <b>\"&'</b>", "Doc & más", (D("1000"), D("912"), None), (D("0.02"), D("12345.67"), None)),
        progress_row("Sin meta", "Persona", (D("0"), D("5"), None), (D("300000"), D("-0.001"), D("100"))),
        progress_row("Rezagado", "Informe", (D("3"), D("-1"), D("2")), (D("7"), D("7"), D("7"))),
    ]
    with translation.override(language):
        [(_label, written)] = sections(rows, 9)
        physical = gettext("Ejecución física mensual de %(name)s")
        financial = gettext("Ejecución financiera mensual de %(name)s")
        templated = [
            {
                "progress": row,
                "physical_chart": month_bars(row.physical.months, 9, physical % {"name": row.name}, language),
                "financial_chart": month_bars(row.financial.months, 9, financial % {"name": row.name}, language),
                "light_label": LIGHT_LABELS[row.light],
            }
            for row in rows
        ]
        expected = Template(TEMPLATE_ROWS).render(Context({"rows": templated}))
    assert "".join(row.html for row in written) == expected
    assert '<td class="num">61,728,350.00</td>' in expected and '<td class="num">0.00</td>' in expected
    assert '<td class="num">-0.00</td>' not in expected
    assert "&lt;b&gt;" in expected
