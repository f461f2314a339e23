"""The change history recorded by django-simple-history, read per product/subproduct and searched by the director."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models import (
    Evidence,
    Product,
    ProductExecution,
    ProductProgramme,
    Reprogramming,
    ReprogrammingLine,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from goals.periods import month_name

from .models import CuatrimestreReport, Justification, ReportComment, RequiredJustification

NOT_SHOWN = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "updated_at",
    "created_at",
    "at",  # a comment's time: the change's own
}
CHANGE_TYPES = {"+": _("Creado"), "~": _("Modificado"), "-": _("Eliminado")}

# model: (path to its institution, path to the name a search matches)
AUDITED = {
    Result: ("institution", "description"),
    Product: ("result__institution", "name"),
    Subproduct: ("product__result__institution", "name"),
    ProductExecution: ("product__result__institution", "product__name"),
    SubproductExecution: ("subproduct__product__result__institution", "subproduct__name"),
    ProductProgramme: ("product__result__institution", "product__name"),
    SubproductProgramme: ("subproduct__product__result__institution", "subproduct__name"),
    Reprogramming: ("institution", "number"),
    ReprogrammingLine: ("reprogramming__institution", "reprogramming__number"),
    Justification: ("institution", "product"),
    RequiredJustification: ("institution", "kind"),
    ReportComment: ("report__institution", "text"),
    Evidence: ("institution", "description"),
}
ITEM_KINDS = {"producto": Product, "subproducto": Subproduct}


AUDIT_PAGE = 50


@dataclass
class Entry:
    """One recorded change: when, who, what kind of record, which, and each field's old and new value, as people
    read them (names for the records a field points to, "junio 2024" for a month)."""

    record: object
    label: str
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


def shown_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in NOT_SHOWN]


def user_name(user) -> str:
    return user.get_full_name() or user.username


class Names:
    """The names of the records a page of history points to, read in one query per kind of record."""

    NAMED = {
        Product: ("name", ["result"]),
        Subproduct: ("name", ["product__result"]),
        Result: ("description", []),
        Reprogramming: ("number", []),
        CuatrimestreReport: ("title", []),
    }

    def __init__(self, records):
        wanted = {}
        for record in records:
            for model_field in shown_fields(record.instance_type):
                if model_field.is_relation and getattr(record, model_field.attname) is not None:
                    wanted.setdefault(model_field.related_model, set()).add(getattr(record, model_field.attname))
        self.found = {}
        for model, pks in wanted.items():
            related = self.NAMED.get(model, (None, []))[1]
            self.found[model] = model._default_manager.select_related(*related).in_bulk(pks)

    def of(self, model, pk) -> str:
        """The name of the record `pk` of `model`; its id with a note when it no longer exists."""
        target = self.found.get(model, {}).get(pk)
        if target is None:
            return _("%(pk)s (ya no existe)") % {"pk": pk}
        if model is get_user_model():
            return user_name(target)
        attribute = self.NAMED.get(model, (None,))[0]
        return str(getattr(target, attribute)) if attribute else str(target)

    def year_of(self, record) -> int | None:
        """The fiscal year of a monthly record: its product's or subproduct's plan's."""
        for model, path in ((Subproduct, "product.result.year"), (Product, "result.year")):
            pk = getattr(record, f"{model._meta.model_name}_id", None)
            target = self.found.get(model, {}).get(pk)
            if target is not None:
                for step in path.split("."):
                    target = getattr(target, step)
                return target
        return None

    def value(self, record, model_field, value) -> str | None:
        if value is None:
            return None
        if model_field.is_relation:
            return self.of(model_field.related_model, value)
        if model_field.name == "month":
            year = self.year_of(record)
            return f"{month_name(value)} {year}" if year else month_name(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return value

    def label(self, record) -> str:
        model = record.instance_type
        if hasattr(record, "month"):
            row = Subproduct if getattr(record, "subproduct_id", None) else Product
            name = self.of(row, getattr(record, f"{row._meta.model_name}_id"))
            return f"{name} — {self.value(record, model._meta.get_field('month'), record.month)}"
        if model is ReprogrammingLine:
            item = (Product, record.product_id) if record.product_id else (Subproduct, record.subproduct_id)
            return f"{self.of(Reprogramming, record.reprogramming_id)}: {self.of(*item)} ({record.get_kind_display()})"
        if model is Result:
            return record.description[:80]
        if model is Justification:
            period = f"{record.get_cuatrimestre_display()} {record.year}"
            return f"{record.subproduct or record.product} ({record.get_kind_display().lower()}) — {period}"
        if model is RequiredJustification:
            return record.get_kind_display()
        if model is ReportComment:
            return self.of(CuatrimestreReport, record.report_id)
        return str(record.instance)


def previous_of(model):
    """The history_id of the same record's previous version, as a subquery."""
    return Subquery(
        model.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def entries(records):
    """The records as Entries, in the order given, in a fixed number of queries: the previous versions (records
    read with `previous_id`, see previous_of), then the names they point to."""
    previous_ids = {}
    for record in records:
        if record.history_type == "~" and record.previous_id:
            previous_ids.setdefault(record.instance_type, set()).add(record.previous_id)
    previous = {
        (model, older.history_id): older
        for model, pks in previous_ids.items()
        for older in model.history.filter(history_id__in=pks)
    }
    names = Names(records)
    described = []
    for record in records:
        model = record.instance_type
        older = previous.get((model, record.previous_id)) if record.history_type == "~" else None
        fields = shown_fields(model)
        if older is None:
            values = [(f, getattr(record, f.attname)) for f in fields]
            changes = [(f, None, value) for f, value in values]
            if record.history_type == "-":
                changes = [(f, value, None) for f, value in values]
        else:
            changes = [
                (f, getattr(older, f.attname), getattr(record, f.attname))
                for f in fields
                if getattr(older, f.attname) != getattr(record, f.attname)
            ]
        shown = [(f.verbose_name, names.value(record, f, old), names.value(record, f, new)) for f, old, new in changes]
        described.append(Entry(record, names.label(record), shown))
    return described


def filtered_history(institution, text, since, until):
    """(model, its history records of the institution that match the search), for each audited model."""
    for model, (institution_path, name_path) in AUDITED.items():
        history = model.history.filter(**{institution_path: institution})
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
        yield model, history


class Trail:
    """The changes that match a search, newest first, as a sequence Django's Paginator pages: one query counts
    them, one finds a page's (model, history_id) across the audited models, then one per model reads them."""

    def __init__(self, institution, text="", since=None, until=None):
        self.histories = list(filtered_history(institution, text, since, until))
        keyed = [
            history.order_by()
            .annotate(audited_model=Value(index, output_field=IntegerField()))
            .values_list("audited_model", "history_id", "history_date")
            for index, (_model, history) in enumerate(self.histories)
        ]
        self.keys = keyed[0].union(*keyed[1:], all=True).order_by("-history_date", "-history_id")

    def count(self) -> int:
        return self.keys.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page):
        keys = list(self.keys[page])
        wanted = {}
        for kind, history_id, _date in keys:
            wanted.setdefault(kind, []).append(history_id)
        found = {}
        for kind, pks in wanted.items():
            model, history = self.histories[kind]
            records = model.history.filter(history_id__in=pks).select_related("history_user")
            for record in records.annotate(previous_id=previous_of(model)):
                found[(kind, record.history_id)] = record
        return entries([found[(kind, history_id)] for kind, history_id, _date in keys])


def search(institution, text="", since=None, until=None) -> Trail:
    """The changes to an institution's plan, programme, reprogrammings, execution, justifications (and the kinds it
    requires) and report comments that match, newest first (a Trail)."""
    return Trail(institution, text, since, until)


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
    """A product's or subproduct's own changes, its months' (execution and programme), the reprogramming lines that
    changed its goals and its medios de verificación."""
    model_name = item._meta.model_name
    monthly = (
        (ProductExecution, ProductProgramme) if model_name == "product" else (SubproductExecution, SubproductProgramme)
    )
    histories = [
        (type(item), item.history.all()),
        *((model, model.history.filter(**{f"{model_name}_id": item.pk})) for model in monthly),
        (ReprogrammingLine, ReprogrammingLine.history.filter(**{f"{model_name}_id": item.pk})),
        (Evidence, Evidence.history.filter(**{f"{model_name}_id": item.pk})),
    ]
    records = [
        record
        for model, history in histories
        for record in history.select_related("history_user").annotate(previous_id=previous_of(model))
    ]
    records.sort(key=lambda record: record.history_date, reverse=True)
    return entries(records)
