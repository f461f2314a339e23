"""Lays report.typ out with Typst in a process of its own: `python -S reports/typst_render.py TYPST_DIRECTORY` reads
{"source", "fonts", "inputs", "anchor"} as JSON on standard input and writes the anchor's value (JSON) on one line,
then the PDF's bytes, on standard output.

Typst memoizes what it lays out in caches that live as long as the process and that the Python binding never
empties (typst-py issue 104): a web worker rendering report after report in-process grew by about 55 MB per report
ten times the seed's size. A process per rendering gives all of it back when it exits. Imports nothing of siplan
or Django, and runs without `site` (-S: the virtualenv's .pth files cost a sixth of a small report's rendering), so
it finds the typst package in the directory its first argument names.
"""

import json
import sys
from pathlib import Path


def render(source, fonts, inputs, anchor):
    """(the PDF's bytes, the value of the metadata labelled `anchor`) of the Typst file `source`."""
    import typst

    compiler = typst.Compiler(
        input=source,
        root=str(Path(source).parent),
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[fonts]),
        sys_inputs=inputs,
    )
    content = compiler.compile(format="pdf", pdf_tags=False)
    return content, compiler.query(f"<{anchor}>", field="value", one=True, format="json")


def main():
    sys.path.append(sys.argv[1])
    request = json.load(sys.stdin)
    content, anchor = render(request["source"], request["fonts"], request["inputs"], request["anchor"])
    sys.stdout.buffer.write(json.dumps(json.loads(anchor)).encode() + b"\n" + content)


if __name__ == "__main__":
    main()
