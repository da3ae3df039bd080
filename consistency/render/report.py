"""Renderers of :class:`~consistency.types.Report`: JSON, terminal text, Markdown and one HTML page.

The JSON is the contract (``schemas/report.schema.json``); the other formats show the same content.
Every format counts the skipped spans, so nothing in the input disappears silently.

The small helpers (:func:`escape_md`, :func:`relation_label`, :func:`skipped_summary`,
:func:`highlight_article_html`, :func:`html_page`, :data:`REPORT_CSS`) are public so that other
reports, such as the cross-article comparison, can reuse them.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from consistency.errors import DataError
from consistency.text.segment import paragraph_spans
from consistency.types import SCHEMA_VERSION, Claim, Finding, FindingType, Relation, Report, SkippedSpan, speaker_name

SCHEMA_NAME = "consistency.report"
TEXT_WIDTH = 100  # columns of the terminal report
SKIPPED_LIST_LIMIT = 20  # skipped spans listed one by one in the text report before "... and N more"
# Below this score, most findings on whole real articles were false alarms (README.md, "Reading a score":
# 13-14% of the 50-70% findings on contradictory ContraDoc documents were the planted contradiction).
REMINDER_BELOW = 0.7
SCORE_REMINDER = ("A score is the model's contradiction probability, not the chance that a finding is right: on "
                  "real articles most findings under 70% were false alarms (README.md, \"Reading a score\").")


# --- JSON -----------------------------------------------------------------------------------------

def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, versioned (see ``consistency/schemas/report.schema.json``)."""
    return {
        "schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "source": report.source,
        "encoding": report.encoding,
        "read_as": report.read_as,
        "threshold": report.threshold,
        "claim_views": report.claim_views,
        "warnings": list(report.warnings),
        "near_miss_margin": report.near_miss_margin,
        "pairs_checked": report.pairs_checked,
        "pairs_possible": report.pairs_possible,
        "models": models_to_dict(report.models),
        "timings": {name: round(seconds, 4) for name, seconds in report.timings.items()},
        "stats": report.stats,
        "text": report.text,
        "claims": [claim.to_dict() for claim in report.claims],
        "skipped": [span.to_dict() for span in report.skipped],
        "findings": [finding.to_dict() for finding in report.findings],
        "near_misses": [finding.to_dict() for finding in report.near_misses],
    }


def _claim_from_dict(data: Mapping[str, Any]) -> Claim:
    return Claim(index=data["index"], text=data["text"], start=data["start"], end=data["end"],
                 paragraph=data["paragraph"] - 1, speaker=data.get("speaker"), hedged=data.get("hedged", False),
                 article=data.get("article"), list_item=data.get("list_item"), story=data.get("story"))


def finding_from_dict(data: Mapping[str, Any]) -> Finding:
    """A finding read back from its JSON (extra keys, such as a comparison's sources and dates, are ignored)."""
    return Finding(a=_claim_from_dict(data["a"]), b=_claim_from_dict(data["b"]), score=data["score"],
                   contradiction_ab=data["contradiction_ab"], contradiction_ba=data["contradiction_ba"],
                   entailment_ab=data["entailment_ab"], entailment_ba=data["entailment_ba"],
                   similarity=data["similarity"], type=FindingType(data["type"]), relation=Relation(data["relation"]),
                   reason=data["reason"], notes=tuple(data.get("notes", ())))


# Paragraphs are counted from 1 since 1.2; a newer minor version only adds fields.
OLDEST_READABLE_VERSION = "1.2"


def readable_version(version: str) -> bool:
    """Whether this version reads a saved report or comparison of schema ``version``."""
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split("."))

    if re.fullmatch(r"\d+\.\d+", version) is None:
        return False
    return parts(version)[0] == parts(SCHEMA_VERSION)[0] and parts(version) >= parts(OLDEST_READABLE_VERSION)


def require_saved(data: Any, name: str, what: str, kind: str, again: str, hints: Mapping[str, str]) -> None:
    """Raise :class:`DataError` unless ``data`` is a saved ``what`` of schema ``name`` in a version this one reads;
    ``hints`` adds a fix by the schema found ("" for any other)."""
    if not isinstance(data, Mapping) or data.get("schema") != name:
        schema = data.get("schema") if isinstance(data, Mapping) else type(data).__name__
        hint = hints.get(str(schema), hints.get("", ""))
        raise DataError(f"not a {what} (schema {schema!r}, expected {name!r}){hint}")
    version = str(data.get("schema_version", ""))
    if not readable_version(version):
        raise DataError(f"{kind} schema {version or '(none)'} cannot be read by this version (it reads "
                        f"{OLDEST_READABLE_VERSION} to {SCHEMA_VERSION}): {again}")


def report_from_dict(data: Mapping[str, Any]) -> Report:
    """A report read back from its JSON (:func:`report_to_dict`), for instance to render a saved report in
    another format; scores come back rounded as the JSON holds them. Raises :class:`DataError` naming the
    problem when ``data`` is not a ``check`` report of a schema this version reads."""
    require_saved(data, SCHEMA_NAME, "check report", "report", "run the check again",
                  {"consistency.compare": ": read it with compare_report_from_dict (`consistency render` reads both)",
                   "": ": write one with `consistency check --format json` (or a comparison with `consistency "
                       "compare --format json`)"})
    try:
        return Report(
            source=data["source"], text=data["text"], claims=tuple(map(_claim_from_dict, data["claims"])),
            findings=tuple(map(finding_from_dict, data["findings"])),
            near_misses=tuple(map(finding_from_dict, data.get("near_misses", ()))),
            skipped=tuple(SkippedSpan(**span) for span in data.get("skipped", ())),
            pairs_checked=data["pairs_checked"], pairs_possible=data["pairs_possible"], threshold=data["threshold"],
            models={key: str(value) for key, value in data.get("models", {}).items()},
            timings=dict(data.get("timings", {})), encoding=data.get("encoding", "utf-8"),
            claim_views=data.get("claim_views", True), warnings=tuple(data.get("warnings", ())),
            near_miss_margin=data.get("near_miss_margin", 0.0), read_as=data.get("read_as"))
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(f"the report is incomplete or damaged ({type(error).__name__}: {error}): run the check "
                         "again") from None


# Model facts that are numbers: the reports' ``models`` mapping holds them as text; JSON writes them as numbers.
NUMERIC_MODEL_FIELDS = frozenset({"nli_max_length"})


def models_to_dict(models: Mapping[str, str]) -> dict[str, str | int]:
    """A report's ``models`` for JSON: ``nli_max_length`` as an integer, the names and dtypes as strings."""
    return {key: int(value) if key in NUMERIC_MODEL_FIELDS else value for key, value in models.items()}


def render_json(report: Report, indent: int | None = 2) -> str:
    """The report as a JSON document (UTF-8 text, non-ASCII kept as is)."""
    return json.dumps(report_to_dict(report), indent=indent, ensure_ascii=False)


# --- shared wording -------------------------------------------------------------------------------

def plural(count: int, word: str, words: str | None = None) -> str:
    """``"1 claim"``, ``"3 claims"``."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def format_score(score: float) -> str:
    """A score as a whole percentage: ``0.923 -> "92%"``."""
    return f"{score:.0%}"


def speaker_label(claim: Claim) -> str:
    """Who makes the claim (:func:`speaker_name`)."""
    return speaker_name(claim.speaker)


def relation_label(finding: Finding) -> str:
    """``"source disagreement: Peskov vs Lukashenko"`` or ``"self-contradiction (Peskov)"``."""
    if finding.relation is Relation.SOURCE_DISAGREEMENT:
        return f"source disagreement: {speaker_label(finding.a)} vs {speaker_label(finding.b)}"
    return f"self-contradiction ({speaker_label(finding.a)})"


def claim_location(claim: Claim) -> str:
    """``"paragraph 2, chars 120-168"`` (paragraphs counted from 1 over the whole text, offsets into it), with the
    story in a digest (``"paragraph 5 (Item 3), chars ..."``: the text's fifth paragraph, in its Item 3)."""
    story = f" ({claim.story})" if claim.story else ""
    return f"paragraph {claim.paragraph + 1}{story}, chars {claim.start}-{claim.end}"


def skipped_summary(skipped: Sequence[SkippedSpan]) -> str:
    """``"2 spans skipped: 1 metadata, 1 no-letters"``, or ``"no spans skipped"``."""
    if not skipped:
        return "no spans skipped"
    counts = Counter(span.reason for span in skipped)
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return f"{plural(len(skipped), 'span')} skipped: {reasons}"


def summary_line(report: Report) -> str:
    """One line: source, claims, pairs checked, findings and threshold."""
    return (f"{report.source}: {plural(len(report.claims), 'claim')}, pairs checked {report.pairs_checked:,} of "
            f"{report.pairs_possible:,}, {plural(len(report.findings), 'finding')} at threshold "
            f"{report.threshold:.2f}{'' if report.claim_views else ' (whole claims only, --no-views)'}"
            f"{second_opinion_note(report.models, ' ({})')}")


def second_opinion_note(models: Mapping[str, str], template: str = "{}") -> str:
    """``template`` filled with "with a second opinion: accurate" when a second NLI model was blended into the
    scores (the report's ``models.nli_second_opinion``; :mod:`consistency.runtime.second_opinion`), else empty."""
    second = models.get("nli_second_opinion")
    return template.format(f"with a second opinion: {second}") if second else ""


UTF8_ENCODINGS = ("utf-8", "utf-8-sig")


OFFSETS_AS_READ = "offsets refer to that text (the JSON report holds it)"


def read_as_note(report: Report) -> str | None:
    """``"read as: sentences cut by a page break joined: offsets refer to that text (the JSON report holds it)"``
    when the checked text is not the file's characters, else None."""
    return f"read as: {report.read_as}: {OFFSETS_AS_READ}" if report.read_as else None


def encoding_note(report: Report) -> str | None:
    """``"input encoding: cp1252 (not UTF-8)"`` when the input was not UTF-8, else None."""
    if report.encoding in UTF8_ENCODINGS:
        return None
    return f"input encoding: {report.encoding} (not UTF-8)"


_OPENING_MARKS = "“\"‘"
_CLOSING_MARKS = "”\"’"


def _quote_left_open(text: str) -> bool:
    """Whether the double quote ``text`` opens with is still open at its end (the quote goes on past the claim:
    '“As for Prigozhin, he's in St Petersburg.'), not closed inside it ('"As for ...," he said.')."""
    if text.startswith("“"):
        return text.count("“") > text.count("”")
    return (text.startswith('"') and text.count('"') % 2 == 1) or text[:1] == "‘"


def _quote_opened_before(text: str) -> bool:
    """Whether the double quote ``text`` closes with was opened before the claim ('We had to."'), not inside it
    ('He said "no."')."""
    if text.endswith("”"):
        return text.count("”") > text.count("“")
    return (text.endswith('"') and text.count('"') % 2 == 1) or text[-1:] == "’"


def curly_quoted(text: str) -> str:
    """``text`` in “ ”, balanced: a quote mark the claim has at one end stands for the outer mark only when its
    quote runs past the claim ('“As for Prigozhin, he's in St Petersburg.' -> '“As for ... St Petersburg.”',
    not '““As for ...”'); a quote closed inside it keeps both outer marks ('"As for ...," Lukashenko said.'
    -> '“"As for ...," Lukashenko said.”', not '"As for ...," Lukashenko said.”'); a claim with a mark at
    both ends is shown as it is."""
    starts, ends = text[:1] in _OPENING_MARKS, text[-1:] in _CLOSING_MARKS
    if starts and ends:
        return text
    opening = "" if starts and _quote_left_open(text) else "“"
    closing = "" if ends and _quote_opened_before(text) else "”"
    return f"{opening}{text}{closing}"


def claim_text(claim: Claim) -> str:
    """The claim's words on one line (newlines inside a claim become spaces)."""
    return " ".join(claim.text.split())


def _extra_notes(finding: Finding) -> list[str]:
    """The finding's notes, less the one that only repeats :func:`relation_label`."""
    return [note for note in finding.notes if note != relation_label(finding)]


def _shorten(text: str, width: int = 80) -> str:
    return textwrap.shorten(text, width=width, placeholder=" ...")


# --- text -----------------------------------------------------------------------------------------

_BOLD, _DIM, _RED, _YELLOW, _CYAN = "1", "2", "1;31", "33", "36"


def _style(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _wrap(text: str, indent: int) -> list[str]:
    return textwrap.wrap(text, width=TEXT_WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 1),
                         break_long_words=False, break_on_hyphens=False) or [" " * indent]


def _finding_text(rank: int, finding: Finding, score_code: str, color: bool) -> list[str]:
    head = (f"#{rank}  {_style(format_score(finding.score), score_code, color)}  {finding.type.value}  "
            f"{_style(relation_label(finding), _CYAN, color)}")
    lines = [head]
    for side, claim in (("A", finding.a), ("B", finding.b)):
        where = claim_location(claim) + (f", {speaker_name(claim.speaker)}" if claim.speaker else "") + (
            ", hedged" if claim.hedged else "")
        lines.append(f"    {side}  {_style(where, _DIM, color)}")
        lines.extend(_wrap(curly_quoted(claim.text), 7))
    lines.extend(_wrap(f"why: {finding.reason}", 4))
    for note in _extra_notes(finding):
        lines.extend(_wrap(f"note: {note}", 4))
    return lines


def no_findings_line(report: Report) -> str:
    """What a report without findings says: that none were found, or that none could be, when claims were
    there but no pair was checked (a language the models do not read): not a clean bill."""
    if report.pairs_checked == 0 and report.pairs_possible > 0:
        why = " (see the warning above)" if report.warnings else ""
        return f"Not checked: no pair of claims was read{why}, so this says nothing about contradictions."
    return f"No contradictions found at threshold {report.threshold:.2f}."


def reminder_for(models: Mapping[str, str], scores: Iterable[float], reminder: str = SCORE_REMINDER) -> str | None:
    """``reminder`` where a score is under :data:`REMINDER_BELOW`, else None; only for the built-in model alone
    (``models`` as a report names them), the one the figures behind it were measured with."""
    if models.get("nli") != "builtin" or "nli_second_opinion" in models:
        return None
    return reminder if any(score < REMINDER_BELOW for score in scores) else None


def score_reminder(report: Report) -> str | None:
    """:data:`SCORE_REMINDER` for a report of one article (:func:`reminder_for`)."""
    return reminder_for(report.models, (f.score for f in report.findings))


class LooksForNearMisses(Protocol):
    """What :func:`no_near_misses_line` reads of a report: ``check``'s and ``compare``'s alike."""

    @property
    def near_misses(self) -> Sequence[Any]: ...
    @property
    def near_miss_margin(self) -> float: ...
    @property
    def pairs_checked(self) -> int: ...
    @property
    def threshold(self) -> float: ...


def no_near_misses_line(report: LooksForNearMisses) -> str | None:
    """What a report (of ``check`` or ``compare``) that looked for near misses and found none says (``--all``: an
    editor could not tell "none" from "not asked"), or None."""
    if report.near_misses or report.near_miss_margin <= 0 or report.pairs_checked == 0:
        return None
    low = max(0.0, report.threshold - report.near_miss_margin)
    return f"Near misses (below the threshold): none from {format_score(low)} to {format_score(report.threshold)}."


def render_text(report: Report, color: bool = False) -> str:
    """A terminal report; ``color`` adds ANSI colours (pass ``sys.stdout.isatty()``)."""
    out = [_style(summary_line(report), _BOLD, color), skipped_summary(report.skipped)]
    out += [_style(f"warning: {warning}", _RED, color) for warning in report.warnings]
    out += [note for note in (encoding_note(report), read_as_note(report)) if note]
    out.append("")
    if report.findings:
        for rank, finding in enumerate(report.findings, start=1):
            out.extend(_finding_text(rank, finding, _RED, color))
            out.append("")
        if reminder := score_reminder(report):
            out += [*textwrap.wrap(reminder, TEXT_WIDTH), ""]
    else:
        out += [no_findings_line(report), ""]
    if report.near_misses:
        out.append(_style(f"Near misses (below the threshold): {len(report.near_misses)}", _BOLD, color))
        for rank, finding in enumerate(report.near_misses, start=1):
            out.append(f"  #{rank}  {_style(format_score(finding.score), _YELLOW, color)}  {finding.type.value}  "
                       f"{relation_label(finding)}")
            out.extend(_wrap(f"A {curly_quoted(claim_text(finding.a))}", 6))
            out.extend(_wrap(f"B {curly_quoted(claim_text(finding.b))}", 6))
            out.extend(_wrap(f"why: {finding.reason}", 6))  # as the Markdown and HTML reports give it
            for note in _extra_notes(finding):
                out.extend(_wrap(f"note: {note}", 6))
        out.append("")
    elif none_near := no_near_misses_line(report):
        out += [none_near, ""]
    if report.skipped:
        out.append(_style("Skipped spans", _BOLD, color))
        for span in report.skipped[:SKIPPED_LIST_LIMIT]:
            out.append(f"  {span.reason}, chars {span.start}-{span.end}: {_shorten(span.text)!r}")
        if len(report.skipped) > SKIPPED_LIST_LIMIT:
            out.append(f"  ... and {len(report.skipped) - SKIPPED_LIST_LIMIT} more (see --format json)")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"



# --- Markdown -------------------------------------------------------------------------------------

_MD_SPECIALS = "\\`*_[]<>|#~&"


def escape_md(text: str) -> str:
    """Escape text for a Markdown paragraph, list item or table cell (one line, no markup, no raw HTML)."""
    out = "".join("\\" + ch if ch in _MD_SPECIALS else ch for ch in text)
    return " ".join(out.split())


def _md_claim(claim: Claim) -> str:
    who = f", {escape_md(claim.speaker)}" if claim.speaker else ""
    return f"{escape_md(curly_quoted(claim.text))} ({claim_location(claim)}{who})"


def _md_findings_table(findings: Sequence[Finding]) -> list[str]:
    rows = ["| # | score | type | relation | claim A | claim B | reason |", "|---|---|---|---|---|---|---|"]
    for rank, f in enumerate(findings, start=1):
        reason = "; ".join(escape_md(x) for x in (f.reason, *_extra_notes(f)))
        rows.append(f"| {rank} | {format_score(f.score)} | {f.type.value} | {escape_md(relation_label(f))} | "
                    f"{_md_claim(f.a)} | {_md_claim(f.b)} | {reason} |")
    return rows


def render_markdown(report: Report) -> str:
    """A Markdown report: summary table, findings table, near misses, the claims and the skipped spans."""
    models = "; ".join(f"{k}: {v}" for k, v in report.models.items()) or "-"
    out = [
        f"# Consistency report: {escape_md(report.source)}",
        "",
        "| | |",
        "|---|---|",
        f"| source | {escape_md(report.source)} |",
        f"| claims | {len(report.claims)} |",
        f"| pairs checked | {report.pairs_checked:,} of {report.pairs_possible:,} |",
        f"| findings | {len(report.findings)} at threshold {report.threshold:.2f} |",
        f"| near misses | {len(report.near_misses) if report.near_misses_looked_for else 'not looked for (--all)'} |",
        f"| skipped | {escape_md(skipped_summary(report.skipped))} |",
        *(f"| warning | {escape_md(warning)} |" for warning in report.warnings),
        f"| encoding | {escape_md(encoding_note(report) or report.encoding)} |",
        *([f"| read as | {escape_md(report.read_as)}: {OFFSETS_AS_READ} |"] if report.read_as else []),
        f"| models | {escape_md(models)} |",
        "",
        "## Findings",
        "",
    ]
    if report.findings:
        out += _md_findings_table(report.findings)
        if reminder := score_reminder(report):
            out += ["", escape_md(reminder)]
    else:
        out.append(escape_md(no_findings_line(report)))
    if report.near_misses:
        out += ["", "## Near misses", "", "Below the threshold; shown for review.", ""]
        out += _md_findings_table(report.near_misses)
    elif none_near := no_near_misses_line(report):
        out += ["", escape_md(none_near)]
    refs = _claim_refs(report.findings, "finding")
    out += ["", "## Claims", ""]
    for c in report.claims:
        cited = ", ".join("#" + anchor.rsplit("-", 1)[-1] for anchor in refs.get(c.index, ()))
        hedged = ", hedged" if c.hedged else ""
        out.append(f"{c.index + 1}. {_md_claim(c)}{hedged}" + (f" — **in finding {cited}**" if cited else ""))
    if not report.claims:
        out.append("No claims.")
    if report.skipped:
        out += ["", "## Skipped spans", "", "| reason | chars | text |", "|---|---|---|"]
        out += [f"| {escape_md(s.reason)} | {s.start}-{s.end} | {escape_md(s.text)} |" for s in report.skipped]
    return "\n".join(out) + "\n"


# --- HTML -----------------------------------------------------------------------------------------

REPORT_CSS = """
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;
color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;
vertical-align:top}
.summary{color:#444}.meta{color:#666;font-size:.9em}
.article{border:1px solid #ddd;padding:.2em 1em;background:#fafafa}
.claim{border-radius:2px}.claim.flagged{background:#f9c6bd}.claim.near{background:#fdeaa8}
.claim.flagged.near{background:#f9c6bd}
.skipped{color:#999}.refs{font-size:.75em;margin-left:.1em}.refs a{text-decoration:none;margin-right:.2em}
.finding{border-left:4px solid #c0392b;padding:.3em .8em;margin:.8em 0;background:#fdf3f2;list-style:none}
.finding.near-miss{border-left-color:#d4a017;background:#fffaf0}
.score{font-weight:bold;color:#b03020}.near-miss .score{color:#8a6d00}.relation{color:#0b5394}
.quote{margin:.3em 0 .3em 1em}.reason{margin:.3em 0}.notes{margin:.2em 0;color:#555}
:target{outline:2px solid #0b5394;outline-offset:2px}
@media (prefers-color-scheme: dark){body{background:#161618;color:#e6e6e6}.article{background:#1f1f22}
td,th{border-color:#444}.claim.flagged,.claim.flagged.near{background:#7a3328}.claim.near{background:#6b5a1a}
.finding{background:#2a1d1c}.finding.near-miss{background:#2a2618}.summary,.meta,.notes{color:#aaa}
.relation{color:#8ab4f8}.score{color:#f28b82}}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def html_page(title: str, body: str) -> str:
    """A self-contained HTML document: inline CSS (:data:`REPORT_CSS`), no scripts, no external resources."""
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{REPORT_CSS}</style>\n</head><body>\n{body}\n</body></html>\n")


def _paragraph_breaks(text: str) -> list[tuple[int, int]]:
    """The gaps between the segmenter's paragraphs (:func:`consistency.text.segment.paragraph_spans`), so that the
    page shows the paragraphs a finding's "paragraph N" counts (a QA walk saw them disagree)."""
    spans = paragraph_spans(text)
    return [(end, start) for (_, end), (start, _) in itertools.pairwise(spans)]


def highlight_article_html(
    text: str,
    claims: Sequence[Claim],
    flagged_claim_ids: Mapping[int, Sequence[str]],
    id_prefix: str = "",
    *,
    near_claim_ids: Mapping[int, Sequence[str]] | None = None,
    skipped: Sequence[SkippedSpan] = (),
) -> str:
    """The article as HTML paragraphs with every claim wrapped in a ``<span class="claim">``.

    ``flagged_claim_ids`` maps a claim index to the element ids (without ``#``) of the findings citing
    it: those claims get the class ``flagged`` and, after the span, links to the findings;
    ``near_claim_ids`` does the same for near misses (class ``near``). A claim's span has the id
    ``{id_prefix}claim-{index}`` and ``data-start``/``data-end`` offsets; ``skipped`` spans are
    shown greyed. Paragraphs are the segmenter's (:func:`~consistency.text.segment.paragraph_spans`).
    """
    near_claim_ids = near_claim_ids or {}
    # (start, end, opening tag, closing tag and links to findings) of each claim and skipped span
    marks: list[tuple[int, int, str, str]] = []
    for claim in claims:
        classes = ["claim"]
        flagged, near = flagged_claim_ids.get(claim.index, ()), near_claim_ids.get(claim.index, ())
        if flagged:
            classes.append("flagged")
        if near:
            classes.append("near")
        title = claim_location(claim) + (f", {speaker_name(claim.speaker)}" if claim.speaker else "")
        opening = (f'<span class="{" ".join(classes)}" id="{_e(id_prefix)}claim-{claim.index}" '
                   f'data-start="{claim.start}" data-end="{claim.end}" title="{_e(title)}">')
        links = "".join(f'<a href="#{_e(anchor)}">{_e(_anchor_label(anchor))}</a>' for anchor in (*flagged, *near))
        closing = "</span>" + (f'<sup class="refs">{links}</sup>' if links else "")
        marks.append((claim.start, claim.end, opening, closing))
    for span in skipped:
        marks.append((span.start, span.end, f'<span class="skipped" title="skipped: {_e(span.reason)}">', "</span>"))
    marks.sort(key=lambda mark: (mark[0], mark[1]))

    events: list[tuple[int, int, str, str]] = []
    position = 0
    for start, end, opening, closing in marks:  # overlaps cannot happen in a valid report; clip if they do
        start = min(max(start, position), len(text))
        end = min(max(end, start), len(text))
        events.append((start, end, opening, closing))
        position = end
    inside = [(s, e) for s, e, _, _ in events]
    for b_start, b_end in _paragraph_breaks(text):
        if not any(s < b_end and b_start < e for s, e in inside):
            events.append((b_start, b_end, "", ""))
    events.sort(key=lambda event: (event[0], event[1]))

    paragraphs: list[list[str]] = [[]]
    position = 0
    for start, end, opening, closing in events:
        paragraphs[-1].append(_e(text[position:start]))
        if not opening:  # a paragraph break
            paragraphs.append([])
        else:
            paragraphs[-1].append(opening + _e(text[start:end]) + closing)
        position = end
    paragraphs[-1].append(_e(text[position:]))
    kept = ["".join(parts).strip() for parts in paragraphs]
    return "\n".join(f"<p>{content}</p>" for content in kept if content)


def _anchor_label(anchor: str) -> str:
    """The visible text of a link to a finding: ``finding-3 -> "3"``, ``near-miss-2 -> "n2"``."""
    number = anchor.rsplit("-", 1)[-1]
    return f"n{number}" if "near-miss" in anchor else number


def _claim_refs(findings: Iterable[Finding], anchor: str) -> dict[int, list[str]]:
    refs: dict[int, list[str]] = {}
    for rank, finding in enumerate(findings, start=1):
        for claim in (finding.a, finding.b):
            ids = refs.setdefault(claim.index, [])
            if f"{anchor}-{rank}" not in ids:
                ids.append(f"{anchor}-{rank}")
    return refs


def _finding_html(rank: int, finding: Finding, anchor: str, css_class: str) -> str:
    parts = [f'<li class="{css_class}" id="{anchor}-{rank}">',
             f'<div><span class="rank">#{rank}</span> <span class="score">{format_score(finding.score)}</span> '
             f'<span class="type">{_e(finding.type.value)}</span> · '
             f'<span class="relation">{_e(relation_label(finding))}</span></div>']
    for side, claim in (("A", finding.a), ("B", finding.b)):
        extra = (f", {_e(claim.speaker)}" if claim.speaker else "") + (", hedged" if claim.hedged else "")
        meta = f'<span class="meta">{extra}</span>' if extra else ""
        parts.append(f'<div class="quote">{side} <a href="#claim-{claim.index}">{_e(claim_location(claim))}</a>'
                     f"{meta}: {_e(curly_quoted(claim.text))}</div>")
    parts.append(f'<div class="reason">{_e(finding.reason)}</div>')
    notes = _extra_notes(finding)
    if notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{_e(note)}</li>" for note in notes) + "</ul>")
    parts.append("</li>")
    return "".join(parts)


def render_html(report: Report) -> str:
    """One self-contained HTML page: findings linked to the highlighted claims in the article text."""
    models = ", ".join(f"{k}: {v}" for k, v in report.models.items()) or "-"
    body = [
        f"<h1>Consistency report: {_e(report.source)}</h1>",
        f'<p class="summary">{_e(summary_line(report))}<br>{_e(skipped_summary(report.skipped))}</p>',
        *(f'<p class="warning"><strong>warning:</strong> {_e(warning)}</p>' for warning in report.warnings),
        *([f'<p class="meta">{_e(note)}</p>'] if (note := read_as_note(report)) else []),
        "<h2>Findings</h2>",
    ]
    if report.findings:
        body.append('<ol class="findings">')
        body += [_finding_html(k, f, "finding", "finding") for k, f in enumerate(report.findings, start=1)]
        body.append("</ol>")
        if reminder := score_reminder(report):
            body.append(f'<p class="meta">{_e(reminder)}</p>')
    else:
        body.append(f"<p>{_e(no_findings_line(report))}</p>")
    if report.near_misses:
        body += ["<h2>Near misses</h2>", '<p class="meta">Below the threshold; shown for review.</p>',
                 '<ol class="findings">']
        body += [_finding_html(k, f, "near-miss", "finding near-miss")
                 for k, f in enumerate(report.near_misses, start=1)]
        body.append("</ol>")
    elif none_near := no_near_misses_line(report):
        body.append(f'<p class="meta">{_e(none_near)}</p>')
    article = highlight_article_html(report.text, report.claims, _claim_refs(report.findings, "finding"),
                                     near_claim_ids=_claim_refs(report.near_misses, "near-miss"),
                                     skipped=report.skipped)
    body += ["<h2>Article</h2>", f'<div class="article">\n{article}\n</div>']
    if report.skipped:
        body += ["<h2>Skipped spans</h2>", "<table><tr><th>reason</th><th>chars</th><th>text</th></tr>"]
        body += [f"<tr><td>{_e(s.reason)}</td><td>{s.start}-{s.end}</td><td>{_e(s.text)}</td></tr>"
                 for s in report.skipped]
        body.append("</table>")
    body.append(f'<p class="meta">models: {_e(models)}; encoding: {_e(report.encoding)}; '
                f"report schema {SCHEMA_NAME} {SCHEMA_VERSION}</p>")
    return html_page(f"Consistency report: {report.source}", "\n".join(body))
