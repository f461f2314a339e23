"""Reading a report fast: rows written in Python print every figure as before, and an approved report is
decoded and rendered once, then served from the cache by its SHA-256."""

import json
import re
from unittest import mock

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from approvals import services
from approvals.demo import load_demo
from goals.models import Institution, Subproduct
from reports.computation import build_report, report_to_dict
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db

NUMBER_CELL = re.compile(r'<td class="num(?: pct)?">([^<]*)</td>')


@pytest.fixture
def igm():
    load_demo()
    return Institution.objects.get(code="IGM")


def report_url(name="reports:report"):
    return reverse(name, args=["IGM", 2024, 3])


def printed_figures(report):
    """Every figure of the page, in its order, as floatformat:"2g" prints it."""
    for _heading, sections in report.link_groups:
        for section in sections:
            for product in section.products:
                for item in (product, *product.subproducts):
                    for figures in (item.physical, item.financial):
                        yield floatformat(figures.initial, "2g")
                        yield str(figures.reprogrammings)
                        yield floatformat(figures.current, "2g")
                        for value in (*figures.months, figures.total, figures.pct_period, figures.cumulative):
                            yield floatformat(value, "2g")
                        yield floatformat(figures.pct_cumulative, "2g")
                        yield floatformat(figures.pct_cumulative_initial, "2g")


def test_the_page_prints_every_figure_as_floatformat_did(client, igm):
    client.force_login(RoleUserFactory(institution=igm, role="Planificador"))
    html = client.get(report_url()).content.decode()
    expected = list(printed_figures(build_report(institution=igm, year=2024, cuatrimestre=3)))
    assert len(expected) == 17 * 2 * 12
    assert NUMBER_CELL.findall(html) == expected
    assert "12,901,391.00" in expected and "189.36" in expected


def test_names_are_escaped_in_the_rows(client, igm):
    Subproduct.objects.filter(name__startswith="Informes").update(name="Informes <b> & más")
    client.force_login(RoleUserFactory(institution=igm, role="Planificador"))
    html = client.get(report_url()).content.decode()
    assert "Informes &lt;b&gt; &amp; más" in html and "<b>" not in html


@pytest.fixture
def approved(igm):
    services.submit(
        user=RoleUserFactory(institution=igm, role="Planificador"), institution=igm, year=2024, cuatrimestre=3
    )
    return services.approve(
        user=RoleUserFactory(institution=igm, role="Director"), institution=igm, year=2024, cuatrimestre=3
    )


def test_an_approved_report_is_decoded_and_rendered_once(client, igm, approved, django_assert_max_num_queries):
    client.force_login(RoleUserFactory(institution=igm, role="Lector"))
    first_page = client.get(report_url()).content.decode()
    first_json = client.get(report_url("reports:json")).content
    refuse = mock.Mock(side_effect=AssertionError("an approved report is decoded and rendered once"))
    with (
        mock.patch("approvals.reading.report_from_dict", refuse),
        mock.patch("reports.services.render_to_string", refuse),
        mock.patch("reports.services.report_to_dict", refuse),
        django_assert_max_num_queries(15) as queries,  # one lists the months' medios de verificación
    ):
        page = client.get(report_url()).content.decode()
        content = client.get(report_url("reports:json")).content
    assert not any('"content"' in query["sql"] for query in queries.captured_queries)
    assert NUMBER_CELL.findall(page) == NUMBER_CELL.findall(first_page)
    assert approved.sha256 in page and "BORRADOR" not in page
    assert content == first_json
    assert json.loads(content) == json.loads(approved.content)["report"]


def test_a_reopened_report_is_recomputed_not_served_from_the_cache(client, igm, approved):
    client.force_login(RoleUserFactory(institution=igm, role="Director"))
    before = client.get(report_url("reports:json")).json()
    services.reopen(
        user=RoleUserFactory(institution=igm, role="Director"),
        institution=igm,
        year=2024,
        cuatrimestre=3,
        reason="Corregir septiembre",
    )
    Subproduct.objects.filter(name__startswith="Informes").update(financial_initial=1)
    recomputed = client.get(report_url("reports:json")).json()
    assert recomputed == report_to_dict(build_report(institution=igm, year=2024, cuatrimestre=3)) != before
