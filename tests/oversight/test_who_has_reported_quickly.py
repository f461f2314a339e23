"""/seguimiento/ writes its table rows, its filters' options and its order itself, for speed with hundreds of
institutions: the markup and the order are exactly django-tables2's and Django's own."""

import datetime

import pytest
from django import forms
from django.forms.models import ModelChoiceIterator
from django.template import engines
from django.test import RequestFactory
from django_tables2 import RequestConfig
from django_tables2.data import TableListData
from django_tables2.utils import OrderByTuple

from approvals.models import Period, PeriodExtension
from goals.access import institutions_for
from goals.models import Institution, InstitutionType, Sector
from oversight.follow_up import follow_up_rows
from oversight.forms import FollowUpForm
from oversight.tables import FollowUpTable
from tests.factories import InstitutionFactory, UserFactory
from tests.oversight.test_who_has_reported import reported

pytestmark = pytest.mark.django_db

SORTS = ["", "code", "-name", "days", "-days", "approved_on", "-submitted_on", "deadline", "type_label,-days",
         "-sector_label,approved_on", "status", "-outcome_label"]  # fmt: skip


@pytest.fixture
def rows():
    """Every outcome, None dates and margins, a margin of thousands of days, equal values and a hostile name."""
    period = Period.objects.create(
        year=2025, cuatrimestre=1, load_deadline=datetime.date(2025, 5, 10), oficio_deadline=datetime.date(2025, 5, 15)
    )
    types, sectors = InstitutionType.values, Sector.values
    institutions = [
        InstitutionFactory(code=f"C{n:02d}", institution_type=types[n % 3], sector=sectors[n % 4]) for n in range(12)
    ]
    Institution.objects.filter(code="C05").update(name='<b>"Tom" & Jerry</b>')
    PeriodExtension.objects.create(
        period=period,
        institution=institutions[3],
        load_deadline=datetime.date(2025, 5, 20),
        oficio_deadline=datetime.date(2025, 5, 25),
    )
    for n, institution in enumerate(institutions):
        if n % 4 == 1:
            reported(institution, datetime.date(2025, 5, 10))
        elif n % 4 == 2:
            reported(institution, datetime.date(2025, 5, 10), datetime.date(2025, 5, 12 + n))
        elif n % 4 == 3:
            reported(institution, datetime.date(2025, 5, 1), datetime.date(2025, 5, 14))
    return follow_up_rows(Institution.objects.all(), 2025, 1, today=datetime.date(2028, 6, 1))


def rendered(table, query):
    """The table's HTML as the page writes it, five rows a page."""
    request = RequestFactory().get("/seguimiento/", query)
    RequestConfig(request, paginate={"per_page": 5}).configure(table)
    template = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")
    return template.render({"table": table, "request": request}, request)


@pytest.mark.parametrize("sort", SORTS)
def test_the_rows_are_in_django_tables2s_order(rows, sort):
    table = FollowUpTable(rows, order_by=sort or None)
    theirs = TableListData(list(rows))
    theirs.set_table(table)
    if sort:
        theirs.order_by(OrderByTuple(sort.split(",")))

    assert [row.code for row in table.data] == [row.code for row in theirs]


@pytest.mark.parametrize("sort", SORTS)
def test_the_table_is_written_as_django_tables2_writes_it(rows, sort, settings):
    settings.LANGUAGE_CODE = "es-gt"
    for page in ("1", "3"):
        query = {"sort": sort, "page": page} if sort else {"page": page}

        ours = rendered(FollowUpTable(rows), query)
        theirs = rendered(FollowUpTable(rows, template_name="django_tables2/bootstrap5.html"), query)

        assert ours == theirs
    assert '<td class="num">-1,113</td>' in rendered(FollowUpTable(rows), {"sort": "days"})
    assert "&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;" in rendered(FollowUpTable(rows), {"sort": "name"})


@pytest.mark.parametrize(
    "query",
    [{}, {"anio": "2025", "cuatrimestre": "1", "tipo": "ministerio", "institucion": ["C03", "C05"]},
     {"anio": "1999", "sector": "nada", "resultado": "tarde"}],
)  # fmt: skip
def test_the_filters_are_written_as_django_writes_them(rows, query):
    overseer = UserFactory(username="segeplan", institution=None)
    overseer.readable_institutions.set(Institution.objects.all())
    ours = FollowUpForm(query, institutions=institutions_for(overseer), today=datetime.date(2025, 7, 1))
    theirs = FollowUpForm(query, institutions=institutions_for(overseer), today=datetime.date(2025, 7, 1))
    for name, field in theirs.fields.items():
        widget = forms.SelectMultiple if name == "institucion" else forms.Select
        choices = list(ModelChoiceIterator(field)) if name == "institucion" else field.choices
        field.widget = widget(choices=choices)

    assert str(ours.as_div()) == str(theirs.as_div())
    assert "C05 — &lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;" in str(ours.as_div())
