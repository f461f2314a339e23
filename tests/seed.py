"""The seed report (tests/fixtures/seed_report.txt, IGM, third cuatrimestre 2024) read into the report's JSON shape.

The text is the old system's report as extracted from its PDF: page breaks repeat the title block and
the section headers, and nothing marks a product apart from its subproducts. A product is the first
row of a block; the rows after it are its subproducts until their financial figures add up to the
product's in every column (a product's money is the sum of its subproducts').
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

SEED_REPORT = Path(__file__).parent / "fixtures" / "seed_report.txt"

LINK_HEADINGS = {"Productos vinculados a RI/PGG 2024-2028": "RI", "Productos vinculados a RE": "RE"}
AMOUNT_COLUMNS = ("initial", "current", "months", "total", "cumulative")


def amount(text):
    """ "14,466,570.00" → "14466570.00", the JSON's form of a decimal."""
    return f"{Decimal(text.replace(',', '')):.2f}"


def figures(cells):
    """The figure columns of a Física or Financiera line, from "Inicial anual" on."""
    return {
        "initial": amount(cells[3]),
        "reprogrammings": int(cells[4]),
        "current": amount(cells[5]),
        "months": [amount(cell) for cell in cells[7:11]],
        "total": amount(cells[11]),
        "pct_period": amount(cells[12]),
        "cumulative": amount(cells[13]),
        "pct_cumulative": amount(cells[14]),
        "pct_cumulative_initial": amount(cells[15]),
    }


def sum_amounts(items, column):
    if column == "months":
        return [f"{sum(Decimal(item['financial']['months'][i]) for item in items):.2f}" for i in range(4)]
    return f"{sum(Decimal(item['financial'][column]) for item in items):.2f}"


def adds_up(product, subproducts):
    return bool(subproducts) and all(
        sum_amounts(subproducts, column) == product["financial"][column] for column in AMOUNT_COLUMNS
    )


def parse_rows(lines):
    """Every (name, unit, physical, financial) row in order: a Física line followed by its Financiera line."""
    rows = []
    for line, next_line in zip(lines, lines[1:]):
        cells = line.split("\t")
        if len(cells) > 2 and cells[2] == "Física":
            rows.append(
                {
                    "name": cells[0],
                    "unit": cells[1],
                    "physical": figures(cells),
                    "financial": figures(next_line.split("\t")),
                }
            )
    return rows


def group_products(rows):
    products = []
    for row in rows:
        if products and not adds_up(products[-1], products[-1]["subproducts"]):
            products[-1]["subproducts"].append(row)
        else:
            products.append({**row, "subproducts": []})
    return products


@cache
def seed_sections():
    """The seed's sections in the report JSON's shape: link, axis, action, result, products → subproducts."""
    lines = SEED_REPORT.read_text(encoding="utf-8").splitlines()
    blocks = []
    link = None
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line in LINK_HEADINGS:
            link = LINK_HEADINGS[line]
        elif line.startswith("Eje estratégico:"):
            axis = line.removeprefix("Eje estratégico:").strip()
            action = lines[index + 2].strip().removeprefix("acción estratégica:").strip()
            result = lines[index + 6].strip()
            key = (link, axis, action, result)
            if not blocks or blocks[-1][0] != key:
                blocks.append((key, []))
            index += 7
            continue
        elif "\t" in lines[index] and blocks:
            blocks[-1][1].append(lines[index])
        index += 1
    return [
        {
            "link": link,
            "strategic_axis": axis,
            "strategic_action": action,
            "result": result,
            "products": group_products(parse_rows(block_lines)),
        }
        for (link, axis, action, result), block_lines in blocks
    ]


def seed_items():
    """Every product and subproduct of the seed, in report order."""
    for section in seed_sections():
        for product in section["products"]:
            yield product
            yield from product["subproducts"]
