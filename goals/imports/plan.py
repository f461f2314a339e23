"""The plan template: institutions, goals, subproducts and their monthly programme."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.import_preview import Change, monthly_preview
from goals.imports.base import Importer, PlanIndex, institutions_by_code
from goals.imports.columns import LINKS, PROGRAMME_GROUPS
from goals.imports.reader import RowError
from goals.models import (
    ZERO,
    GoalKind,
    Institution,
    Product,
    ProductProgramme,
    Result,
    Subproduct,
    SubproductProgramme,
)
from goals.programme import MONTHS, kind_field, over_goal, year_end
from goals.queries import institution_goal_states
from goals.writes import PROGRAMME_MODELS, BulkUpserter, figures_to_write, write_programme

# The preview names a changed field by the template's column (the order, which no column sets, by its own name).
ITEM_FIELDS = {
    "result": "resultado", "unit": "unidad", "physical_initial": "meta_fisica_inicial",
    "financial_initial": "meta_financiera_inicial", "order": gettext_lazy("orden en el plan"),
}  # fmt: skip
RESULT_FIELDS = {"order": gettext_lazy("orden del resultado")}


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
            self.items.append(
                (row, code, year, LINKS.get(link), result, product, subproduct, unit, physical, financial)
            )
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
                        message = _(
                            "un producto no tiene programación financiera propia: se programa en sus subproductos."
                        )
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
            states.update(institution_goal_states(institution=institution_id, year=year, as_of=year_end(year)))
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
            for code, year, name in Product.objects.filter(
                result__institution__code__in=list(self.institutions)
            ).values_list("result__institution__code", "result__year", "name")
        }
        for row, code, year, _link, _result, product, subproduct, *_values in self.items:
            if subproduct and year and (code, year, product) not in product_rows | existing:
                row.error(
                    "producto",
                    _("el producto «%(name)s» no tiene fila propia (con subproducto vacío).") % {"name": product},
                )

    def write(self):
        self.upserter = BulkUpserter(self.user)
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
        row_numbers = {}
        for (row, _key, _programme, _goals), (item, programme) in zip(self.programmes, items):
            is_product = item._meta.model_name == "product"
            for month in MONTHS:
                record = stored.get((item._meta.model_name, item.pk, month))
                physical, financial = (
                    programme[kind][month - 1] if kind in programme else getattr(record, kind_field(kind), None)
                    for kind in (GoalKind.PHYSICAL, GoalKind.FINANCIAL)
                )
                values = figures_to_write(is_product=is_product, physical=physical, financial=financial, record=record)
                if values is not None:
                    figures[(type(item), item.pk, month)] = (item, month, *values)
                    row_numbers[(type(item), item.pk, month)] = row.number
        if self.previewing:
            monthly_preview(
                figures=figures, row_numbers=row_numbers, models=PROGRAMME_MODELS, preview=self.preview, new_rows=False
            )
        return write_programme(figures=figures, user=self.user)

    def write_plan(self):
        """The institutions new to the database, then the file's results, products and subproducts in bulk: what is
        stored of its institution-years read in three queries (StoredPlan), each row compared with it as
        Upserter.upsert_changes compares, the new and changed records created and updated with their history
        (BulkUpserter), results before the products that point at them, products before their subproducts; an
        unchanged record is not written.

        Bulk writes send no model signals, so approvals' guard (approvals.signals.guard: the plan of a record's
        institution-year, before and after the change, is not frozen by a report in review or approved) does not
        run for these records. The importer has checked the same beforehand, under the lock: `hold`, in this
        transaction, takes the lock of every institution the file names that exists and asks the freeze about each
        of its years with `plan=True`; a record here changes only within its institution-year (a product moves
        between results of its year, a subproduct stays in its product), and an institution the file creates has
        no report. goals.signals guards only reprogrammings and stored files, none of which the plan writes."""
        institutions = dict(self.institutions)
        for code, name in self.new_names.items():
            institutions[code] = self.upserter.upsert(
                Institution, {"code": code}, {"name": name or code, "acronym": code}
            )
        items = sorted(self.items, key=lambda item: bool(item[6]))
        orders = PlanOrders(items)
        stored = StoredPlan(self.institutions.values(), {item[2] for item in items})
        results, products = {}, {}
        for row, code, year, link, (axis, action, text), product, subproduct, unit, physical, financial in items:
            institution = institutions[code]
            result_key = (code, year, link, axis, action, text)
            if result_key not in results:
                results[result_key], _created, changes = self.upserter.stage(
                    Result,
                    stored.results.get((institution.pk, year, link, axis, action, text)),
                    {"institution": institution, "year": year, "link": link, "strategic_axis": axis,
                     "strategic_action": action, "description": text},
                    {"order": orders.results[result_key]},
                )  # fmt: skip
                self.show(row, text, changes, RESULT_FIELDS)
            result = results[result_key]
            if not subproduct:
                # A product new to the institution-year is created in its result, never found by name elsewhere.
                values = {
                    "result": result, "unit": unit, "physical_initial": physical,
                    "order": orders.products[(code, year, product)],
                }  # fmt: skip
                saved, created, changes = self.upserter.stage(
                    Product, stored.products.get((institution.pk, year, product)), {"name": product}, values
                )
                products[(code, year, product)] = self.saved[(code, year, product, subproduct)] = saved
            else:
                parent = products.get((code, year, product)) or stored.products[(institution.pk, year, product)]
                self.saved[(code, year, product, subproduct)], created, changes = self.upserter.stage(
                    Subproduct,
                    stored.subproducts.get((parent.pk, subproduct)) if parent.pk else None,
                    {"product": parent, "name": subproduct},
                    {"unit": unit, "physical_initial": physical, "financial_initial": financial or ZERO,
                     "order": orders.subproducts[(code, year, product, subproduct)]},
                )  # fmt: skip
            if created:
                self.preview.mark_new(row.number)
            self.show(row, subproduct or product, changes, ITEM_FIELDS)
        for model in (Result, Product, Subproduct):
            self.upserter.flush(model)

    def show(self, row, item, changes, labels):
        """The preview's lines for a record the row wrote: each changed field under the template's column; a row that
        changes nothing is unchanged (a new record has marked its row new already)."""
        for name, old, new in changes:
            old, new = (value.description if isinstance(value, Result) else value for value in (old, new))
            self.preview.add_change(Change(row.number, item, str(labels[name]), old, new))
        self.preview.mark_unchanged(row.number)


def positions(keys, stored):
    """The order of each of a group's members (the results of a year, the products of a result, the subproducts of a
    product), the file listing them as `keys`; `stored` is {key: (order, id)} of the group's stored members.

    A position is not a figure the file states but one read from where its row stands: a file that lists the stored
    members in their stored order (as an export writes them) keeps their orders, however numbered, and those it adds
    after them follow; one that reorders them, or puts a new one among them, numbers the group as it lists it."""
    known = [key for key in keys if key in stored]
    if keys[: len(known)] == known and known == sorted(known, key=stored.__getitem__):
        last = max((order for order, _id in stored.values()), default=0)
        added = {key: last + place for place, key in enumerate(keys[len(known) :], start=1)}
        return {**{key: stored[key][0] for key in known}, **added}
    return {key: place for place, key in enumerate(keys, start=1)}


class PlanOrders:
    """The order each result, product and subproduct of a plan file takes (`positions`), from its rows (products
    before subproducts) and what is stored, in three queries."""

    def __init__(self, items):
        groups = {"results": {}, "products": {}, "subproducts": {}}
        for _row, code, year, link, (axis, action, text), product, subproduct, *_values in items:
            result_key = (code, year, link, axis, action, text)
            group, key = (
                ("subproducts", ((code, year, product), (code, year, product, subproduct)))
                if subproduct
                else ("products", (result_key, (code, year, product)))
            )
            members = groups["results"].setdefault((code, year), [])
            if result_key not in members:
                members.append(result_key)
            groups[group].setdefault(key[0], []).append(key[1])
        stored = self.stored(items)
        for name, by_group in groups.items():
            setattr(self, name, {})
            for group, keys in by_group.items():
                getattr(self, name).update(positions(list(dict.fromkeys(keys)), stored[name].get(group, {})))

    @staticmethod
    def stored(items):
        """{"results" | "products" | "subproducts": {group: {key: (order, id)}}} of the stored members of the groups
        the file names, keyed as PlanOrders keys them."""
        codes = {item[1] for item in items}
        years = {item[2] for item in items}
        stored = {"results": {}, "products": {}, "subproducts": {}}
        results = Result.objects.filter(institution__code__in=codes, year__in=years)
        result_keys = {}
        for result in results.values("pk", "institution__code", "year", "link", "strategic_axis",
                                     "strategic_action", "description", "order"):  # fmt: skip
            key = (result["institution__code"], result["year"], result["link"], result["strategic_axis"],
                   result["strategic_action"], result["description"])  # fmt: skip
            result_keys[result["pk"]] = key
            stored["results"].setdefault(key[:2], {})[key] = (result["order"], result["pk"])
        for product in Product.objects.filter(result__in=list(result_keys)).values("pk", "result", "name", "order"):
            code, year = result_keys[product["result"]][:2]
            group = stored["products"].setdefault(result_keys[product["result"]], {})
            group[(code, year, product["name"])] = (product["order"], product["pk"])
        subproducts = Subproduct.objects.filter(product__result__in=list(result_keys))
        for sub in subproducts.values("pk", "product__result", "product__name", "name", "order"):
            code, year = result_keys[sub["product__result"]][:2]
            group = stored["subproducts"].setdefault((code, year, sub["product__name"]), {})
            group[(code, year, sub["product__name"], sub["name"])] = (sub["order"], sub["pk"])
        return stored


class StoredPlan:
    """The stored results, products and subproducts of the institutions' years, in three queries, keyed as the plan
    importer looks them up: results by (institution id, year, link, axis, action, description), products by
    (institution id, year, name) (the first in the plan's order, as a lookup's .first() finds it), subproducts by
    (product id, name)."""

    def __init__(self, institutions, years):
        plans = {"institution__in": list(institutions), "year__in": list(years)}
        self.results = {
            (result.institution_id, result.year, result.link, result.strategic_axis, result.strategic_action,
             result.description): result
            for result in Result.objects.filter(**plans)
        }  # fmt: skip
        self.products = {}
        in_plans = {f"result__{lookup}": values for lookup, values in plans.items()}
        for product in Product.objects.filter(**in_plans).select_related("result"):
            self.products.setdefault((product.result.institution_id, product.result.year, product.name), product)
        self.subproducts = {
            (subproduct.product_id, subproduct.name): subproduct
            for subproduct in Subproduct.objects.filter(**{f"product__{lookup}": v for lookup, v in in_plans.items()})
        }
