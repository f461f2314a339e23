"""The templates' columns: which headers goals' own kinds of file have, which are optional, what links mean."""

from goals.imports.registry import Columns, template
from goals.models import (
    GoalKind,
    LinkType,
)
from goals.programme import MONTHS

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
# {kind: its required columns} of every registered template (goals.imports.registry), read when used.
COLUMNS = Columns()
# The plan's optional monthly programme: each group of twelve comes whole or not at all.
PROGRAMME_GROUPS = {
    GoalKind.PHYSICAL: [f"prog_{month:02d}" for month in MONTHS],
    GoalKind.FINANCIAL: [f"progfin_{month:02d}" for month in MONTHS],
}
PLAN_OPTIONAL_COLUMNS = PROGRAMME_GROUPS[GoalKind.PHYSICAL] + PROGRAMME_GROUPS[GoalKind.FINANCIAL]


def template_columns(kind):
    """A template's columns, the optional ones last."""
    return template(kind).all_columns


LINKS = {"RI": LinkType.RI, "RI/PGG": LinkType.RI, "RE": LinkType.RE}
