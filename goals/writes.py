"""The rules that write goals and execution, in bulk and with history: the imports and the entry pages call these.

Callers take the institution's lock and check the freeze first (goals.freeze).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Value
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from goals import versions
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


def signed(record: Any, user: User | None) -> Any:
    """`record`, its next history row to be signed by `user` (django-simple-history reads `_history_user` before the
    request its middleware saw, which the worker and the command line do not have); None leaves it to the request."""
    if user is not None:
        record._history_user = user
    return record


class Upserter:
    """Creates or updates records by a lookup, saving only the fields that differ, and counts what it did; the
    history they write is signed by `user` (None: by the request's user, none in the worker or the shell).

    Saving only what changed keeps re-runs (load_demo, a re-imported plan) from writing history or
    touching records that an approved report freezes.
    """

    def __init__(self, user: User | None = None) -> None:
        self.user = user
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
            record = signed(model(**{**values, **lookup}), self.user)
            record.save(force_insert=True)
            return record, True, []
        changed = set_changes(record, values)
        if changed:
            signed(record, self.user).save(update_fields=[name for name, _old, _value in changed])
            self.updated += 1
        return record, False, changed


def set_changes(record: Any, values: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Set on `record` the values that differ from its own; each changed field's (name, old value, new value)."""
    changed = [(name, getattr(record, name), value) for name, value in values.items() if getattr(record, name) != value]
    for name, _old, value in changed:
        setattr(record, name, value)
    return changed


BATCH = 2000
# QuerySet.bulk_update writes a CASE of every record of a batch in each column: its cost grows with the batch squared.
UPDATE_BATCH = 200


class BulkUpserter(Upserter):
    """Upserter.upsert_changes in two steps, to write many records in a few statements: `stage` compares a record
    read beforehand (None when there is none) with the values and keeps it to write, `flush` writes a model's staged
    records with QuerySet.bulk_create / bulk_update and their history with django-simple-history's bulk helpers.

    The history rows are those a save would write: "+" for a new record and "~" for a changed one, no change reason,
    signed by the upserter's user (None: by the user of the request django-simple-history's middleware saw, none in
    the worker or the shell), dated as they are written. Bulk writes send no model signals: callers check first what
    the signals would, and `flush` bumps the records' institutions' version of their figures (goals.versions). A
    staged record may point at another one staged before it (a product at its new result) if that one's model is
    flushed first.
    """

    def __init__(self, user: User | None = None) -> None:
        super().__init__(user)
        self.new: defaultdict[ModelClass, list[Any]] = defaultdict(list)
        self.changed: defaultdict[ModelClass, defaultdict[tuple[str, ...], list[Any]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def stage(
        self, model: ModelClass, record: Any, lookup: dict[str, Any], values: dict[str, Any]
    ) -> tuple[Any, bool, list[tuple[str, Any, Any]]]:
        """(the record, whether it is new, each changed field's (name, old value, new value)), as upsert_changes
        returns them, `record` being what the lookup finds (None: a new record of lookup and values)."""
        if record is None:
            self.created += 1
            record = model(**{**values, **lookup})
            self.new[model].append(record)
            return record, True, []
        changed = set_changes(record, values)
        if changed:
            self.changed[model][tuple(name for name, _old, _value in changed)].append(record)
            self.updated += 1
        return record, False, changed

    def flush(self, model: ModelClass) -> None:
        """Create the model's new records and update its changed ones (each only in the fields that changed),
        with their history."""
        created = self.new.pop(model, [])
        if created:
            bulk_create_with_history(created, model, batch_size=BATCH, default_user=self.user)
        written = list(created)
        for fields, records in self.changed.pop(model, {}).items():
            bulk_update_with_history(records, model, list(fields), batch_size=UPDATE_BATCH, default_user=self.user)
            written += records
        if written:
            versions.bump_records(model, written)


# (row model, monthly model, the monthly model's field naming its row) of execution and of programme.
EXECUTION_MODELS: MonthlyModels = (
    (Product, ProductExecution, "product"),
    (Subproduct, SubproductExecution, "subproduct"),
)
PROGRAMME_MODELS: MonthlyModels = (
    (Product, ProductProgramme, "product"),
    (Subproduct, SubproductProgramme, "subproduct"),
)


class StoredRecord(NamedTuple):
    """A stored monthly record as the entry and programme pages compare and version it: read as values, since a
    page reads hundreds and model instances (with their row and user) cost more than the query."""

    model: ModelClass
    row_model: ModelClass
    row_id: int
    pk: int
    month: int
    physical: Decimal
    updated_at: datetime
    updated_by_id: int | None
    financial: Decimal | None = None  # None for a product's


def stored_records(
    models: MonthlyModels, *, institution: Institution | int, year: int, **filters: Any
) -> list[StoredRecord]:
    """The stored monthly records (EXECUTION_MODELS or PROGRAMME_MODELS) of an institution's plan for a year, in one
    query (a UNION ALL of the products' and the subproducts')."""
    parts = []
    for index, (row_model, model, target) in enumerate(models):
        result = "product__result" if target == "product" else "subproduct__product__result"
        mine = model.objects.filter(**{f"{result}__institution": institution, f"{result}__year": year}, **filters)
        mine = mine.order_by()  # a part of a UNION may not be ordered (SQLite)
        financial = (
            "financial" if row_model is Subproduct else Value(None, output_field=model._meta.get_field("physical"))
        )
        parts.append(
            mine.values_list(
                Value(index), f"{target}_id", "pk", "month", "physical", "updated_at", "updated_by_id", financial
            )
        )
    return [
        StoredRecord(models[index][1], models[index][0], *values)
        for index, *values in parts[0].union(*parts[1:], all=True)
    ]


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
    model signals, so the rows' institutions' version of their figures is bumped here (goals.versions). On
    PostgreSQL the records and their history are written with COPY (copy_figures), elsewhere
    through the ORM and django-simple-history (save_figures): the same records and history either way.
    """
    write = copy_figures if connection.vendor == "postgresql" else save_figures
    created_count = updated_count = 0
    for target_model, model, target_field in models:
        selected = {(pk, month): values for (kind, pk, month), values in figures.items() if kind is target_model}
        if not selected:
            continue
        columns = ["physical"] + (["financial"] if target_model is Subproduct else [])
        stored = model.objects.filter(
            **{f"{target_field}_id__in": {pk for pk, _month in selected}, "month__in": {m for _pk, m in selected}}
        ).values_list(f"{target_field}_id", "month", "pk", *columns)
        existing = {(target, month): (pk, tuple(values)) for target, month, pk, *values in stored}
        created: list[Change] = []
        changed: list[Change] = []
        for key, (target, month, physical, financial) in selected.items():
            values = (physical,) if financial is None else (physical, financial)
            record = existing.get(key)
            if record is None:
                created.append(Change(None, key[0], target, month, values))
            elif record[1] != values:
                changed.append(Change(record[0], key[0], target, month, values))
        write(model=model, target_field=target_field, columns=columns, created=created, changed=changed, user=user)
        if created or changed:
            versions.bump_records(target_model, [change.target for change in created + changed])
        created_count += len(created)
        updated_count += len(changed)
    return created_count, updated_count


class Change(NamedTuple):
    """A monthly record to write: its pk (None when new), its row's pk and row (Product or Subproduct), month and
    figures."""

    pk: int | None
    target_id: int
    target: Any
    month: int
    values: tuple[Decimal, ...]


def save_figures(
    *, model: ModelClass, target_field: str, columns: list[str], created: list[Change], changed: list[Change], user: Any
) -> None:
    """Write monthly records through the ORM, their history through django-simple-history."""

    def record(change: Change) -> Any:
        return model(
            pk=change.pk,
            **{target_field: change.target},
            month=change.month,
            updated_by=user,
            updated_at=timezone.now(),
            **dict(zip(columns, change.values)),
        )

    bulk_create_with_history([record(change) for change in created], model, batch_size=BATCH, default_user=user)
    updated = [record(change) for change in changed]
    update_in_bulk(updated, model, [*columns, "updated_by_id", "updated_at"])
    model.history.bulk_history_create(updated, batch_size=BATCH, update=True, default_user=user)


def copy_figures(
    *, model: ModelClass, target_field: str, columns: list[str], created: list[Change], changed: list[Change], user: Any
) -> None:
    """Write monthly records and their history on PostgreSQL: the figures COPYed into a temporary table, then one
    statement that upserts the records (INSERT ... ON CONFLICT) and inserts a history row for each record it
    wrote. Writes what save_figures writes (history type "+" with no change reason for a new record, "~" with an
    empty one for a changed record)."""
    if not (created or changed):
        return
    quote = connection.ops.quote_name
    history = model.history.model
    history_user = user if user is not None else history.get_default_history_user(model())
    target = quote(f"{target_field}_id")
    figures = [quote(column) for column in columns]
    tracked = ["id", target, "month", *figures, "updated_by_id", "updated_at"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE siplan_import_figures (target bigint, month integer, is_new boolean, "
            + ", ".join(f"{column} numeric" for column in figures)
            + ")"
        )
        with cursor.cursor.copy("COPY siplan_import_figures FROM STDIN") as copy:
            for changes, is_new in ((created, True), (changed, False)):
                for change in changes:
                    copy.write_row((change.target_id, change.month, is_new, *change.values))
        cursor.execute(
            f"WITH written AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(tracked[1:])}) "
            f"SELECT target, month, {', '.join(figures)}, %s, %s FROM siplan_import_figures "
            f"ON CONFLICT ({target}, month) DO UPDATE SET "
            + ", ".join(f"{column} = EXCLUDED.{column}" for column in tracked[3:])
            + f" RETURNING {', '.join(tracked)}) "
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(tracked)}, history_date, history_change_reason, "
            "history_type, history_user_id) "
            f"SELECT {', '.join(f'written.{column}' for column in tracked)}, written.updated_at, "
            "CASE WHEN is_new THEN NULL ELSE '' END, CASE WHEN is_new THEN '+' ELSE '~' END, %s "
            f"FROM written JOIN siplan_import_figures ON target = written.{target} "
            "AND siplan_import_figures.month = written.month",
            [
                None if user is None else user.pk,
                timezone.now(),
                None if history_user is None else history_user.pk,
            ],
        )
        cursor.execute("DROP TABLE siplan_import_figures")


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
