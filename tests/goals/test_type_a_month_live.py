"""While a planner types, the entry page's live cumulative and % follow the server's number rule, and a huge number
gives a readable % (static/js/figures.js, run under Node when it is installed)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

FIGURES_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "figures.js"
NODE = shutil.which("node")


def run_figures(expression):
    script = (
        f"global.window = {{}}; eval(require('fs').readFileSync({json.dumps(str(FIGURES_JS))}, 'utf8'));"
        f"const f = window.siplanFigures; console.log(JSON.stringify({expression}));"
    )
    return json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_typed_text_is_read_as_the_server_reads_it():
    typed = ["12,5", "1,234.56", "5109097.78", "x12", "12.345", "99999999999999999", "9999999999999999.99"]
    read = run_figures(f"{json.dumps(typed)}.map((text) => f.number(text))")
    # JSON has no NaN: JSON.stringify writes null for a refused number
    assert read == [None, 1234.56, 5109097.78, None, None, None, 9999999999999999.99]


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_a_huge_number_gives_a_readable_percent():
    shown = run_figures("[f.percent(9999999999999999, 12), f.percent(1242.5, 12), f.percent(5, 0)]")
    assert shown == ["> 1,000,000.00", "10,354.17", "0.00"]
