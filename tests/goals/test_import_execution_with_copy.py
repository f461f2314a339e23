"""On PostgreSQL an import writes its monthly figures and their history with COPY (goals.writes.copy_figures): the
records and history rows it leaves are those the ORM and django-simple-history leave (goals.writes.save_figures)."""

from decimal import Decimal

import pytest
from django.db import connection

from goals import writes
from goals.imports import EXECUTION_COLUMNS, import_file
from goals.models import ProductExecution, SubproductExecution
from tests.factories import ProductFactory, ResultFactory, SubproductFactory, UserFactory
from tests.goals.imports_helpers import csv_file

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

SUBPRODUCTS = ("Informes", "Talleres")


def plan(code):
    product = ProductFactory(result=ResultFactory(institution__code=code, year=2025), name="Dirección")
    for name in SUBPRODUCTS:
        SubproductFactory(product=product, name=name)


def first_file(code):
    product = [[code, 2025, month, "Dirección", "", str(month), ""] for month in (1, 2, 3)]
    subproducts = [[code, 2025, month, "Dirección", name, "2", "1,234.50"] for name in SUBPRODUCTS for month in (1, 2)]
    return product + subproducts


def second_file(code):
    """Product's January unchanged, February changed, April new; a subproduct's month changed, one unchanged."""
    return [
        [code, 2025, 1, "Dirección", "", "1", ""],
        [code, 2025, 2, "Dirección", "", "7", ""],
        [code, 2025, 4, "Dirección", "", "4", ""],
        [code, 2025, 1, "Dirección", "Informes", "2", "1,234.50"],
        [code, 2025, 2, "Dirección", "Informes", "2", "99.99"],
        [code, 2025, 3, "Dirección", "Talleres", "0", "0"],
    ]


def stored(code):
    """The institution's monthly execution and its history, by row name and month (ids checked, then left out)."""
    records, history = {}, []
    for model, target in ((ProductExecution, "product"), (SubproductExecution, "subproduct")):
        result = "product__result" if target == "product" else "subproduct__product__result"
        mine = model.objects.filter(**{f"{result}__institution__code": code})
        ids = []
        for record in mine.select_related(target):
            key = (getattr(record, target).name, record.month)
            records[key] = (record.pk, record.physical, getattr(record, "financial", None), record.updated_by_id)
            ids.append(record.pk)
        for row in model.history.filter(id__in=ids):
            key = (getattr(row, target).name, row.month)
            assert row.id == records[key][0]
            assert row.updated_at <= row.history_date
            history.append(
                (*key, row.physical, getattr(row, "financial", None), row.updated_by_id, row.history_type)
                + (row.history_change_reason, row.history_user_id)
            )
    return {key: values[1:] for key, values in records.items()}, sorted(history)


@pytest.mark.parametrize("superuser", [False, True], ids=["command line", "a superuser"])
def test_copy_writes_the_records_and_history_the_orm_writes(monkeypatch, superuser):
    user = UserFactory(is_superuser=True) if superuser else None
    plan("COPY")
    plan("ORM")
    counts = {}
    for code in ("COPY", "ORM"):
        if code == "ORM":
            monkeypatch.setattr(writes, "copy_figures", writes.save_figures)
        for rows in (first_file(code), second_file(code)):
            result = import_file("ejecucion", csv_file(EXECUTION_COLUMNS, *rows), "e.csv", user=user)
            assert result.ok, result.errors
            counts.setdefault(code, []).append((result.created, result.updated))
    assert counts["COPY"] == counts["ORM"] == [(7, 0), (2, 2)]
    copied, by_orm = stored("COPY"), stored("ORM")
    assert copied == by_orm
    records, history = copied
    assert len(records) == 9 and len(history) == 11
    signer = user and user.pk
    assert records[("Informes", 2)] == (Decimal("2.00"), Decimal("99.99"), signer)
    assert records[("Dirección", 2)] == (Decimal("7.00"), None, signer)
    assert records[("Dirección", 1)] == (Decimal("1.00"), None, signer)
    assert [row[5:] for row in history if row[:2] == ("Dirección", 2)] == [
        ("+", None, signer),
        ("~", "", signer),
    ]
