"""django-import-export resources for the three templates, so the admin's import and export screens
(with their preview and confirmation) apply exactly the rules of goals.imports, all or nothing."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.results import Result, RowResult
from tablib import Dataset

from siplan.spreadsheets import neutralise

from .imports import columns_of, export_rows, import_file, template_columns, templates
from .imports.reader import read_table


def all_columns():
    """Every registered template's columns: a file read here is checked against its template once the resource is
    chosen."""
    return list(dict.fromkeys(column for found in templates() for column in found.all_columns))


class TemplateFormat:
    """A file format of the admin's import read by goals.imports.reader (its limits, its Spanish refusals)
    instead of tablib; blank rows are kept so that errors name the file's rows."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        header, rows = read_table(io.BytesIO(in_stream), f"admin.{self.get_extension()}", (), all_columns())
        dataset = Dataset(headers=header)
        for number, cells in rows:
            while len(dataset) + 2 < number:
                dataset.append([None] * len(header))
            dataset.append(cells)
        return dataset


class TemplateCSV(TemplateFormat, base_formats.CSV):
    pass


class TemplateXLSX(TemplateFormat, base_formats.XLSX):
    pass


TEMPLATE_FORMATS = [TemplateCSV, TemplateXLSX]


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
        rows = [
            row
            for institution, year in years
            for row in export_rows(kind=self.kind, institution=institution, year=year)
        ]
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
