"""The file formats a report is rendered to, shared by the download views and `export_report`."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from .computation import report_to_dict
from .pdf import render_report_pdf
from .xlsx import render_xlsx


def render_json(report, snapshot=None):
    """The report's JSON contract; approval data is served apart (approvals' snapshot JSON)."""
    return (json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Format:
    render: Callable
    content_type: str


FORMATS = {
    "json": Format(render_json, "application/json; charset=utf-8"),
    "xlsx": Format(render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": Format(render_report_pdf, "application/pdf"),
}


def filename(report, extension):
    """IGM-2024-C3.xlsx"""
    return f"{report.institution.acronym}-{report.year}-C{report.cuatrimestre}.{extension}"
