"""The templates' columns: which headers each kind of file has, which are optional, what links mean."""

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
COLUMNS = {"plan": PLAN_COLUMNS, "reprogramacion": REPROGRAMMING_COLUMNS, "ejecucion": EXECUTION_COLUMNS}
# The plan's optional monthly programme: each group of twelve comes whole or not at all.
PROGRAMME_GROUPS = {
    GoalKind.PHYSICAL: [f"prog_{month:02d}" for month in MONTHS],
    GoalKind.FINANCIAL: [f"progfin_{month:02d}" for month in MONTHS],
}
OPTIONAL_COLUMNS = {"plan": PROGRAMME_GROUPS[GoalKind.PHYSICAL] + PROGRAMME_GROUPS[GoalKind.FINANCIAL]}


def template_columns(kind):
    """A template's columns, the optional ones last."""
    return COLUMNS[kind] + OPTIONAL_COLUMNS.get(kind, [])


LINKS = {"RI": LinkType.RI, "RI/PGG": LinkType.RI, "RE": LinkType.RE}
