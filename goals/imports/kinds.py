"""goals' own templates, registered when goals.imports is first imported: the plan, reprogrammings, execution."""

from django.utils.translation import gettext_lazy as _

from goals.imports.columns import EXECUTION_COLUMNS, PLAN_COLUMNS, PLAN_OPTIONAL_COLUMNS, REPROGRAMMING_COLUMNS
from goals.imports.execution import ExecutionImporter
from goals.imports.export import execution_rows, plan_rows, reprogramming_rows
from goals.imports.plan import PlanImporter
from goals.imports.registry import Template, register
from goals.imports.reprogramming import ReprogrammingImporter
from goals.imports.workbook import execution_example, plan_example, reprogramming_example

PLAN = Template(
    kind="plan",
    label=_("Plan anual (resultados, productos, subproductos y metas iniciales)"),
    columns=PLAN_COLUMNS,
    optional=PLAN_OPTIONAL_COLUMNS,
    importer=PlanImporter,
    export=plan_rows,
    example=plan_example,
)
REPROGRAMMING = Template(
    kind="reprogramacion",
    label=_("Reprogramación"),
    columns=REPROGRAMMING_COLUMNS,
    importer=ReprogrammingImporter,
    export=reprogramming_rows,
    example=reprogramming_example,
)
EXECUTION = Template(
    kind="ejecucion",
    label=_("Ejecución mensual"),
    columns=EXECUTION_COLUMNS,
    importer=ExecutionImporter,
    export=execution_rows,
    example=execution_example,
)

for kind in (PLAN, REPROGRAMMING, EXECUTION):
    register(kind)
