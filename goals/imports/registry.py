"""The import templates by name: the three of goals, and those the apps above register in their AppConfig.ready().

goals may not import the apps above it, yet their data comes in spreadsheets too (approvals' justifications): a
template is everything the import page, the workbook, the export and `import_data` need to know about one kind of
file, and the app that owns the data registers it here (as approvals registers its freeze in goals.freeze).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Template:
    """One kind of import file.

    `importer` is a goals.imports.base.Importer subclass; `export(institution, year)` the stored data as rows of
    the template (dicts by column); `example(year, code, name)` the downloadable workbook's example row; `help` the
    meaning of the columns that goals.imports.workbook does not explain (or explains otherwise); `text_fields` the
    model field each of its own text columns is stored in (checked for length and characters on every row).
    """

    kind: str
    label: Any  # a lazy translation: the import page's choice
    columns: list[str]
    importer: type
    export: Callable[..., list[dict]]
    example: Callable[[int, str, str], list]
    optional: list[str] = field(default_factory=list)
    help: dict[str, Any] = field(default_factory=dict)
    text_fields: dict[str, Any] = field(default_factory=dict)

    @property
    def all_columns(self) -> list[str]:
        """Its columns, the optional ones last."""
        return self.columns + self.optional


_templates: dict[str, Template] = {}


def register(template: Template) -> None:
    """Called once per template (goals.imports for its own, an AppConfig.ready() for the others); registering a
    kind again replaces it."""
    _templates[template.kind] = template


def template(kind: str) -> Template:
    """The registered template of that kind (KeyError for an unknown one: callers check `kind in COLUMNS`)."""
    return _templates[kind]


def templates() -> list[Template]:
    """Every registered template, in the order they were registered."""
    return list(_templates.values())


class Columns(Mapping[str, list[str]]):
    """{kind: its required columns} over the registered templates, as they are when read."""

    def __getitem__(self, kind: str) -> list[str]:
        return _templates[kind].columns

    def __iter__(self) -> Iterator[str]:
        return iter(list(_templates))

    def __len__(self) -> int:
        return len(_templates)
