"""Loading the plan, reprogrammings and execution from spreadsheets: every row checked first, then all or nothing.

A file is read into rows (CSV UTF-8 or the first sheet of an XLSX), each row is parsed and checked
against the database in memory, and only a file without a single error is written, in one
transaction and in bulk. Errors name the row as the user sees it (the header is row 1), the column
and the reason. Rows are matched by institution, year, product, subproduct (and month or document),
so importing the same file twice changes nothing.
"""

import csv
import datetime
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from approvals.locks import ensure_writable, lock_institutions, month_name
from approvals.services import validate_reprogramming_order
from siplan.spreadsheets import neutralise, restore

from .models import (
    FIRST_YEAR,
    LAST_YEAR,
    ZERO,
    GoalKind,
    Institution,
    LinkType,
    Product,
    ProductExecution,
    ProductProgramme,
    Reprogramming,
    ReprogrammingLine,
    ReprogrammingStatus,
    Result,
    Subproduct,
    SubproductExecution,
    SubproductProgramme,
)
from .import_preview import monthly_preview
from .programme import MONTHS, kind_field, over_goal, year_end
from .services import (
    EXECUTION_MODELS,
    Upserter,
    figures_to_write,
    institution_goal_states,
    write_executions,
    write_programme,
)
from .validators import check_text, parse_amount, parse_whole, shown
from .spreadsheet_reader import Rejected, RowError, read_table

PLAN_COLUMNS = [
    "institucion", "institucion_nombre", "anio", "vinculacion", "eje_estrategico", "accion_estrategica",
    "resultado", "producto", "subproducto", "unidad", "meta_fisica_inicial", "meta_financiera_inicial",
]  # fmt: skip
REPROGRAMMING_COLUMNS = [
    "institucion", "anio", "documento", "fecha", "producto", "subproducto", "tipo_meta", "meta_vigente_nueva",
    "justificacion",
]  # fmt: skip
EXECUTION_COLUMNS = [
    "institucion", "anio", "mes", "producto", "subproducto", "ejecucion_fisica", "ejecucion_financiera",
]  # fmt: skip
COLUMNS = {"plan": PLAN_COLUMNS, "reprogramacion": REPROGRAMMING_COLUMNS, "ejecucion": EXECUTION_COLUMNS}
# The plan's optional monthly programme: each group of twelve comes whole or not at all.
PROGRAMME_GROUPS = {
    GoalKind.PHYSICAL: [f"prog_{month:02d}" for month in MONTHS],
    GoalKind.FINANCIAL: [f"progfin_{month:02d}" for month in MONTHS],
}
OPTIONAL_COLUMNS = {"plan": PROGRAMME_GROUPS[GoalKind.PHYSICAL] + PROGRAMME_GROUPS[GoalKind.FINANCIAL]}


def template_columns(kind):
    """A template's columns, the optional ones last."""
    return COLUMNS[kind] + OPTIONAL_COLUMNS.get(kind, [])
LINKS = {"RI": LinkType.RI, "RI/PGG": LinkType.RI, "RE": LinkType.RE}
BATCH = 2000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    preview: object = None  # goals.import_preview.Preview of a dry run, for the kinds that have one

    @property
    def ok(self):
        return not self.errors


# The model field each text column is stored in: its length and characters are checked against it.
TEXT_FIELDS = {
    "institucion": Institution._meta.get_field("code"),
    "institucion_nombre": Institution._meta.get_field("name"),
    "eje_estrategico": Result._meta.get_field("strategic_axis"),
    "accion_estrategica": Result._meta.get_field("strategic_action"),
    "resultado": Result._meta.get_field("description"),
    "producto": Product._meta.get_field("name"),
    "subproducto": Subproduct._meta.get_field("name"),
    "unidad": Product._meta.get_field("unit"),
    "documento": Reprogramming._meta.get_field("number"),
    "justificacion": Reprogramming._meta.get_field("justification"),
}


def cell_text(value):
    """A cell as text: an Excel number written out in full (1e+20 is 100000000000000000000), text trimmed."""
    if isinstance(value, float) and math.isfinite(value):
        value = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value).strip()


class Row:
    """One spreadsheet row: its number as the user sees it, its cells by column, and the errors found in it."""

    def __init__(self, number, cells, errors):
        self.number = number
        self.cells = cells
        self.errors = errors
        self.reported = set()

    def error(self, column, message):
        """Record an error once, however many checks read the cell."""
        if (column, message) not in self.reported:
            self.reported.add((column, message))
            self.errors.append(RowError(self.number, column, message))

    def refuse(self, column, error):
        for message in error.messages:
            self.error(column, message)

    def text(self, column, required=True):
        text = restore(cell_text(self.cells.get(column)))
        if required and not text:
            self.error(column, _("no puede estar vacía."))
        if text and column in TEXT_FIELDS:
            try:
                check_text(text, TEXT_FIELDS[column])
            except ValidationError as error:
                self.refuse(column, error)
        return text

    def check_texts(self):
        """Every text cell against its field, whether or not the import uses it (a new institution's name is
        read from its first row only)."""
        for column in TEXT_FIELDS.keys() & self.cells.keys():
            self.text(column, required=False)

    def amount(self, column, required=True):
        """A non-negative amount with at most two decimals, from an Excel number or text like "1,234.50"."""
        try:
            amount = parse_amount(cell_text(self.cells.get(column)))
        except ValidationError as error:
            self.refuse(column, error)
            return None
        if amount is None and required:
            self.error(column, _("no puede estar vacía."))
        return amount

    def integer(self, column, low, high, message):
        text = self.text(column)
        if not text:
            return None
        try:
            return parse_whole(text, low, high, message)
        except ValidationError as error:
            self.refuse(column, error)
            return None

    def year(self):
        return self.integer("anio", FIRST_YEAR, LAST_YEAR, _("«%(value)s» no es un año válido."))

    def date(self, column):
        text = self.text(column)
        value = self.cells.get(column)
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return datetime.date.fromisoformat(text) if text else None
        except ValueError:
            self.error(column, _("«%(value)s» no es una fecha AAAA-MM-DD.") % {"value": shown(text)})
            return None


def read_rows(kind, file, name):
    """The file's non-empty rows as Row objects; a file goals.spreadsheet_reader refuses is refused at once."""
    header, lines = read_table(file, name, COLUMNS[kind], OPTIONAL_COLUMNS.get(kind, ()))
    errors = []
    return [Row(number, dict(zip(header, line)), errors) for number, line in lines], errors


class Scope:
    """Which institutions the importing user may write: their own, or any for a superuser or the command line."""

    def __init__(self, user):
        self.user = user

    def allows(self, code):
        return self.user is None or self.user.is_superuser or (
            self.user.institution is not None and self.user.institution.code == code
        )

    def institution(self, row, institutions, create_unknown=False):
        code = row.text("institucion")
        if not code:
            return None
        if not self.allows(code):
            row.error("institucion", _("no puede importar datos de la institución %(code)s.") % {"code": code})
            return None
        if code not in institutions and not create_unknown:
            row.error("institucion", _("no existe la institución %(code)s.") % {"code": code})
            return None
        return code


def check_locks(rows_by_key, errors):
    """Ask approvals.locks about each (institution, year); a refusal becomes an error on its first row."""
    for (institution, year), (row, kwargs) in rows_by_key.items():
        try:
            ensure_writable(institution, year, **kwargs)
        except ValidationError as error:
            errors.append(RowError(row.number, "anio", " ".join(error.messages)))


class PlanIndex:
    """The products and subproducts of the institution-years a file touches, in two queries."""

    def __init__(self, keys):
        self.products = {}
        self.subproducts = {}
        query = Product.objects.none()
        for institution, year in keys:
            query |= Product.objects.filter(result__institution=institution, result__year=year)
        for product in query.select_related("result"):
            self.products[(product.result.institution_id, product.result.year, product.name)] = product
        for subproduct in Subproduct.objects.filter(product__in=list(self.products.values())):
            self.subproducts[(subproduct.product_id, subproduct.name)] = subproduct

    def find(self, row, institution, year):
        """(product, subproduct or None) the row names, or (None, None) with the error recorded."""
        name = row.text("producto")
        product = self.products.get((institution.pk, year, name))
        if name and product is None:
            row.error("producto", _("no existe el producto «%(name)s» en el plan %(year)s.") % {"name": name, "year": year})
            return None, None
        sub_name = row.text("subproducto", required=False)
        if product is None or not sub_name:
            return product, None
        subproduct = self.subproducts.get((product.pk, sub_name))
        if subproduct is None:
            row.error("subproducto", _("no existe el subproducto «%(name)s» en ese producto.") % {"name": sub_name})
            return None, None
        return product, subproduct


def institutions_by_code(rows):
    codes = {row.text("institucion", required=False) for row in rows}
    return {institution.code: institution for institution in Institution.objects.filter(code__in=codes)}


def plan_index(rows, institutions):
    """The PlanIndex of every (institution, year) the rows name."""
    keys = set()
    for row in rows:
        code, year = row.text("institucion", required=False), row.text("anio", required=False)
        if code in institutions and year.isascii() and year.isdigit():
            keys.add((institutions[code].pk, int(year)))
    return PlanIndex(keys)


class Importer:
    """Validates every row (`check`), then writes them all (`write`); counts what it creates and updates."""

    def __init__(self, rows, errors, user, approve):
        self.rows = rows
        self.errors = errors
        self.scope = Scope(user)
        self.user = user
        self.approve = approve
        self.result = ImportResult(errors=errors)
        for row in rows:
            row.check_texts()
        self.locks = {}

    def check_locks(self, locks):
        """Check the freeze of each (institution, year) the file writes; `hold` asks again before writing."""
        self.locks = locks
        check_locks(locks, self.errors)

    def preview(self):
        """What a dry run shows beyond its counts (goals.import_preview); None for the kinds without one."""
        return None

    def hold(self):
        """In the transaction that writes: take the write lock of the file's institutions and check the freeze
        again under it, so a submission or approval since `check` refuses the file instead of being overtaken."""
        lock_institutions(*(institution for institution, _year in self.locks))
        check_locks(self.locks, self.errors)


class PlanImporter(Importer):
    """The plan, and each row's monthly programme when the file has the optional programme columns."""

    def check(self):
        institutions = institutions_by_code(self.rows)
        self.programme_kinds = self.present_programme_kinds()
        self.programmes = []
        self.items = []
        names = {}
        seen = {}
        locks = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions, create_unknown=True)
            year = row.year()
            link = row.text("vinculacion").upper()
            if link and link not in LINKS:
                row.error("vinculacion", _("debe ser RI o RE, no «%(value)s».") % {"value": link})
            result = (row.text("eje_estrategico", False), row.text("accion_estrategica", False), row.text("resultado"))
            product, subproduct, unit = row.text("producto"), row.text("subproducto", False), row.text("unidad")
            physical = row.amount("meta_fisica_inicial")
            financial = row.amount("meta_financiera_inicial", required=bool(subproduct))
            if not subproduct and financial:
                row.error(
                    "meta_financiera_inicial",
                    _("un producto no tiene meta financiera propia: es la suma de sus subproductos."),
                )
            if code and code not in institutions and code not in names:
                names[code] = row.text("institucion_nombre")
            key = (code, year, product, subproduct)
            if key in seen:
                row.error("producto", _("la fila repite la fila %(row)s.") % {"row": seen[key]})
            seen[key] = row.number
            if code in institutions and year:
                locks.setdefault((institutions[code], year), (row, {"plan": True}))
            self.items.append((row, code, year, LINKS.get(link), result, product, subproduct, unit, physical, financial))
            programme = self.programme_of(row, is_product=not subproduct)
            if programme:
                goals = {GoalKind.PHYSICAL: physical, GoalKind.FINANCIAL: financial}
                self.programmes.append((row, (code, year, product, subproduct), programme, goals))
        self.check_locks(locks)
        self.institutions = institutions
        self.new_names = names
        self.check_products_have_rows()
        if self.programmes:
            self.check_programme_goals()

    def present_programme_kinds(self):
        """The programme groups (physical, financial) the file has; a group short of its twelve columns is an error."""
        header = set().union(*(row.cells for row in self.rows))
        kinds = []
        for kind, columns in PROGRAMME_GROUPS.items():
            missing = [column for column in columns if column not in header]
            if len(missing) == len(columns):
                continue
            kinds.append(kind)
            self.errors += [
                RowError(1, column, _("falta la columna: las doce columnas de la programación van juntas."))
                for column in missing
            ]
        return kinds

    def programme_of(self, row, is_product):
        """{kind: the twelve months (None where empty)} of the row's programme groups; a product programmes no money."""
        programme = {}
        for kind in self.programme_kinds:
            figures = [row.amount(column, required=False) for column in PROGRAMME_GROUPS[kind]]
            if is_product and kind == GoalKind.FINANCIAL:
                for column, figure in zip(PROGRAMME_GROUPS[kind], figures):
                    if figure:
                        message = _("un producto no tiene programación financiera propia: se programa en sus subproductos.")
                        row.error(column, message)
            else:
                programme[kind] = figures
        return programme

    def check_programme_goals(self):
        """Each row's months against its current goal: the goal the file sets, unless an approved reprogramming
        of the year changed it."""
        keys = {
            (self.institutions[code].pk, year)
            for _row, (code, year, *_names), *_rest in self.programmes
            if code in self.institutions and year
        }
        index = PlanIndex(keys)
        states = {}
        for institution_id, year in keys:
            states.update(institution_goal_states(institution_id, year, year_end(year)))
        for row, (code, year, product_name, subproduct_name), programme, initial_goals in self.programmes:
            institution = self.institutions.get(code)
            product = institution and index.products.get((institution.pk, year, product_name))
            item = index.subproducts.get((product.pk, subproduct_name)) if product and subproduct_name else product
            for kind, figures in programme.items():
                state = item and states.get((item._meta.model_name, item.pk, kind))
                goal = state.current if state else initial_goals[kind] or ZERO
                refused = over_goal(subproduct_name or product_name, kind, figures, goal)
                if refused is not None:
                    month, message = refused
                    row.error(PROGRAMME_GROUPS[kind][month - 1], message)

    def check_products_have_rows(self):
        """A subproduct's product must have its own row in the file or exist already."""
        product_rows = {(item[1], item[2], item[5]) for item in self.items if not item[6]}
        existing = {
            (code, year, name)
            for code, year, name in Product.objects.filter(result__institution__code__in=list(self.institutions)).values_list(
                "result__institution__code", "result__year", "name"
            )
        }
        for row, code, year, _link, _result, product, subproduct, *_values in self.items:
            if subproduct and year and (code, year, product) not in product_rows | existing:
                row.error("producto", _("el producto «%(name)s» no tiene fila propia (con subproducto vacío).") % {"name": product})

    def write(self):
        self.upserter = Upserter()
        self.saved = {}
        self.write_plan()
        created, updated = self.write_programmes()
        self.result.created, self.result.updated = self.upserter.created + created, self.upserter.updated + updated

    def write_programmes(self):
        """The rows' months (an empty cell is zero); a group the file lacks keeps what is stored."""
        items = [(self.saved[key], programme) for _row, key, programme, _goals in self.programmes]
        stored = {}
        for model, target in ((ProductProgramme, "product"), (SubproductProgramme, "subproduct")):
            rows = [item for item, _programme in items if item._meta.model_name == target]
            for record in model.objects.filter(**{f"{target}__in": rows}):
                stored[(target, getattr(record, f"{target}_id"), record.month)] = record
        figures = {}
        for item, programme in items:
            is_product = item._meta.model_name == "product"
            for month in MONTHS:
                record = stored.get((item._meta.model_name, item.pk, month))
                physical, financial = (
                    programme[kind][month - 1] if kind in programme else getattr(record, kind_field(kind), None)
                    for kind in (GoalKind.PHYSICAL, GoalKind.FINANCIAL)
                )
                values = figures_to_write(is_product, physical, financial, record)
                if values is not None:
                    figures[(type(item), item.pk, month)] = (item, month, *values)
        return write_programme(figures, self.user)

    def write_plan(self):
        institutions = dict(self.institutions)
        for code, name in self.new_names.items():
            institutions[code] = self.upserter.upsert(Institution, {"code": code}, {"name": name or code, "acronym": code})
        results, products, order = {}, {}, defaultdict(int)
        for row, code, year, link, (axis, action, text), product, subproduct, unit, physical, financial in sorted(
            self.items, key=lambda item: bool(item[6])
        ):
            institution = institutions[code]
            result_key = (code, year, link, axis, action, text)
            if result_key not in results:
                order[(code, year)] += 1
                results[result_key] = self.upserter.upsert(
                    Result,
                    {"institution": institution, "year": year, "link": link, "strategic_axis": axis,
                     "strategic_action": action, "description": text},
                    {"order": order[(code, year)]},
                )  # fmt: skip
            result = results[result_key]
            if not subproduct:
                order[result_key] += 1
                existing = Product.objects.filter(
                    result__institution=institution, result__year=year, name=product
                ).first()
                # A product new to the institution-year is created in its result, never found by name elsewhere.
                lookup = {"pk": existing.pk} if existing else {"result": result, "name": product}
                values = {"result": result, "unit": unit, "physical_initial": physical, "order": order[result_key]}
                products[(code, year, product)] = self.upserter.upsert(Product, lookup, values)
                self.saved[(code, year, product, subproduct)] = products[(code, year, product)]
            else:
                parent = products.get((code, year, product)) or Product.objects.get(
                    result__institution=institution, result__year=year, name=product
                )
                order[parent.pk] += 1
                self.saved[(code, year, product, subproduct)] = self.upserter.upsert(
                    Subproduct,
                    {"product": parent, "name": subproduct},
                    {"unit": unit, "physical_initial": physical, "financial_initial": financial or ZERO,
                     "order": order[parent.pk]},
                )  # fmt: skip


class ReprogrammingImporter(Importer):
    def check(self):
        institutions = institutions_by_code(self.rows)
        index = plan_index(self.rows, institutions)
        self.documents = {}
        locks = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions)
            year, number, date = row.year(), row.text("documento"), row.date("fecha")
            kind = row.text("tipo_meta").lower()
            if kind and kind not in GoalKind.values:
                row.error("tipo_meta", _("debe ser «fisica» o «financiera», no «%(value)s».") % {"value": kind})
            goal = row.amount("meta_vigente_nueva")
            if date and year and date.year != year:
                row.error("fecha", _("la fecha no es del año %(year)s.") % {"year": year})
            if not (code and year):
                continue
            institution = institutions[code]
            product, subproduct = index.find(row, institution, year)
            if product is not None and subproduct is None and kind == GoalKind.FINANCIAL:
                row.error("tipo_meta", _("un producto solo se reprograma en su meta física."))
            document = self.documents.setdefault((institution, number), {"row": row, "date": date, "lines": {}})
            if date and document["date"] and date != document["date"]:
                row.error("fecha", _("el documento %(number)s ya tiene otra fecha en la fila %(row)s.") % {"number": number, "row": document["row"].number})
            document["justification"] = document.get("justification") or row.text("justificacion", False)
            target = ("subproduct", subproduct) if subproduct else ("product", product)
            if target in document["lines"] and kind in document["lines"][target]:
                row.error("producto", _("el documento ya cambia esta meta en otra fila."))
            document["lines"].setdefault(target, {})[kind] = goal
            if date:
                locks.setdefault((institution, year), (row, {"dates": set()}))[1]["dates"].add(date)
        self.check_locks(locks)
        if not self.approve:
            self.check_pending_order()

    def check_pending_order(self):
        """From the browser documents arrive pending: one at a time, in date order (as in SIPLAN)."""
        new = [(institution, doc) for (institution, _number), doc in self.documents.items()]
        if len(new) > 1:
            self.errors.append(RowError(new[1][1]["row"].number, "documento", _("importe un documento pendiente por vez.")))
        for institution, document in new:
            try:
                validate_reprogramming_order(institution, document["date"])
            except ValidationError as error:
                self.errors.append(RowError(document["row"].number, "documento", " ".join(error.messages)))

    def write(self):
        status = ReprogrammingStatus.APPROVED if self.approve else ReprogrammingStatus.PENDING
        for (institution, number), document in self.documents.items():
            reprogramming, created = Reprogramming.objects.get_or_create(
                institution=institution,
                number=number,
                defaults={"date": document["date"], "justification": document["justification"], "status": status},
            )
            if created:
                self.result.created += 1
                if self.approve:
                    reprogramming.approved_at = timezone.now()
                    reprogramming.save(update_fields=["approved_at"])
            for (target_kind, target), goals in document["lines"].items():
                for kind, goal in goals.items():
                    line, line_created = ReprogrammingLine.objects.get_or_create(
                        reprogramming=reprogramming, kind=kind, **{target_kind: target}, defaults={"new_goal": goal}
                    )
                    if line_created:
                        self.result.created += 1
                    elif line.new_goal != goal:
                        line.new_goal = goal
                        line.save(update_fields=["new_goal"])
                        self.result.updated += 1


class ExecutionImporter(Importer):
    def check(self):
        institutions = institutions_by_code(self.rows)
        index = plan_index(self.rows, institutions)
        self.figures = {}
        locks = {}
        seen = {}
        for row in self.rows:
            code = self.scope.institution(row, institutions)
            year = row.year()
            month = row.integer("mes", 1, 12, _("el mes debe estar entre 1 y 12, no «%(value)s»."))
            physical = row.amount("ejecucion_fisica")
            if not (code and year):
                continue
            product, subproduct = index.find(row, institutions[code], year)
            if product is not None and subproduct is None:
                if row.amount("ejecucion_financiera", required=False):
                    row.error("ejecucion_financiera", _("un producto no tiene ejecución financiera propia: déjela vacía."))
                financial = None
            else:
                financial = row.amount("ejecucion_financiera", required=False) or ZERO
            target = subproduct or product
            if target is None or month is None:
                continue
            key = (type(target), target.pk, month)
            if key in seen:
                row.error("mes", _("repite el mismo mes de la fila %(row)s.") % {"row": seen[key]})
            seen[key] = row.number
            self.figures[key] = (target, month, physical, financial)
            locks.setdefault((institutions[code], year), (row, {"months": set(), "user": self.user}))[1]["months"].add(month)
        self.row_numbers = seen
        self.check_locks(locks)

    def preview(self):
        return monthly_preview(figures=self.figures, row_numbers=self.row_numbers, models=EXECUTION_MODELS)

    def write(self):
        created, updated = write_executions(self.figures, self.user)
        self.result.created += created
        self.result.updated += updated


IMPORTERS = {"plan": PlanImporter, "reprogramacion": ReprogrammingImporter, "ejecucion": ExecutionImporter}


def import_file(kind, file, name, *, user=None, dry_run=False, approve=None):
    """Validate the whole file, then write it all (or, with `dry_run`, count what would change and write nothing).

    `user` limits the rows to their institution and signs the changes; None is the command line, where
    reprogrammings are recorded as approved. Returns an ImportResult; its `errors` list is empty when it worked.
    """
    try:
        rows, errors = read_rows(kind, file, name)
    except Rejected as rejected:
        return ImportResult(errors=rejected.errors)
    importer = IMPORTERS[kind](rows, errors, user, user is None if approve is None else approve)
    with transaction.atomic():
        importer.check()
        if not (errors or dry_run):
            importer.hold()
        if errors:
            return ImportResult(errors=sorted(errors, key=lambda error: (error.row, error.column)))
        if dry_run:
            importer.result.preview = importer.preview()
        importer.write()
        if dry_run:
            transaction.set_rollback(True)
    return importer.result


def export_rows(kind, institution, year):
    """An institution-year's data as rows of a template (dicts by column), ready to be imported back."""
    base = {"institucion": institution.code, "anio": year}
    products = Product.objects.filter(result__institution=institution, result__year=year)
    if kind == "plan":
        with_programme = (
            ProductProgramme.objects.filter(product__in=products).exists()
            or SubproductProgramme.objects.filter(subproduct__product__in=products).exists()
        )
        rows = []
        related = ("subproducts__programme", "programme") if with_programme else ("subproducts",)
        ordered = products.select_related("result").prefetch_related(*related).order_by("result__order", "order", "id")
        for product in ordered:
            result = product.result
            common = {
                **base, "institucion_nombre": institution.name, "vinculacion": result.link,
                "eje_estrategico": result.strategic_axis, "accion_estrategica": result.strategic_action,
                "resultado": result.description, "producto": product.name,
            }  # fmt: skip
            rows.append({**common, "subproducto": "", "unidad": product.unit,
                         "meta_fisica_inicial": product.physical_initial, "meta_financiera_inicial": "",
                         **(programme_cells(product) if with_programme else {})})  # fmt: skip
            rows += [
                {**common, "subproducto": sub.name, "unidad": sub.unit, "meta_fisica_inicial": sub.physical_initial,
                 "meta_financiera_inicial": sub.financial_initial,
                 **(programme_cells(sub) if with_programme else {})}  # fmt: skip
                for sub in product.subproducts.all()
            ]
        return rows
    if kind == "reprogramacion":
        lines = ReprogrammingLine.objects.filter(
            reprogramming__institution=institution, reprogramming__date__year=year
        ).select_related("reprogramming", "product", "subproduct__product")
        return [
            {**base, "documento": line.reprogramming.number, "fecha": line.reprogramming.date.isoformat(),
             "producto": (line.product or line.subproduct.product).name,
             "subproducto": line.subproduct.name if line.subproduct else "", "tipo_meta": line.kind,
             "meta_vigente_nueva": line.new_goal, "justificacion": line.reprogramming.justification}  # fmt: skip
            for line in lines.order_by("reprogramming__date", "id")
        ]
    product_rows = [
        {**base, "mes": execution.month, "producto": execution.product.name, "subproducto": "",
         "ejecucion_fisica": execution.physical, "ejecucion_financiera": ""}  # fmt: skip
        for execution in ProductExecution.objects.filter(product__in=products).select_related("product")
    ]
    subproduct_rows = [
        {**base, "mes": execution.month, "producto": execution.subproduct.product.name,
         "subproducto": execution.subproduct.name, "ejecucion_fisica": execution.physical,
         "ejecucion_financiera": execution.financial}  # fmt: skip
        for execution in SubproductExecution.objects.filter(subproduct__product__in=products).select_related(
            "subproduct__product"
        )
    ]
    return product_rows + subproduct_rows


def programme_cells(item):
    """A plan row's programme columns: the stored months, empty where none (a product's money is always empty)."""
    records = {record.month: record for record in item.programme.all()}
    cells = {}
    for kind, columns in PROGRAMME_GROUPS.items():
        for month, column in zip(MONTHS, columns):
            cells[column] = getattr(records.get(month), kind_field(kind), "")
    return cells


def columns_of(kind, rows):
    """The template's columns that `rows` use: every required one, and the optional ones they carry."""
    carried = {column for row in rows for column in row}
    return [column for column in template_columns(kind) if column in COLUMNS[kind] or column in carried]


def rows_to_csv(kind, rows):
    """CSV (UTF-8) bytes of rows (any iterable, a generator too) in a template's columns."""
    rows = list(rows)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns_of(kind, rows))
    writer.writeheader()
    writer.writerows({column: neutralise(value) for column, value in row.items()} for row in rows)
    return output.getvalue().encode("utf-8")


PROGRAMME_HELP = {
    GoalKind.PHYSICAL: gettext_lazy(
        "Opcional: programación física de {month}. Sin las doce columnas prog_01 a prog_12 la programación "
        "física no cambia; con ellas, una celda vacía es 0. Los doce meses no pueden sumar más que la meta vigente."
    ),
    GoalKind.FINANCIAL: gettext_lazy(
        "Opcional: programación financiera de {month} en quetzales, solo en filas de subproducto. Sin las doce "
        "columnas progfin_01 a progfin_12 no cambia; con ellas, una celda vacía es 0. Los doce meses no pueden "
        "sumar más que la meta financiera vigente."
    ),
}
COLUMN_HELP = {
    "institucion": gettext_lazy("Código de la institución, por ejemplo IGM."),
    "institucion_nombre": gettext_lazy("Nombre de la institución; crea la institución si el código es nuevo."),
    "anio": gettext_lazy("Ejercicio fiscal, por ejemplo 2025."),
    "vinculacion": gettext_lazy("RI (vinculado a RI/PGG) o RE."),
    "eje_estrategico": gettext_lazy("Eje estratégico; puede ser «-» o quedar vacío."),
    "accion_estrategica": gettext_lazy("Acción estratégica; puede quedar vacía."),
    "resultado": gettext_lazy("Texto del resultado, o «Sin Resultado»."),
    "producto": gettext_lazy("Nombre del producto, único en el plan del año."),
    "subproducto": gettext_lazy("Nombre del subproducto; vacío para la fila del producto mismo."),
    "unidad": gettext_lazy("Unidad de medida: Persona, Documento, Obra…"),
    "meta_fisica_inicial": gettext_lazy("Meta física inicial anual, en la unidad de medida."),
    "meta_financiera_inicial": gettext_lazy("Meta financiera inicial en quetzales; vacía en la fila del producto (es la suma de sus subproductos)."),
    "documento": gettext_lazy("Número de la resolución, por ejemplo RES-014-2024; las filas del mismo número forman un documento."),
    "fecha": gettext_lazy("Fecha de la resolución, AAAA-MM-DD."),
    "tipo_meta": gettext_lazy("fisica o financiera (un producto solo se reprograma en su meta física)."),
    "meta_vigente_nueva": gettext_lazy("La meta vigente que fija el documento."),
    "justificacion": gettext_lazy("Justificación del documento."),
    "mes": gettext_lazy("Mes de 1 a 12."),
    "ejecucion_fisica": gettext_lazy("Ejecución física del mes."),
    "ejecucion_financiera": gettext_lazy("Ejecución financiera del mes en quetzales; vacía en la fila del producto."),
    **{
        column: format_lazy(PROGRAMME_HELP[kind], month=month_name(month))
        for kind, columns in PROGRAMME_GROUPS.items()
        for month, column in zip(MONTHS, columns)
    },
}
EXAMPLE_INSTITUTION = ("IGM", "Instituto Guatemalteco de Migración")
AMOUNT_FORMAT = "#,##0.00"


def example_row(kind, year, code, name):
    """A template's example row, for that year and institution, amounts as numbers: left in, it imports."""
    return {
        "plan": [code, name, year, "RI", "-", "", "Sin Resultado", "Dirección y Coordinación",
                 "Dirección y Coordinación", "Documento", 3, Decimal("277360806.00"),
                 "", "", "", 1, "", "", "", 1, "", "", "", 1, *[Decimal("23113400.50")] * 12],
        "reprogramacion": [code, year, f"RES-014-{year}", f"{year}-08-15", "Emision de Documentos Migratorios", "",
                           "fisica", 1138495, "Mayor demanda de pasaportes"],
        "ejecucion": [code, year, 9, "Dirección y Coordinación", "Dirección y Coordinación", 1, Decimal("7147023.87")],
    }[kind]  # fmt: skip


def template_workbook(kind, year, institution=None):
    """An empty import template: the header, an example row (for `year` and the institution, by default IGM),
    and a sheet that explains each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append(template_columns(kind))
    code, name = (institution.code, institution.name) if institution else EXAMPLE_INSTITUTION
    sheet.append([neutralise(value) for value in example_row(kind, year, code, name)])
    for cell in sheet[2]:
        if isinstance(cell.value, Decimal):
            cell.number_format = AMOUNT_FORMAT
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet(_("Columnas"))
    help_sheet.append([_("Columna"), _("Significado")])
    for column in template_columns(kind):
        help_sheet.append([column, str(COLUMN_HELP[column])])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
