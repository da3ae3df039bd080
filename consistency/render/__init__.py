"""Report formats: one :func:`render` for every report and format, one :func:`write_output` for every command.

The data types (:class:`~consistency.types.Report`, :class:`~consistency.compare.CompareReport`) know nothing
of their formats; the renderers live here, one module per report (``report``: ``check``; ``compare``:
``compare`` and ``corpus check``), registered below by report type and format name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from consistency.compare.report import CompareReport
from consistency.errors import DataError
from consistency.render import compare as compare_formats
from consistency.render import report as report_formats
from consistency.render.output import EXTENSIONS, FORMAT_ALIASES, OutputPlan, plan_outputs, write_output, write_plan
from consistency.types import Report

FORMATS = ("text", "json", "markdown", "html")

Renderer = Callable[[Any, bool], str]
_RENDERERS: dict[tuple[type, str], Renderer] = {
    (Report, "json"): lambda report, color: report_formats.render_json(report) + "\n",
    (Report, "text"): lambda report, color: report_formats.render_text(report, color=color),
    (Report, "markdown"): lambda report, color: report_formats.render_markdown(report),
    (Report, "html"): lambda report, color: report_formats.render_html(report),
    (CompareReport, "json"): lambda report, color: compare_formats.render_compare_json(report) + "\n",
    (CompareReport, "text"): lambda report, color: compare_formats.render_compare_text(report, color=color),
    (CompareReport, "markdown"): lambda report, color: compare_formats.render_compare_markdown(report),
    (CompareReport, "html"): lambda report, color: compare_formats.render_compare_html(report),
}



def render(report: Report | CompareReport, fmt: str = "text", color: bool = False) -> str:
    """``report`` in ``fmt`` (one of :data:`FORMATS`, any case, or a file extension as ``-o`` reads it: "md",
    "txt", "htm"); ``color``: ANSI colours in the text format."""
    fmt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    renderer = _RENDERERS.get((type(report), fmt))
    if renderer is None:
        raise ValueError(f"no '{fmt}' format for {type(report).__name__}; use one of {', '.join(FORMATS)}")
    return renderer(report, color)


def to_dict(report: Report | CompareReport) -> dict[str, Any]:
    """The report as plain data, as its JSON format writes it (versioned; see ``consistency/schemas``)."""
    if isinstance(report, CompareReport):
        return compare_formats.compare_to_dict(report)
    return report_formats.report_to_dict(report)


def _json_or_json_lines(text: str, source: str) -> Any:
    """``text`` as one JSON value, or as the list of the values it holds one after another: JSON Lines, or reports
    appended to one file (``check -f json >> log.json``)."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, as an editor on Windows writes one
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise DataError(f"{source} is not JSON ({error.msg}, line {error.lineno}): pass a report written by "
                            "`consistency check --format json` or `consistency compare --format json`") from None
    decoder, position = json.JSONDecoder(), 0
    values: list[Any] = []
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            return values
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise DataError(f"{source} holds {len(values)} JSON value(s), then line {error.lineno} is not JSON "
                            f"({error.msg}); pass reports written by `consistency check --format json`, one after "
                            "another or one per line") from None
        values.append(value)


def read_saved_reports(text: str, source: str = "<stdin>") -> list[Report | CompareReport]:
    """The reports of a JSON document that ``check --format json`` wrote (one report, or a list of them for
    several articles; or JSON Lines, one report per line, as an evaluation log keeps them), or the comparison
    that ``compare`` or ``corpus check`` wrote; :class:`~consistency.errors.DataError` naming ``source`` and the
    problem otherwise."""
    data = _json_or_json_lines(text, source)
    items = data if isinstance(data, list) else [data]
    if not items:
        raise DataError(f"{source} holds no report (an empty list)")
    bad = [item for item in items if not isinstance(item, dict)]
    if bad:
        shown = "null" if bad[0] is None else f"a JSON {type(bad[0]).__name__}"
        raise DataError(f"{source} holds {shown} where a saved report should be: pass what `consistency check "
                        "--format json` or `consistency compare --format json` wrote")
    if len(items) > 1 and any(item.get("schema") == compare_formats.COMPARE_SCHEMA_NAME for item in items):
        raise DataError(f"{source} is a list that holds a comparison: a comparison is saved, and rendered, alone")
    try:
        if isinstance(data, dict) and data.get("schema") == compare_formats.COMPARE_SCHEMA_NAME:
            return [compare_formats.compare_report_from_dict(data)]
        return [report_formats.report_from_dict(item) for item in items]
    except DataError as error:
        raise DataError(f"{source}: {error}") from None


def render_many(reports: Sequence[Report | CompareReport], fmt: str, color: bool = False) -> str:
    """The reports of one command in one output: several in JSON are a list; otherwise one after another."""
    if fmt == "json" and len(reports) > 1:
        return json.dumps([to_dict(r) for r in reports], indent=2, ensure_ascii=False) + "\n"
    return "\n".join(render(r, fmt, color) for r in reports)


__all__ = ["EXTENSIONS", "FORMATS", "OutputPlan", "plan_outputs", "read_saved_reports", "render", "render_many",
           "to_dict", "write_output", "write_plan"]
