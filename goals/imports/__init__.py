"""Loading the plan, reprogrammings and execution from spreadsheets, and writing them back as templates.

- `registry`: the templates by name (`register`, `template`, `templates`): goals' own three (`kinds`) and those the
  apps above register from their AppConfig.ready() (approvals' `justificacion`);
- `reader`: reads a CSV or XLSX safely into header and rows (limits, hostile files, Spanish refusals);
- `columns`: each template's headers; `rows`: one row's cells parsed strictly, errors by row and column;
- `base`: what every importer shares (scope, locks, finding plans); `plan`, `reprogramming`, `execution`:
  one importer per template; `run`: `import_file`, all or nothing; `background`: a large import is previewed,
  then written, by the queue's worker (registered by jobs);
- `export`: data written back as template rows; `workbook`: the downloadable XLSX templates.

The names below are the package's public API; anything else is imported from its module.
"""

from goals.imports import background
from goals.imports.base import Importer, institutions_by_code
from goals.imports.columns import (
    COLUMNS,
    EXECUTION_COLUMNS,
    PLAN_COLUMNS,
    REPROGRAMMING_COLUMNS,
    template_columns,
)
from goals.imports.export import columns_of, export_rows, rows_to_csv
from goals.imports.kinds import EXECUTION, PLAN, REPROGRAMMING
from goals.imports.reader import RowError
from goals.imports.registry import Template, register, template, templates
from goals.imports.rows import ImportResult
from goals.imports.run import import_file
from goals.imports.workbook import template_workbook

__all__ = [
    "COLUMNS",
    "EXECUTION",
    "EXECUTION_COLUMNS",
    "PLAN",
    "PLAN_COLUMNS",
    "REPROGRAMMING",
    "REPROGRAMMING_COLUMNS",
    "ImportResult",
    "Importer",
    "RowError",
    "Template",
    "background",
    "columns_of",
    "export_rows",
    "import_file",
    "institutions_by_code",
    "register",
    "rows_to_csv",
    "template",
    "template_columns",
    "template_workbook",
    "templates",
]
