"""The entry page's rows, written here as its template wrote them, byte for byte: a month at ten times the seed has
170 rows and 280 fields, and the template's lookups, url tags and floatformat (the language's separators looked up
for each figure) on each were most of the page's time."""

from html import escape

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from goals.evidence import row_kind
from goals.figures import printed_amount, separators, unlocalized_amount

ROW = """
      <tr class="{kind}" data-product="{product}" data-unit="{unit}">
        <th scope="row" class="name">{name} <a class="evidence-clip" href="{evidence_url}" title="{evidence_title}" \
aria-label="{evidence_label}">📎 {evidence}</a></th>
        <td>{unit}</td>
        <td class="num">{physical_goal}</td>
        <td class="num">{physical_before}</td>
        <td class="num input">
          {physical_input}
          {fill_sum}
          {physical_notes}
        </td>
        <td class="num cumulative" data-for="{physical_id}"></td>
        <td class="num pct" data-for="{physical_id}"></td>
        <td class="num">{financial_goal}</td>
        <td class="num">{financial_before}</td>
        {financial_cells}
      </tr>
    """
FINANCIAL_CELLS = """
        <td class="num input">
          {input}
          {notes}
        </td>
        <td class="num cumulative" data-for="{id}"></td>
        <td class="num pct" data-for="{id}"></td>
        """
MONEY_SUM_CELLS = """
        <td class="num money-sum" id="money-{pk}" data-goal="{goal}" data-before="{before}" title="{title}"></td>
        <td class="num cumulative" data-for="money-{pk}"></td>
        <td class="num pct" data-for="money-{pk}"></td>
        """
INPUT = (
    '<input type="text" name="{name}" id="{id}" value="{value}" inputmode="decimal" autocomplete="off" '
    'data-column="{column}" data-goal="{goal}" data-before="{before}" aria-label="{label}"{readonly}{described}>'
)
FILL_SUM = '<button type="button" class="fill-sum" data-product="{pk}" data-unit="{unit}" title="{title}">Σ</button>'
WARNING = '<p class="field-warning" id="{id}_warning">{warning}</p>'


def entry_rows(*, rows, form, evidence_counts, year, month, query, can_save):
    """The rows of the entry page's table (goals.entry.EntryRow) as HTML: each with its medios de verificación of
    the month (`evidence_counts`, goals.evidence.month_counts), its figures and, in `form` (goals.entry.MonthForm),
    its fields with their errors or over-goal warnings."""
    table = separators(escape)
    warnings = form.over_goal_warnings()
    evidence_urls = {  # a row's page of files is its kind's address with the row's id last: reversed once per kind
        kind: escape(reverse("goals:evidence", args=[year, month, kind, 0]).removesuffix("0/"))
        for kind in ("producto", "subproducto")
    }
    query = escape(query)
    evidence_title = escape(gettext("Medios de verificación del mes"))
    fill_sum_title = escape(gettext("Suma de sus subproductos de la misma unidad"))
    money_sum_title = escape(gettext("Suma de sus subproductos"))
    readonly = "" if can_save else " readonly"
    evidence_labels = {  # (count as shown, the link's label) of each number of files a row has
        count: (shown, ngettext("%(counter)s medio de verificación", "%(counter)s medios de verificación", count)
                % {"counter": shown})
        for count in {0, *evidence_counts.values()}
        for shown in (escape(localize(count)),)
    }  # fmt: skip

    def field(row, column, goal, before):
        """(input, errors or warning, id) of a row's field."""
        name = f"{row.prefix}_{column}"
        field_id = f"id_{name}"
        errors = form.errors.get(name)
        warning = warnings.get(name)
        if errors:
            described = f' aria-invalid="true" aria-describedby="{field_id}_error"'
        else:
            described = f' aria-describedby="{field_id}_warning"' if warning else ""
        value = INPUT.format(
            name=name, id=field_id, value=escape(form.shown_value(name)), column=column,
            goal=unlocalized_amount(goal), before=unlocalized_amount(before), label=escape(form.fields[name].label),
            readonly=readonly, described=described,
        )  # fmt: skip
        if errors:
            notes = conditional_escape(form[name].errors)
        else:
            notes = WARNING.format(id=field_id, warning=escape(warning)) if warning else ""
        return value, notes, field_id

    def row_html(row, evidence):
        item = row.item
        unit = escape(item.unit)
        physical_input, physical_notes, physical_id = field(row, "physical", row.physical_goal, row.physical_before)
        if row.is_product:
            financial_cells = MONEY_SUM_CELLS.format(
                pk=item.pk, goal=unlocalized_amount(row.financial_goal),
                before=unlocalized_amount(row.financial_before), title=money_sum_title,
            )  # fmt: skip
        else:
            financial_input, financial_notes, financial_id = field(
                row, "financial", row.financial_goal, row.financial_before
            )
            financial_cells = FINANCIAL_CELLS.format(input=financial_input, notes=financial_notes, id=financial_id)
        return ROW.format(
            kind="product" if row.is_product else "subproduct",
            product=item.pk if row.is_product else item.product_id,
            unit=unit,
            name=escape(item.name),
            evidence_url=f"{evidence_urls[row_kind(item)]}{item.pk}/{query}",
            evidence_title=evidence_title,
            evidence=evidence_labels[evidence][0],
            evidence_label=evidence_labels[evidence][1],
            physical_goal=printed_amount(row.physical_goal, table),
            physical_before=printed_amount(row.physical_before, table),
            physical_input=physical_input,
            fill_sum=FILL_SUM.format(pk=item.pk, unit=unit, title=fill_sum_title)
            if row.is_product and can_save
            else "",
            physical_notes=physical_notes,
            physical_id=physical_id,
            financial_goal=printed_amount(row.financial_goal, table),
            financial_before=printed_amount(row.financial_before, table),
            financial_cells=financial_cells,
        )

    return mark_safe(  # noqa: S308 (every text and typed value above is escaped; the rest is numbers and ids)
        "".join(row_html(row, evidence_counts[(row_kind(row.item), row.item.pk)]) for row in rows)
    )  # fmt: skip
