"""The change history recorded by django-simple-history, read per product/subproduct and searched by the director."""

import datetime
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import (
    Product,
    ProductExecution,
    Reprogramming,
    ReprogrammingLine,
    Result,
    Subproduct,
    SubproductExecution,
)

AUDIT_LIMIT = 300
NOT_SHOWN = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user", "updated_at", "created_at"}
CHANGE_TYPES = {"+": _("Creado"), "~": _("Modificado"), "-": _("Eliminado")}

# model: (path to its institution, path to the name a search matches)
AUDITED = {
    Result: ("institution", "description"),
    Product: ("result__institution", "name"),
    Subproduct: ("product__result__institution", "name"),
    ProductExecution: ("product__result__institution", "product__name"),
    SubproductExecution: ("subproduct__product__result__institution", "subproduct__name"),
    Reprogramming: ("institution", "number"),
    ReprogrammingLine: ("reprogramming__institution", "reprogramming__number"),
}
ITEM_KINDS = {"producto": Product, "subproducto": Subproduct}


@dataclass
class Entry:
    """One recorded change: when, who, what kind of record, which, and each field's old and new value."""

    record: object
    changes: list = field(default_factory=list)

    @property
    def when(self):
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user

    @property
    def model_name(self):
        return self.record.instance_type._meta.verbose_name

    @property
    def change_type(self):
        return CHANGE_TYPES[self.record.history_type]

    @property
    def label(self):
        return str(self.record.instance)


def shown_fields(record):
    return [f for f in record.instance_type._meta.concrete_fields if f.name not in NOT_SHOWN]


def describe(record):
    """The fields that changed (old → new); every field's value for a creation or deletion."""
    previous = record.prev_record if record.history_type == "~" else None
    if previous is None:
        values = [(f.verbose_name, getattr(record, f.attname)) for f in shown_fields(record)]
        if record.history_type == "-":
            return Entry(record, [(name, value, None) for name, value in values])
        return Entry(record, [(name, None, value) for name, value in values])
    verbose = {f.name: f.verbose_name for f in shown_fields(record)}
    delta = record.diff_against(previous, included_fields=list(verbose))
    return Entry(record, [(verbose[change.field], change.old, change.new) for change in delta.changes])


def search(institution, text="", since=None, until=None):
    """The latest changes to an institution's plan, reprogrammings and execution, newest first."""
    records = []
    for model, (institution_path, name_path) in AUDITED.items():
        history = model.history.filter(**{institution_path: institution}).select_related("history_user")
        if text:
            history = history.filter(
                Q(**{f"{name_path}__icontains": text})
                | Q(history_user__username__icontains=text)
                | Q(history_user__first_name__icontains=text)
                | Q(history_user__last_name__icontains=text)
            )
        if since:
            history = history.filter(history_date__gte=start_of(since))
        if until:
            history = history.filter(history_date__lt=start_of(until + datetime.timedelta(days=1)))
        records.extend(history.order_by("-history_date")[:AUDIT_LIMIT])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [describe(record) for record in islice(records, AUDIT_LIMIT)]


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def plan_item_or_404(institution, kind, pk):
    model = ITEM_KINDS.get(kind)
    if model is None:
        raise Http404
    path = AUDITED[model][0]
    try:
        return model.objects.get(pk=pk, **{path: institution})
    except model.DoesNotExist:
        raise Http404 from None


def item_history(item):
    """A product's or subproduct's own changes, its months' and the reprogramming lines that changed its goals."""
    model_name = item._meta.model_name
    execution_model = ProductExecution if model_name == "product" else SubproductExecution
    records = [
        *item.history.select_related("history_user"),
        *execution_model.history.filter(**{f"{model_name}_id": item.pk}).select_related("history_user"),
        *ReprogrammingLine.history.filter(**{f"{model_name}_id": item.pk}).select_related("history_user"),
    ]
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [describe(record) for record in records]
