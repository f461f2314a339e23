"""What every importer shares: the user's scope, finding plans and institutions, the locks it must respect."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from goals.freeze import ensure_writable, lock_institutions
from goals.import_preview import Preview
from goals.imports.reader import RowError
from goals.imports.rows import ImportResult, check_texts
from goals.models import (
    Institution,
    Product,
    Subproduct,
)


class Scope:
    """Which institutions the importing user may write: their own, or any for a superuser or the command line."""

    def __init__(self, user):
        self.user = user

    def allows(self, code):
        return (
            self.user is None
            or self.user.is_superuser
            or (self.user.institution is not None and self.user.institution.code == code)
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
    """Ask the freeze (goals.freeze) about each (institution, year); a refusal becomes an error on its first row."""
    for (institution, year), (row, kwargs) in rows_by_key.items():
        try:
            ensure_writable(institution=institution, year=year, **kwargs)
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
            row.error(
                "producto", _("no existe el producto «%(name)s» en el plan %(year)s.") % {"name": name, "year": year}
            )
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
    """{code: Institution} of the codes the rows name. A cell that cannot be a code (a NUL or another control
    character, which PostgreSQL refuses in a query, or too long) is not looked up: its row is refused as naming
    no institution, never a database error."""
    longest = Institution._meta.get_field("code").max_length or 0
    cells = {row.text("institucion", required=False) for row in rows}
    codes = {code for code in cells if code.isprintable() and len(code) <= longest}
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
    """Validates every row (`check`), then writes them all (`write`); counts what it creates and updates and, when
    `previewing` (a dry run), records in `preview` each row's outcome and each value it changes, old and new."""

    def __init__(self, rows, errors, user, approve, previewing=False):
        self.rows = rows
        self.errors = errors
        self.scope = Scope(user)
        self.user = user
        self.approve = approve
        self.previewing = previewing
        self.preview = Preview()
        self.result = ImportResult(errors=errors)
        check_texts(rows)
        self.locks = {}

    def check_locks(self, locks):
        """Check the freeze of each (institution, year) the file writes; `hold` asks again before writing."""
        self.locks = locks
        check_locks(locks, self.errors)

    def hold(self):
        """In the transaction that writes: take the write lock of the file's institutions and check the freeze
        again under it, so a submission or approval since `check` refuses the file instead of being overtaken."""
        lock_institutions(*(institution for institution, _year in self.locks))
        check_locks(self.locks, self.errors)
