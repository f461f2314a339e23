"""The model layer's guard: no save or delete of frozen plan, reprogramming or execution data, whatever the path."""

from django.db.models.signals import pre_delete, pre_save

from goals.models import (
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    Result,
    Subproduct,
    SubproductExecution,
)

from .locks import ensure_writable

# For each guarded model: the path from it to the Result (plan and execution) or Reprogramming (dates).
RESULT_PATHS = {
    Result: "",
    Product: "result",
    Subproduct: "product__result",
    ProductExecution: "product__result",
    SubproductExecution: "subproduct__product__result",
}
REPROGRAMMING_PATHS = {Reprogramming: "", ReprogrammingLine: "reprogramming"}


def follow(instance, path):
    for attribute in filter(None, path.split("__")):
        instance = getattr(instance, attribute)
    return instance


def prefixed(path, field):
    return f"{path}__{field}" if path else field


def stored_state(instance, path, fields):
    """The values as stored before this save, or None for a new record."""
    if instance._state.adding or instance.pk is None:
        return None
    lookups = [prefixed(path, field) for field in fields] + (["month"] if hasattr(instance, "month") else [])
    return type(instance)._default_manager.filter(pk=instance.pk).values_list(*lookups).first()


def check_plan_or_execution(instance, path, stored):
    result = follow(instance, path)
    month = getattr(instance, "month", None)
    states = [(result.institution_id, result.year, month)]
    if stored is not None:
        states.append(stored if month is not None else (*stored, None))
    for institution_id, year, month in set(states):
        if month is None:
            ensure_writable(institution_id, year, plan=True)
        else:
            ensure_writable(institution_id, year, months=[month])


def check_reprogramming(instance, path, stored):
    reprogramming = follow(instance, path)
    states = {(reprogramming.institution_id, reprogramming.date)}
    if stored is not None:
        states.add(stored)
    for institution_id, date in states:
        ensure_writable(institution_id, date.year, dates=[date])


def guard(sender, instance, **kwargs):
    if sender in RESULT_PATHS:
        path = RESULT_PATHS[sender]
        check_plan_or_execution(instance, path, stored_state(instance, path, ["institution_id", "year"]))
    else:
        path = REPROGRAMMING_PATHS[sender]
        check_reprogramming(instance, path, stored_state(instance, path, ["institution_id", "date"]))


def connect():
    for model in [*RESULT_PATHS, *REPROGRAMMING_PATHS]:
        pre_save.connect(guard, sender=model, dispatch_uid=f"approvals-lock-save-{model.__name__}")
        pre_delete.connect(guard, sender=model, dispatch_uid=f"approvals-lock-delete-{model.__name__}")
