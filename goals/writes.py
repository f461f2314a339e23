"""The rules that write goals and execution, in bulk and with history: the imports and the entry pages call these.

Callers take the institution's lock and check the freeze first (goals.freeze).
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from goals.models import (
    ZERO,
    Institution,
    Product,
    ProductExecution,
    ProductProgramme,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)

# A model class, typed loosely: the stubs know neither its default manager by name nor its `history`.
ModelClass = type[Any]
# (row model, monthly model, the monthly model's field naming its row)
MonthlyModels = tuple[tuple[ModelClass, ModelClass, str], ...]
# (Product or Subproduct, pk, month) -> (row, month, physical, financial or None for a product)
Figures = dict[tuple[ModelClass, int, int], tuple[Any, int, Decimal, Decimal | None]]


class Upserter:
    """Creates or updates records by a lookup, saving only the fields that differ, and counts what it did.

    Saving only what changed keeps re-runs (load_demo, a re-imported plan) from writing history or
    touching records that an approved report freezes.
    """

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def upsert(self, model: ModelClass, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        return self.upsert_changes(model, lookup, values)[0]

    def upsert_changes(
        self, model: ModelClass, lookup: dict[str, Any], values: dict[str, Any]
    ) -> tuple[Any, bool, list[tuple[str, Any, Any]]]:
        """(the record, whether it was created, each changed field's (name, old value, new value))."""
        record = model.objects.filter(**lookup).first()
        if record is None:
            self.created += 1
            return model.objects.create(**{**values, **lookup}), True, []
        changed = [
            (name, getattr(record, name), value) for name, value in values.items() if getattr(record, name) != value
        ]
        if changed:
            for name, _old, value in changed:
                setattr(record, name, value)
            record.save(update_fields=[name for name, _old, _value in changed])
            self.updated += 1
        return record, False, changed


BATCH = 2000
# (row model, monthly model, the monthly model's field naming its row) of execution and of programme.
EXECUTION_MODELS: MonthlyModels = (
    (Product, ProductExecution, "product"),
    (Subproduct, SubproductExecution, "subproduct"),
)
PROGRAMME_MODELS: MonthlyModels = (
    (Product, ProductProgramme, "product"),
    (Subproduct, SubproductProgramme, "subproduct"),
)


def stored_records(models: MonthlyModels, *, institution: Institution | int, year: int, **filters: Any) -> list[Any]:
    """The stored monthly records (EXECUTION_MODELS or PROGRAMME_MODELS) of an institution's plan for a year,
    products' then subproducts', with their row and who saved them."""
    records: list[Any] = []
    for _row_model, model, target in models:
        result = "product__result" if target == "product" else "subproduct__product__result"
        mine = model.objects.filter(**{f"{result}__institution": institution, f"{result}__year": year}, **filters)
        records += mine.select_related("updated_by", target)
    return records


def update_in_bulk(records: Iterable[Any], model: ModelClass, columns: list[str]) -> None:
    """One parameterised UPDATE per record, sent with executemany: QuerySet.bulk_update builds a CASE
    expression per field and record, which takes 20 s for a year of a large institution."""
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in columns)
    fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
    parameters = [
        [field.get_db_prep_save(getattr(record, column), connection) for field, column in zip(fields, columns)]
        + [record.pk]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", parameters)


def write_monthly_figures(*, figures: Figures, user: User | None, models: MonthlyModels) -> tuple[int, int]:
    """Create or update monthly records (execution or programme) in bulk, with their history, signed by
    `user`; (created, updated).

    `figures` maps (Product or Subproduct, pk, month) to (row, month, physical, financial or None for a
    product); `models` is EXECUTION_MODELS or PROGRAMME_MODELS. Records whose figures did not change are
    left alone. Callers check the locks first (goals.freeze.ensure_writable): bulk writes do not send
    model signals.
    """
    created_count = updated_count = 0
    for target_model, model, target_field in models:
        selected = {(pk, month): values for (kind, pk, month), values in figures.items() if kind is target_model}
        rows = {
            f"{target_field}_id__in": {pk for pk, _month in selected},
            "month__in": {month for _pk, month in selected},
        }
        existing = {
            (getattr(record, f"{target_field}_id"), record.month): record for record in model.objects.filter(**rows)
        }
        created: list[Any] = []
        changed: list[Any] = []
        for key, (target, month, physical, financial) in selected.items():
            values = {"physical": physical} if financial is None else {"physical": physical, "financial": financial}
            record = existing.get(key)
            if record is None:
                created.append(model(**{target_field: target}, month=month, updated_by=user, **values))
            elif any(getattr(record, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(record, name, value)
                record.updated_by = user
                record.updated_at = timezone.now()
                changed.append(record)
        bulk_create_with_history(created, model, batch_size=BATCH, default_user=user)
        columns = ["physical", "updated_by_id", "updated_at"] + (["financial"] if target_model is Subproduct else [])
        update_in_bulk(changed, model, columns)
        model.history.bulk_history_create(changed, batch_size=BATCH, update=True, default_user=user)
        created_count += len(created)
        updated_count += len(changed)
    return created_count, updated_count


def figures_to_write(
    *, is_product: bool, physical: Decimal | None, financial: Decimal | None, record: Any
) -> tuple[Decimal, Decimal | None] | None:
    """(physical, financial or None for a product) to write for a row's month: the typed figures, zero where a
    stored figure was cleared; None when nothing was typed and nothing is stored."""
    if physical is None and financial is None and record is None:
        return None
    return physical or ZERO, None if is_product else (financial or ZERO)


def write_executions(*, figures: Figures, user: User | None) -> tuple[int, int]:
    """Monthly execution in bulk: see write_monthly_figures."""
    return write_monthly_figures(figures=figures, user=user, models=EXECUTION_MODELS)


def write_programme(*, figures: Figures, user: User | None) -> tuple[int, int]:
    """The monthly programme in bulk: see write_monthly_figures. Callers check the sum rule (goals.programme)."""
    return write_monthly_figures(figures=figures, user=user, models=PROGRAMME_MODELS)
