"""Lays report.typ out with Typst in a process of its own: `python reports/typst_render.py` reads
{"source", "fonts", "inputs", "anchor"} as JSON on standard input and writes the anchor's value (JSON) on one line,
then the PDF's bytes, on standard output.

Typst memoizes what it lays out in caches that live as long as the process and that the Python binding never
empties (typst-py issue 104): a web worker rendering report after report in-process grew by about 55 MB per report
ten times the seed's size. A process per rendering gives all of it back when it exits. Imports nothing of siplan
or Django, so it starts in a few tens of milliseconds.
"""

import json
import sys
from pathlib import Path

import typst


def render(source, fonts, inputs, anchor):
    """(the PDF's bytes, the value of the metadata labelled `anchor`) of the Typst file `source`."""
    compiler = typst.Compiler(
        input=source,
        root=str(Path(source).parent),
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[fonts]),
        sys_inputs=inputs,
    )
    content = compiler.compile(format="pdf", pdf_tags=False)
    return content, compiler.query(f"<{anchor}>", field="value", one=True, format="json")


def main():
    request = json.load(sys.stdin)
    content, anchor = render(request["source"], request["fonts"], request["inputs"], request["anchor"])
    sys.stdout.buffer.write(json.dumps(json.loads(anchor)).encode() + b"\n" + content)


if __name__ == "__main__":
    main()
