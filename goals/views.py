"""Thin views: the monthly entry and programme pages (rules in goals.entry and goals.programme) and the list
pages (queries in goals.queries)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from goals.periods import month_name
from goals.queries import (
    execution_by_month,
    institutions_with_latest_year,
    products_with_totals,
)
from goals.reading import readable_goals_as_of, readable_months
from goals.roles import can_enter_data, can_read_drafts

from .access import institution_for_user_or_404, institutions_for
from .entry import (
    MonthForm,
    MonthFrozen,
    PeriodForm,
    StaleSave,
    YearForm,
    cached_month_rows,
    is_valid_period,
    month_is_writable,
    save_month,
    stored_month,
)
from .entry_table import entry_rows
from .evidence import (
    EvidenceUploadLimit,
    attach_evidence,
    month_counts,
    remove_evidence,
    row_evidence,
    row_kind,
    row_or_404,
    too_large,
)
from .forms import EvidenceForm
from .models import FIRST_YEAR, LAST_YEAR, Evidence, GoalKind, Institution
from .programme import (
    MONTHS,
    ProgrammeForm,
    locked_months,
    page_lines,
    programme_sheet,
    save_programme,
    year_end,
)
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


def institution_query(request):
    """ "?institucion=CODE" when a superuser chose an institution, for the page's links and redirects to keep it."""
    code = request.GET.get("institucion")
    return "?" + urlencode({"institucion": code}) if code and request.user.is_superuser else ""


@login_required
def enter_chosen_month(request):
    """The month the page's picker asks for (?anio=&mes=), or today's."""
    period = PeriodForm(request.GET)
    if period.is_valid():
        year, month = period.cleaned_data["anio"], period.cleaned_data["mes"]
    else:
        today = timezone.localdate()
        year, month = today.year, today.month
    return redirect(reverse("goals:enter_month", args=[year, month]) + institution_query(request))


@login_required
def enter_month(request, year, month):
    if not is_valid_period(year=year, month=month):
        raise Http404(_("No existe ese mes."))
    institution = entry_institution(request)
    if not can_read_drafts(request.user, institution):
        raise PermissionDenied(_("Su rol no le permite ver la ejecución en curso."))
    may_enter = can_enter_data(request.user, institution)
    rows = cached_month_rows(institution=institution, year=year, month=month)
    form = None  # built once: the posted form, else the page as stored (560 fields at ten times the seed)
    stale = locked = None
    status = 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("Su rol no le permite cambiar cifras."))
        form = MonthForm(rows, request.POST)
        try:
            saved, stale = save_page(
                request,
                form,
                lambda: save_month(institution=institution, year=year, month=month, form=form, user=request.user),
            )
        except MonthFrozen as frozen:
            saved, locked = None, frozen.reason
        if saved is not None:
            warned = len(form.over_goal_warnings())
            if warned:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)s cifra supera la meta vigente de su fila; se guardó, revísela.",
                        "%(n)s cifras superan la meta vigente de su fila; se guardaron, revíselas.",
                        warned,
                    )
                    % {"n": warned},
                )
            what = _("%(month)s %(year)s") % {"month": month_name(month), "year": year}
            return saved_redirect(request, what, saved)
    if may_enter and locked is None:
        locked = month_is_writable(institution=institution, year=year, month=month, user=request.user)
    if request.method == "POST" and locked:
        messages.error(request, _("No se guardó nada: este mes es de solo lectura."))
        status = 403
        form = stale = None
    if form is None:
        form = MonthForm(rows, stored=stored_month(institution=institution, year=year, month=month))
    query = institution_query(request)
    context = {
        "institution": institution,
        "year": year,
        "month": month,
        "month_label": month_name(month),
        "months": [(number, month_name(number)) for number in range(1, 13)],
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "query": query,
        "form": form,
        "rows": rows,
        "table_rows": entry_rows(
            rows=rows,
            form=form,
            evidence_counts=month_counts(institution=institution, year=year, month=month),
            year=year,
            month=month,
            query=query,
            can_save=may_enter and not locked,
        ),
        "can_save": may_enter and not locked,
        "locked": locked,
        "stale": stale,
    }
    return render(request, "goals/entry.html", context, status=status)


@csrf_exempt
@login_required
def evidence_page(request, year, month, kind, pk):
    """A row's medios de verificación of a month: listed to who reads the month's drafts, attached by its planners.
    The upload's size is bounded before its body is read (EvidenceUploadLimit), so the CSRF check comes after."""
    limit = EvidenceUploadLimit(request)
    request.upload_handlers.insert(0, limit)
    return row_evidence_page(request, year, month, kind, pk, limit)


@csrf_protect
def row_evidence_page(request, year, month, kind, pk, limit):
    if not is_valid_period(year=year, month=month):
        raise Http404(_("No existe ese mes."))
    institution = entry_institution(request)
    if not can_read_drafts(request.user, institution):
        raise PermissionDenied(_("Su rol no le permite ver la ejecución en curso."))
    row = row_or_404(institution=institution, kind=kind, pk=pk, year=year)
    may_enter = can_enter_data(request.user, institution)
    locked = (
        month_is_writable(institution=institution, year=year, month=month, user=request.user) if may_enter else None
    )
    form = EvidenceForm()
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("Su rol no le permite adjuntar medios de verificación."))
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if limit.exceeded:
                    raise too_large()
                attached = attach_evidence(
                    user=request.user, institution=institution, row=row, year=year, month=month,
                    upload=form.cleaned_data["file"], description=form.cleaned_data["description"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Se adjuntó «%(name)s».") % {"name": attached.original_name})
                return redirect(request.get_full_path())
    context = {
        "institution": institution,
        "year": year,
        "month": month,
        "month_label": month_name(month),
        "row": row,
        "is_product": kind == "producto",
        "files": list(row_evidence(row=row, year=year, month=month)),
        "form": form,
        "can_change": may_enter and not locked,
        "locked": locked,
        "query": institution_query(request),
    }
    return render(request, "goals/evidence.html", context)


@login_required
@require_POST
def delete_evidence(request, pk):
    """A planner removes a file of a month that is not frozen; the page says why when it is."""
    institution = entry_institution(request)
    evidence = get_object_or_404(
        Evidence.objects.select_related("institution", "product", "subproduct"), pk=pk, institution=institution
    )
    try:
        remove_evidence(user=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Se eliminó «%(name)s».") % {"name": evidence.original_name})
    page = reverse("goals:evidence", args=[evidence.year, evidence.month, row_kind(evidence.row), evidence.row.pk])
    return redirect(page + institution_query(request))


def save_page(request, form, save):
    """Validate the page's form and `save()` it; (counts or None, stale changes or None). A refusal by a lock
    becomes a message; the form keeps what the user typed."""
    if not form.is_valid():
        return None, None
    try:
        return save(), None
    except StaleSave as error:
        return None, error.changes
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None, None


def saved_redirect(request, what, counts):
    created, updated = counts
    messages.success(
        request,
        _("Se guardó %(what)s: %(created)s, %(updated)s.")
        % {
            "what": what,
            "created": ngettext("%(n)s cifra nueva", "%(n)s cifras nuevas", created) % {"n": created},
            "updated": ngettext("%(n)s cambiada", "%(n)s cambiadas", updated) % {"n": updated},
        },
    )
    return redirect(request.get_full_path())


@login_required
def programme_chosen_year(request):
    """The programme of the user's institution (a superuser's ?institucion=CODE) for ?anio= or this year."""
    chosen = YearForm(request.GET)
    year = chosen.cleaned_data["anio"] if chosen.is_valid() else timezone.localdate().year
    return redirect("goals:programme", entry_institution(request).code, year)


@login_required
def programme(request, code, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("No existe ese año."))
    institution = institution_for_user_or_404(request.user, code)
    may_enter = can_enter_data(request.user, institution)
    locked = locked_months(institution=institution, year=year, user=request.user) if may_enter else {}
    months = readable_months(user=request.user, institution=institution, year=year)
    as_of = readable_goals_as_of(user=request.user, institution=institution, year=year, as_of=year_end(year))
    if as_of is None:
        raise PermissionDenied(
            _("Su rol le permite ver la programación de los cuatrimestres aprobados, y este año no tiene ninguno.")
        )
    rows, version = programme_sheet(institution=institution, year=year, months=months, as_of=as_of)
    form = ProgrammeForm(rows, initial={"version": version, "opened_at": timezone.now()})
    stale = None
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("Su rol no le permite cambiar la programación."))
        form = ProgrammeForm(rows, request.POST)
        saved, stale = save_page(
            request, form, lambda: save_programme(institution=institution, year=year, form=form, user=request.user)
        )
        if saved is not None:
            return saved_redirect(request, _("la programación %(year)s") % {"year": year}, saved)
    context = {
        "institution": institution,
        "year": year,
        "months": [(number, month_name(number)) for number in MONTHS],
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "form": form,
        "lines": page_lines(rows, form, locked),
        "can_save": may_enter and len(locked) < len(MONTHS),
        "reasons": list(dict.fromkeys(locked.values())) + unread_reason(months),
        "stale": stale,
    }
    return render(request, "goals/programme.html", context)


def unread_reason(months):
    """Why a reader sees some months empty (goals.reading), or nothing when he reads them all."""
    if len(months) == len(MONTHS):
        return []
    return [_("los meses de cuatrimestres sin reporte aprobado se muestran vacíos.")]


def paginated(request, table):
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table


@login_required
def institution_list(request):
    table = paginated(request, InstitutionTable(institutions_with_latest_year(institutions_for(request.user))))
    return render(request, "goals/list.html", {"title": _("Instituciones"), "table": table})


@login_required
def product_list(request, code, year):
    """The plan's products and initial goals; who reads no drafts sees them once a report of the year is approved
    (approval freezes the initial goals)."""
    institution = institution_for_user_or_404(request.user, code)
    if readable_goals_as_of(user=request.user, institution=institution, year=year, as_of=year_end(year)) is None:
        raise PermissionDenied(
            _("Su rol le permite ver las metas de los cuatrimestres aprobados, y este año no tiene ninguno.")
        )
    table = paginated(request, ProductTable(products_with_totals(institution=institution, year=year)))
    context = {
        "title": _("Productos %(year)s") % {"year": year},
        "institution": institution,
        "year": year,
        "table": table,
        "reads_execution": can_read_drafts(request.user, institution),
    }
    return render(request, "goals/list.html", context)


@login_required
def execution_list(request, code, year):
    institution = institution_for_user_or_404(request.user, code)
    if not can_read_drafts(request.user, institution):
        raise PermissionDenied(_("Su rol no le permite ver la ejecución en curso."))
    kind = GoalKind.FINANCIAL if request.GET.get("tipo") == GoalKind.FINANCIAL else GoalKind.PHYSICAL
    table = paginated(request, ExecutionTable(execution_by_month(institution=institution, year=year, kind=kind)))
    title = _("Ejecución %(kind)s %(year)s") % {"kind": kind.label.lower(), "year": year}
    context = {
        "title": title,
        "institution": institution,
        "year": year,
        "table": table,
        "kind": kind,
        "reads_execution": True,
    }
    return render(request, "goals/list.html", context)
