"""Oversight staff see, at /seguimiento/, which institutions had their report approved on time, late, or not yet."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from approvals.models import (
    CuatrimestreReport,
    Period,
    PeriodExtension,
    ReportAction,
    ReportStatus,
    ReportTransition,
)
from goals.models import InstitutionType, Sector
from oversight.follow_up import LATE, MISSING, ON_TIME, follow_up_rows, rates
from tests.factories import InstitutionFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(html):
    """The institutions in the page's table (the filter's options name them all)."""
    return sorted(re.findall(r"<td[^>]*>Institución (\w+)</td>", html))


DEADLINE = datetime.date(2025, 5, 15)


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def reported(institution, submitted=None, approved=None):
    """The report of 2025's first cuatrimestre, submitted and approved on those days."""
    status = ReportStatus.APPROVED if approved else ReportStatus.IN_REVIEW if submitted else ReportStatus.DRAFT
    report = CuatrimestreReport.objects.create(institution=institution, year=2025, cuatrimestre=1, status=status)
    user = UserFactory(institution=institution)
    for action, day, before, after in (
        (ReportAction.SUBMIT, submitted, ReportStatus.DRAFT, ReportStatus.IN_REVIEW),
        (ReportAction.APPROVE, approved, ReportStatus.IN_REVIEW, ReportStatus.APPROVED),
    ):
        if day:
            transition = ReportTransition.objects.create(
                report=report, action=action, from_status=before, to_status=after, user=user
            )
            ReportTransition.objects.filter(pk=transition.pk).update(at=moment(day))


@pytest.fixture
def institutions(db):
    period = Period.objects.create(
        year=2025, cuatrimestre=1, load_deadline=datetime.date(2025, 5, 10), oficio_deadline=DEADLINE
    )
    early = InstitutionFactory(code="MINA", institution_type=InstitutionType.MINISTRY, sector=Sector.HEALTH)
    late = InstitutionFactory(code="MINB", institution_type=InstitutionType.MINISTRY, sector=Sector.EDUCATION)
    missing = InstitutionFactory(code="MUNI", institution_type=InstitutionType.MUNICIPALITY, sector=Sector.HEALTH)
    PeriodExtension.objects.create(
        period=period,
        institution=missing,
        load_deadline=datetime.date(2025, 5, 20),
        oficio_deadline=datetime.date(2025, 5, 25),
    )
    reported(early, datetime.date(2025, 5, 10), datetime.date(2025, 5, 12))
    reported(late, datetime.date(2025, 5, 18), datetime.date(2025, 5, 20))
    reported(missing, datetime.date(2025, 5, 24))
    return early, late, missing


@pytest.fixture
def overseer(institutions):
    user = UserFactory(username="segeplan", institution=None)
    user.readable_institutions.set(institutions)
    return user


def test_each_institution_with_its_dates_deadline_and_margin(institutions):
    early, late, missing = institutions
    today = datetime.date(2025, 6, 1)

    rows = follow_up_rows(early._meta.model.objects.all(), 2025, 1, today=today)

    assert [
        (row.code, row.status, row.submitted_on, row.approved_on, row.deadline, row.days, row.outcome) for row in rows
    ] == [
        ("MINA", "Aprobado", datetime.date(2025, 5, 10), datetime.date(2025, 5, 12), DEADLINE, 3, ON_TIME),
        ("MINB", "Aprobado", datetime.date(2025, 5, 18), datetime.date(2025, 5, 20), DEADLINE, -5, LATE),
        ("MUNI", "En revisión", datetime.date(2025, 5, 24), None, datetime.date(2025, 5, 25), -7, MISSING),
    ]
    assert follow_up_rows(early._meta.model.objects.all(), 2025, 1, today=datetime.date(2025, 5, 20))[2].days is None


def test_rates_overall_by_institution_type_and_by_sector(institutions):
    summary = rates(follow_up_rows(institutions[0]._meta.model.objects.all(), 2025, 1))
    overall, by_type = summary.overall, summary.by_type

    assert (overall.institutions, overall.on_time_pct, overall.late_pct, overall.missing_pct) == (
        3, Decimal("33.33"), Decimal("33.33"), Decimal("33.33")
    )  # fmt: skip
    assert [(r.label, r.institutions, r.on_time_pct, r.late_pct, r.missing_pct) for r in by_type] == [
        ("Ministerio", 2, Decimal("50.00"), Decimal("50.00"), Decimal("0.00")),
        ("Municipalidad", 1, Decimal("0.00"), Decimal("0.00"), Decimal("100.00")),
    ]
    assert [(r.label, r.institutions, r.on_time_pct, r.late_pct, r.missing_pct) for r in summary.by_sector] == [
        ("Educación", 1, Decimal("0.00"), Decimal("100.00"), Decimal("0.00")),
        ("Salud", 2, Decimal("50.00"), Decimal("0.00"), Decimal("50.00")),
    ]


def test_the_page_shows_the_readable_institutions_with_rates(client, overseer):
    client.force_login(overseer)

    html = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1}).content.decode()

    assert listed(html) == ["MINA", "MINB", "MUNI"]
    for text in ("12/05/2025", "20/05/2025", "25/05/2025", "Aprobado tarde", "1 (33.33 %)"):
        assert text in html
    assert 'href="/seguimiento/"' in html


def test_filters_by_type_and_outcome(client, overseer):
    client.force_login(overseer)
    url = reverse("oversight:follow_up")

    municipal = client.get(url, {"anio": 2025, "cuatrimestre": 1, "tipo": "municipalidad"}).content.decode()
    late = client.get(url, {"anio": 2025, "cuatrimestre": 1, "resultado": "tarde"}).content.decode()
    health = client.get(url, {"anio": 2025, "cuatrimestre": 1, "sector": "salud"}).content.decode()
    health_ministries = client.get(
        url, {"anio": 2025, "cuatrimestre": 1, "sector": "salud", "tipo": "ministerio"}
    ).content.decode()

    assert listed(municipal) == ["MUNI"]
    assert listed(late) == ["MINB"]
    assert listed(health) == ["MINA", "MUNI"]
    assert listed(health_ministries) == ["MINA"]


def test_sorts_by_any_column(client, overseer):
    client.force_login(overseer)
    url = reverse("oversight:follow_up")
    query = {"anio": 2025, "cuatrimestre": 1}

    def order(sort):
        return re.findall(r"<td[^>]*>Institución (\w+)</td>", client.get(url, {**query, "sort": sort}).content.decode())

    assert order("-code") == ["MUNI", "MINB", "MINA"]
    assert order("days") == ["MUNI", "MINB", "MINA"]  # -7 (not approved, overdue), -5 (late), +3 (early)
    assert order("-approved_on")[:2] == ["MINB", "MINA"]
    assert order("sector_label") == ["MINB", "MINA", "MUNI"]


def test_oversight_staff_see_only_what_they_may_read(client, institutions):
    early, late, _missing = institutions
    reader = UserFactory(username="parcial", institution=None)
    reader.readable_institutions.set([early])
    client.force_login(reader)

    html = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1}).content.decode()

    assert listed(html) == ["MINA"]
    assert "MINB" not in html
    download = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1, "formato": "xlsx"})
    table, summary = load_workbook(io.BytesIO(download.content)).worksheets
    assert [row[0] for row in table.iter_rows(min_row=2, values_only=True)] == ["MINA"]
    assert next(summary.iter_rows(min_row=2, values_only=True))[1:4] == ("Todas", 1, 1)


def test_an_institutions_own_users_get_not_found(client, institutions):
    for role in ("Planificador", "Director", "Lector"):
        client.force_login(RoleUserFactory(institution=institutions[0], role=role))
        response = client.get(reverse("oversight:follow_up"))
        assert response.status_code == 404
        assert 'href="/seguimiento/"' not in client.get(reverse("home")).content.decode()
    client.logout()
    assert client.get(reverse("oversight:follow_up"))["Location"].startswith(reverse("login"))


def test_superusers_see_every_institution(client, institutions):
    client.force_login(UserFactory(username="root", institution=None, is_superuser=True))

    html = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1}).content.decode()

    assert listed(html) == ["MINA", "MINB", "MUNI"]


def test_download_as_xlsx(client, overseer):
    client.force_login(overseer)

    response = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1, "formato": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Código", "Institución", "Tipo", "Sector")
    assert [(row[0], row[7].date(), row[8], row[9]) for row in rows[1:]] == [
        ("MINA", DEADLINE, 3, "Aprobado a tiempo"),
        ("MINB", DEADLINE, -5, "Aprobado tarde"),
        ("MUNI", datetime.date(2025, 5, 25), (datetime.date(2025, 5, 25) - timezone.localdate()).days, "Sin aprobar"),
    ]


def cells(html, table_class):
    """The text of each cell of the page's tables of that class, row by row."""
    rows = []
    for table in re.findall(rf'<table class="{table_class}[^"]*".*?</table>', html, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
            texts = [
                re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
            ]
            if texts and not any(cell.startswith("Instituciones") for cell in texts):
                rows.append(texts)
    return rows


def test_the_download_says_what_the_page_says(client, overseer, institutions):
    client.force_login(overseer)
    query = {"anio": 2025, "cuatrimestre": 1, "sort": "-code"}

    html = client.get(reverse("oversight:follow_up"), query).content.decode()
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("oversight:follow_up"), {**query, "formato": "xlsx"}).content)
    )

    table, summary = workbook.worksheets
    page_rows = [row for row in cells(html, "data") if row[0] in ("MINA", "MINB", "MUNI")]
    sheet_rows = list(table.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in page_rows] == [row[0] for row in sheet_rows] == ["MUNI", "MINB", "MINA"]
    for page, sheet in zip(page_rows, sheet_rows, strict=True):
        assert page[:4] == list(sheet[:4])
        assert page[5:8] == [day.strftime("%d/%m/%Y") if day else "—" for day in sheet[5:8]]
        assert page[8] == ("—" if sheet[8] is None else str(sheet[8]))
        assert page[9] == sheet[9]
    assert summary.title == "Tasas"
    page_rates = cells(html, "data rates")
    sheet_rates = [
        [row[1], str(row[2]), *(f"{row[i]} ({Decimal(str(row[i + 1])):.2f} %)" for i in (3, 5, 7))]
        for row in summary.iter_rows(min_row=2, values_only=True)
    ]
    assert sheet_rates[0] == ["Todas", "3", "1 (33.33 %)", "1 (33.33 %)", "1 (33.33 %)"]
    by_type = [row for row in page_rates if row[0] in ("Ministerio", "Municipalidad")]
    by_sector = [row for row in page_rates if row[0] in ("Educación", "Salud")]
    assert by_type + by_sector == sheet_rates[1:]
    assert page_rates.count(sheet_rates[0]) == 2  # the footer of both tables


def test_a_hostile_institution_name_is_not_a_formula_in_the_download(client, overseer, institutions):
    institutions[0].__class__.objects.filter(pk=institutions[0].pk).update(name='=HYPERLINK("http://x")')
    client.force_login(overseer)

    response = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1, "formato": "xlsx"})

    assert load_workbook(io.BytesIO(response.content)).active["B2"].value == '\'=HYPERLINK("http://x")'


def page_queries(client, count, django_assert_max_num_queries):
    """The queries of /seguimiento/ for an overseer reading `count` institutions, every other one reported."""
    overseer = UserFactory(username=f"segeplan{count}", institution=None)
    institutions = [InstitutionFactory(code=f"I{count}x{n:02d}") for n in range(count)]
    overseer.readable_institutions.set(institutions)
    for institution in institutions[::2]:
        reported(institution, datetime.date(2025, 5, 10), datetime.date(2025, 5, 12))
    client.force_login(overseer)

    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("oversight:follow_up"), {"anio": 2025, "cuatrimestre": 1})

    html = response.content.decode()
    assert listed(html) == [institution.code for institution in institutions][:25]  # a page
    assert html.count("<td >Aprobado a tiempo</td>") == len(institutions[:25:2])
    return len(captured)


def test_a_bounded_number_of_queries_whatever_the_number_of_institutions(client, django_assert_max_num_queries):
    assert page_queries(client, 3, django_assert_max_num_queries) == page_queries(
        client, 30, django_assert_max_num_queries
    )
