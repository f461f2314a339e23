"""django-import-export resources for the three templates, so the admin's import and export screens
(with their preview and confirmation) apply exactly the rules of goals.imports, all or nothing."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.results import Result, RowResult
from tablib import Dataset

from siplan.spreadsheets import neutralise

from .imports import columns_of, export_rows, import_file, template_columns


class TemplateResource(resources.Resource):
    kind = None
    display_name = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {column: Field(column_name=column) for column in template_columns(self.kind)}

    @classmethod
    def get_display_name(cls):
        return cls.display_name

    def import_data(self, dataset, dry_run=False, raise_errors=False, user=None, **kwargs):
        content = dataset.export("csv").encode("utf-8")
        outcome = import_file(self.kind, io.BytesIO(content), "admin.csv", user=user, dry_run=dry_run)
        result = Result()
        result.diff_headers = list(dataset.headers or [])
        result.total_rows = len(dataset)
        for error in outcome.errors:
            row = dict(zip(result.diff_headers, dataset[error.row - 2])) if error.row >= 2 else {}
            result.append_invalid_row(error.row, row, ValidationError({error.column: [error.message]}))
        result.totals[RowResult.IMPORT_TYPE_NEW] = outcome.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = outcome.updated
        return result

    def export(self, queryset=None, **kwargs):
        """The template's rows for every institution-year the selected records belong to."""
        years = self.institution_years(queryset)
        rows = [row for institution, year in years for row in export_rows(self.kind, institution, year)]
        columns = columns_of(self.kind, rows)
        dataset = Dataset(headers=columns)
        for row in rows:
            dataset.append([neutralise(row.get(column, "")) for column in columns])
        return dataset

    def institution_years(self, queryset):
        raise NotImplementedError


class PlanResource(TemplateResource):
    kind = "plan"
    display_name = _("Plantilla plan")

    def institution_years(self, queryset):
        results = queryset.select_related("result__institution").order_by("result__institution__code", "result__year")
        return list(dict.fromkeys((product.result.institution, product.result.year) for product in results))


class ReprogrammingResource(TemplateResource):
    kind = "reprogramacion"
    display_name = _("Plantilla reprogramacion")

    def institution_years(self, queryset):
        documents = queryset.select_related("institution").order_by("institution__code", "date")
        return list(dict.fromkeys((document.institution, document.date.year) for document in documents))


class ExecutionResource(PlanResource):
    kind = "ejecucion"
    display_name = _("Plantilla ejecucion")
