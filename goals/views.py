"""Thin views: the monthly entry page (rules in goals.entry) and the list pages (queries in goals.services)."""

from django.contrib import messages
from django_tables2 import RequestConfig
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.locks import month_name
from approvals.roles import can_enter_data, can_read_drafts

from .access import institution_for_user_or_404, institutions_for
from .entry import MonthForm, StaleMonth, month_is_writable, month_sheet, save_month
from .models import GoalKind, Institution
from .services import execution_by_month, institutions_with_latest_year, products_with_totals
from .tables import ExecutionTable, InstitutionTable, ProductTable

PER_PAGE = 25


def entry_institution(request):
    """The user's institution; a superuser picks one with ?institucion=CODE."""
    code = request.GET.get("institucion")
    if code and request.user.is_superuser:
        return get_object_or_404(Institution, code=code)
    if request.user.institution is None:
        raise Http404(_("Su usuario no pertenece a ninguna institución."))
    return request.user.institution


@login_required
def enter_current_month(request):
    today = timezone.localdate()
    return redirect("goals:enter_month", year=today.year, month=today.month)


@login_required
def enter_month(request, year, month):
    if not 1 <= month <= 12:
        raise Http404(_("El mes debe estar entre 1 y 12."))
    institution = entry_institution(request)
    if not can_read_drafts(request.user, institution):
        raise PermissionDenied(_("Su rol no le permite ver la ejecución en curso."))
    can_save = can_enter_data(request.user, institution)
    locked = month_is_writable(institution, year, month, request.user) if can_save else None
    rows, version = month_sheet(institution, year, month)
    stale = None
    if request.method == "POST":
        if not can_save or locked:
            raise PermissionDenied(locked or _("Su rol no le permite cambiar cifras."))
        form = MonthForm(rows, request.POST)
        if form.is_valid():
            try:
                created, updated = save_month(institution, year, month, form, request.user)
            except StaleMonth as error:
                stale = error.changes
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Se guardó %(month)s %(year)s: %(created)s cifras nuevas, %(updated)s cambiadas.")
                    % {"month": month_name(month), "year": year, "created": created, "updated": updated},
                )
                return redirect(request.get_full_path())
    else:
        form = MonthForm(rows, initial={"version": version, "opened_at": timezone.now()})
    context = {
        "institution": institution,
        "year": year,
        "month": month,
        "month_label": month_name(month),
        "months": [(number, month_name(number)) for number in range(1, 13)],
        "form": form,
        "rows": [(row, form[f"{row.prefix}_physical"], None if row.is_product else form[f"{row.prefix}_financial"]) for row in rows],
        "can_save": can_save and not locked,
        "locked": locked,
        "stale": stale,
    }
    return render(request, "goals/entry.html", context)


def paginated(request, table):
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table


@login_required
def institution_list(request):
    table = paginated(request, InstitutionTable(institutions_with_latest_year(institutions_for(request.user))))
    return render(request, "goals/list.html", {"title": _("Instituciones"), "table": table})


@login_required
def product_list(request, code, year):
    institution = institution_for_user_or_404(request.user, code)
    table = paginated(request, ProductTable(products_with_totals(institution, year)))
    title = _("Productos %(year)s") % {"year": year}
    return render(request, "goals/list.html", {"title": title, "institution": institution, "year": year, "table": table})


@login_required
def execution_list(request, code, year):
    institution = institution_for_user_or_404(request.user, code)
    if not can_read_drafts(request.user, institution):
        raise PermissionDenied(_("Su rol no le permite ver la ejecución en curso."))
    kind = GoalKind.FINANCIAL if request.GET.get("tipo") == GoalKind.FINANCIAL else GoalKind.PHYSICAL
    table = paginated(request, ExecutionTable(execution_by_month(institution, year, kind)))
    title = _("Ejecución %(kind)s %(year)s") % {"kind": kind.label.lower(), "year": year}
    context = {"title": title, "institution": institution, "year": year, "table": table, "kind": kind}
    return render(request, "goals/list.html", context)
