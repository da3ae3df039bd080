"""Renderers of :class:`~consistency.compare.CompareReport`: JSON, Markdown, terminal text, HTML.

The JSON is the contract (``schemas/compare.schema.json``); the other formats show the same content:
findings grouped by article pair (both claims, sources, dates and speakers, and a note when the
articles' dates differ), the article-by-article matrix of conflict counts, and clusters of claims
showing which articles agree and which dissent.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from consistency.compare.articles import LoadProblem
from consistency.compare.clusters import ClaimCluster, ClusterMember
from consistency.compare.relatedness import DIFFERENT_STORIES_DISCOUNT
from consistency.compare.report import ArticleFinding, ArticleSummary, CompareReport
from consistency.errors import DataError
from consistency.render.report import (
    TEXT_WIDTH,
    curly_quoted,
    escape_md,
    finding_from_dict,
    highlight_article_html,
    html_page,
    models_to_dict,
    no_near_misses_line,
    plural,
    reminder_for,
    require_saved,
    second_opinion_note,
    speaker_name,
)
from consistency.types import SCHEMA_VERSION, Claim

DENSE_MATRIX_MAX = 60  # articles up to which the JSON matrix is dense; beyond, only non-zero cells
TEXT_MATRIX_MAX = 12  # articles up to which text/markdown show the grid
LIST_LIMIT = 50  # clusters / pairs shown in text and markdown before "... and N more"


# --- JSON -----------------------------------------------------------------------------------------

COMPARE_SCHEMA_NAME = "consistency.compare"  # as a check report names "consistency.report"


def compare_to_dict(report: CompareReport) -> dict[str, Any]:
    """The report as plain data (see ``consistency/schemas/compare.schema.json``)."""
    ids = [a.id for a in report.articles]
    nonzero = [{"a": ids[i], "b": ids[j], "count": n} for i, j, n in report.conflicts]
    return {
        "schema": COMPARE_SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "kind": "compare",  # corpus check too: its models name the store
        "summary": {
            "articles": len(report.articles),
            "claims": report.claims,
            "pairs_checked": report.pairs_checked,
            "findings": len(report.findings),
            "within_findings": len(report.within_findings),
            "clusters": len(report.clusters),
            "threshold": report.threshold,
            "within": report.within,
            "claim_views": report.claim_views,
            "focus": list(report.focus),
            "near_miss_margin": report.near_miss_margin,
        },
        "articles": [a.to_dict() for a in report.articles],
        "findings": [f.to_dict() for f in report.findings],
        "within_findings": [f.to_dict() for f in report.within_findings],
        "near_misses": [f.to_dict() for f in report.near_misses],
        "pairs": [
            {"a": p.article_a, "b": p.article_b, "findings": len(p.findings), "dates_differ": p.dates_differ}
            for p in report.pairs()
        ],
        "matrix": {
            "articles": ids,
            "counts": report.matrix() if len(ids) <= DENSE_MATRIX_MAX else None,
            "nonzero": nonzero,
        },
        "clusters": [c.to_dict() for c in report.clusters],
        "problems": [p.to_dict() for p in report.problems],
        "models": models_to_dict(report.models),
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
        "stats": dict(report.stats),
    }


def compare_report_from_dict(data: Mapping[str, Any]) -> CompareReport:
    """A comparison read back from its JSON (:func:`compare_to_dict`), to render a saved ``compare`` or ``corpus
    check`` in another format without scoring again; scores come back rounded as the JSON holds them, and the
    HTML page has no article texts (the JSON does not keep them). Raises :class:`DataError` naming the problem
    when ``data`` is not a comparison of a schema this version reads."""
    require_saved(data, COMPARE_SCHEMA_NAME, "comparison", "comparison", "run the comparison again",
                  {"": ": write one with `consistency compare --format json`"})
    try:
        return _compare_report(data)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise DataError(f"the comparison is incomplete or damaged ({type(error).__name__}: {error}): run it "
                        "again") from None


def _compare_report(data: Mapping[str, Any]) -> CompareReport:
    summary = data["summary"]
    articles = tuple(ArticleSummary(**item) for item in data["articles"])
    index = {a.id: i for i, a in enumerate(articles)}
    conflicts = tuple(sorted((min(index[c["a"]], index[c["b"]]), max(index[c["a"]], index[c["b"]]), c["count"])
                             for c in data["matrix"]["nonzero"]))
    return CompareReport(
        articles=articles, findings=_article_findings(data["findings"]),
        within_findings=_article_findings(data.get("within_findings", ())),
        near_misses=_article_findings(data.get("near_misses", ())), conflicts=conflicts,
        clusters=tuple(map(_cluster_from_dict, data.get("clusters", ()))), claims=summary["claims"],
        pairs_checked=summary["pairs_checked"], threshold=summary["threshold"], within=summary["within"],
        models={key: str(value) for key, value in data.get("models", {}).items()},
        timings=dict(data.get("timings", {})),
        problems=tuple(LoadProblem(p["where"], p["message"], p.get("line")) for p in data.get("problems", ())),
        claim_views=summary.get("claim_views", True), stats=dict(data.get("stats", {})),
        focus=tuple(summary.get("focus", ())), near_miss_margin=float(summary.get("near_miss_margin", 0.0)))


def _article_findings(items: Sequence[Mapping[str, Any]]) -> tuple[ArticleFinding, ...]:
    return tuple(ArticleFinding(finding=finding_from_dict(item), source_a=item["a"].get("source"),
                                source_b=item["b"].get("source"), date_a=item["a"].get("date"),
                                date_b=item["b"].get("date")) for item in items)


def _cluster_from_dict(data: Mapping[str, Any]) -> ClaimCluster:
    members = tuple(ClusterMember(Claim(index=m["index"], text=m["text"], start=m["start"], end=m["end"],
                                        paragraph=m.get("paragraph", 1) - 1,
                                        speaker=m.get("speaker"), article=m["article"], story=m.get("story")),
                                  m["side"])
                    for m in data["members"])
    return ClaimCluster(id=data["id"], about=data["about"], members=members, agree=tuple(data["agree"]),
                        dissent=tuple(data["dissent"]), both=tuple(data["both"]), contradictions=data["contradictions"],
                        agreements=data["agreements"], consistent=data["consistent"])


def render_compare_json(report: CompareReport, indent: int | None = 2) -> str:
    return json.dumps(compare_to_dict(report), indent=indent, ensure_ascii=False)


# --- shared wording -------------------------------------------------------------------------------

def _article_label(summary: ArticleSummary | None, article_id: str) -> str:
    if summary is None:
        return article_id
    extra = ", ".join(x for x in (summary.source, summary.date) if x)
    return f"{article_id} ({extra})" if extra else article_id


def claim_article(claim: Claim) -> str:
    """The claim's article id, with its story in a digest: ``"morning-digest, Item 3"``."""
    return f"{claim.article}, {claim.story}" if claim.story else str(claim.article)


def _summary_line(report: CompareReport) -> str:
    within = f", {len(report.within_findings)} inside articles" if report.within else ""
    views = "" if report.claim_views else ", whole claims only"
    if report.focus:  # corpus check --article: the findings are the article's, the counts the corpus's
        return (f"{', '.join(report.focus)}: {plural(len(report.findings), 'contradiction')} with other "
                f"articles{within} (threshold {report.threshold:.2f}{views}"
                f"{second_opinion_note(report.models, ', {}')}); {plural(len(report.clusters), 'disputed cluster')}. "
                f"The whole corpus: {plural(len(report.articles), 'article')}, {plural(report.claims, 'claim')}, "
                f"{_checked(report)}")
    return (f"{plural(len(report.articles), 'article')}, {plural(report.claims, 'claim')}, {_checked(report)}: "
            f"{plural(len(report.findings), 'contradiction')} between articles{within} "
            f"(threshold {report.threshold:.2f}{'' if report.claim_views else ', whole claims only'}"
            f"{second_opinion_note(report.models, ', {}')}); "
            f"{plural(len(report.clusters), 'disputed cluster')}")


def _checked(report: CompareReport) -> str:
    """"417 of 5,521 cross-article pairs checked" (a corpus), or "165 pairs checked"."""
    possible = report.stats.get("possible_cross_pairs")
    if possible is None or "cross_pairs" not in report.stats:
        return f"{plural(report.pairs_checked, 'pair')} checked"
    return (f"{report.stats['cross_pairs']} of {plural(possible, 'cross-article pair')} checked"
            + (f" (+{report.stats.get('within_pairs', 0)} inside articles)" if report.within else ""))


def _short_names(report: CompareReport) -> list[str]:
    return [f"A{n}" for n in range(1, len(report.articles) + 1)]


# --- text -----------------------------------------------------------------------------------------

def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _style(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _finding_text(item: ArticleFinding, color: bool, labels: dict[str, ArticleSummary]) -> list[str]:
    f = item.finding
    lines = [
        f"  [{item.score:.2f}] {f.type.value}, {f.relation.value}: {f.reason}",
        *(f"    {_style(claim_article(claim), '1', color)} ({speaker_name(claim.speaker)}): "
          f"{curly_quoted(claim.text)}" for claim in (item.a, item.b)),
    ]
    for note in f.notes:
        lines.append(f"    note: {note}")
    if item.date_note:
        lines.append("    " + _style(f"dated apart: {item.date_note}", "33", color))
    return lines


COMPARE_REMINDER = ("A score is the model's contradiction probability, not the chance that a finding is right: "
                    "inside single real articles most findings under 70% were false alarms (README.md, \"Reading a "
                    "score\"); read each finding's reason and both claims.")


def compare_reminder(report: CompareReport) -> str | None:
    """:data:`COMPARE_REMINDER` for a cross-article report (:func:`~consistency.render.report.reminder_for`)."""
    scores = (item.score for item in (*report.findings, *report.within_findings))
    return reminder_for(report.models, scores, COMPARE_REMINDER)


def different_stories_line(report: CompareReport) -> str | None:
    """What the different-stories discount took below the threshold, so that nothing it hides goes unsaid."""
    count = int(report.stats.get("different_stories_discounted", 0))
    if not count:
        return None
    return (f"{plural(count, 'finding')} between articles that share no name (likely different stories) "
            f"{'was' if count == 1 else 'were'} discounted x{DIFFERENT_STORIES_DISCOUNT} below the threshold; "
            f"--any-story scores "
            f"{'it' if count == 1 else 'them'} in full.")


def render_compare_text(report: CompareReport, color: bool = False) -> str:
    """A terminal report; ``color`` adds ANSI emphasis."""
    by_id = {a.id: a for a in report.articles}
    out = [_style("Cross-article comparison", "1", color), _summary_line(report), ""]
    out.append("Articles:")
    for name, a in zip(_short_names(report), report.articles, strict=True):
        out.append(f"  {name}  {_article_label(a, a.id)}: {plural(a.claims, 'claim')}"
                   + (f", dated from its {a.date_from}" if a.date and a.date_from not in (None, "field") else "")
                   + (f": “{a.title}”" if a.title else ""))
    pairs = report.pairs()
    if pairs:
        out.append("")
        out.append(_style("Contradictions by article pair", "1", color))
        for pair in pairs[:LIST_LIMIT]:
            header = (f"{_article_label(by_id.get(pair.article_a), pair.article_a)} vs "
                      f"{_article_label(by_id.get(pair.article_b), pair.article_b)}: {len(pair.findings)}")
            out.append(_style(header, "36", color))
            for item in pair.findings:
                out.extend(_finding_text(item, color, by_id))
        if len(pairs) > LIST_LIMIT:
            out.append(f"  ... and {plural(len(pairs) - LIST_LIMIT, 'more article pair')} (use --format json for all)")
    else:
        out.append("")
        out.append("No contradictions between articles at this threshold.")
    if report.within_findings:
        out.append("")
        out.append(_style("Contradictions inside an article", "1", color))
        for item in report.within_findings[:LIST_LIMIT]:
            out.extend(_finding_text(item, color, by_id))
    if reminder := compare_reminder(report):
        out += [""] + textwrap.wrap(reminder, TEXT_WIDTH)
    if other := different_stories_line(report):
        out += [""] + textwrap.wrap(other, TEXT_WIDTH)
    if none_near := no_near_misses_line(report):
        out += ["", none_near]
    if report.near_misses:
        out.append("")
        out.append("Near misses (below the threshold):")
        for item in report.near_misses[:LIST_LIMIT]:
            out.extend(_finding_text(item, False, by_id))
    out.append("")
    out.extend(_matrix_text(report))
    if report.clusters:
        out.append("")
        out.append(_style("Disputed claims (clusters)", "1", color))
        for cluster in report.clusters[:LIST_LIMIT]:
            out.extend(_cluster_text(cluster))
        if len(report.clusters) > LIST_LIMIT:
            more = plural(len(report.clusters) - LIST_LIMIT, 'more cluster')
            out.append(f"  ... and {more} (use --format json for all)")
    if report.problems:
        out.append("")
        out.append(f"Inputs skipped ({len(report.problems)}):")
        out.extend(f"  {problem}" for problem in report.problems)
    return "\n".join(out) + "\n"


def _matrix_text(report: CompareReport) -> list[str]:
    names = _short_names(report)
    if not report.articles:
        return []
    if len(names) > TEXT_MATRIX_MAX:
        top = sorted(report.conflicts, key=lambda c: -c[2])[:10]
        lines = ["Most conflicting article pairs:"]
        lines += [f"  {report.articles[i].id} vs {report.articles[j].id}: {n}" for i, j, n in top]
        return lines
    matrix = report.matrix()
    width = max(3, *(len(n) for n in names))
    lines = ["Conflict matrix (findings between articles" + ("; diagonal: inside one article" if report.within
                                                            else "") + "):"]
    lines.append(" " * (width + 2) + " ".join(n.rjust(width) for n in names))
    for name, row in zip(names, matrix, strict=True):
        lines.append(f"  {name.ljust(width)}" + " ".join(("." if v == 0 else str(v)).rjust(width) for v in row))
    odd = _odd_one_out_line(report)
    return lines + ([odd] if odd else [])


def _odd_one_out_line(report: CompareReport) -> str | None:
    """"Odd one out: X is in 9 of the 20 findings between articles ...", or None (:meth:`CompareReport.odd_one_out`)."""
    odd = report.odd_one_out()
    if odd is None:
        return None
    summary, count = odd
    return (f"Odd one out: {_article_label(summary, summary.id)} is in {count} of the {len(report.findings)} "
            "findings between articles: its version differs from the others' most often")


def _matrix_markdown(report: CompareReport) -> list[str]:
    names = _short_names(report)
    if len(names) > TEXT_MATRIX_MAX:
        return ["| article | article | findings |", "|---|---|---|"] + [
            f"| {escape_md(report.articles[i].id)} | {escape_md(report.articles[j].id)} | {n} |"
            for i, j, n in sorted(report.conflicts, key=lambda c: -c[2])[:LIST_LIMIT]]
    out = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for name, row in zip(names, report.matrix(), strict=True):
        out.append(f"| **{name}** | " + " | ".join(str(v) if v else "·" for v in row) + " |")
    odd = _odd_one_out_line(report)
    return out + (["", escape_md(odd)] if odd else [])


def cluster_sides(cluster: ClaimCluster, separator: str = "   ") -> str:
    """Who agrees and who dissents; for verdicts that do not split into two sides (three versions of a figure,
    each contradicting the others), no sides at all: listing two of them as agreeing was wrong."""
    if not cluster.consistent:
        articles = sorted({str(m.claim.article) for m in cluster.members})
        return f"no two sides: the versions contradict one another ({', '.join(articles)})"
    return (f"agree: {', '.join(cluster.agree) or '-'}{separator}dissent: {', '.join(cluster.dissent) or '-'}"
            + (f"{separator}both sides: {', '.join(cluster.both)}" if cluster.both else ""))


def member_side(cluster: ClaimCluster, side: int) -> str:
    """A member's side as a word: "agree", "dissent", or "version" where the cluster has no two sides."""
    return "version" if not cluster.consistent else "agree" if side == 0 else "dissent"


def _cluster_text(cluster: ClaimCluster) -> list[str]:
    lines = [f"  #{cluster.id} \"{cluster.about}\"", f"    {cluster_sides(cluster)}"]
    marks = {"agree": "+", "dissent": "-", "version": "*"}
    for member in cluster.members:
        mark = marks[member_side(cluster, member.side)]
        lines.append(f"    {mark} {claim_article(member.claim)}: {curly_quoted(member.claim.text)}")
    return lines


# --- markdown -------------------------------------------------------------------------------------

def render_compare_markdown(report: CompareReport) -> str:
    by_id = {a.id: a for a in report.articles}
    out = ["# Cross-article comparison", "", escape_md(_summary_line(report)), "", "## Articles", "",
           "| | id | title | source | date | claims |", "|---|---|---|---|---|---|"]
    for name, a in zip(_short_names(report), report.articles, strict=True):
        out.append(f"| {name} | {escape_md(a.id)} | {escape_md(a.title or '')} | {escape_md(a.source or '')} | "
                   f"{a.date or ''} | {a.claims} |")
    out += ["", "## Contradictions by article pair", ""]
    pairs = report.pairs()
    if not pairs:
        out.append("No contradictions between articles at this threshold.")
    for pair in pairs[:LIST_LIMIT]:
        out.append(f"### {escape_md(_article_label(by_id.get(pair.article_a), pair.article_a))} vs "
                   f"{escape_md(_article_label(by_id.get(pair.article_b), pair.article_b))}")
        out.append("")
        for item in pair.findings:
            out.extend(_finding_markdown(item))
        out.append("")
    if len(pairs) > LIST_LIMIT:
        out.append(f"... and {plural(len(pairs) - LIST_LIMIT, 'more article pair')} (see the JSON report).")
    if report.within_findings:
        out += ["", "## Contradictions inside an article", ""]
        for item in report.within_findings[:LIST_LIMIT]:
            out.extend(_finding_markdown(item))
    if reminder := compare_reminder(report):
        out += ["", escape_md(reminder)]
    if other := different_stories_line(report):
        out += ["", escape_md(other)]
    if none_near := no_near_misses_line(report):
        out += ["", escape_md(none_near)]
    if report.near_misses:
        out += ["", "## Near misses (below the threshold)", ""]
        for item in report.near_misses[:LIST_LIMIT]:
            out.extend(_finding_markdown(item))
        if len(report.near_misses) > LIST_LIMIT:
            out.append(f"... and {plural(len(report.near_misses) - LIST_LIMIT, 'more near miss', 'more near misses')}"
                       " (see the JSON report).")
    out += ["", "## Conflict matrix", "", *_matrix_markdown(report)]
    if report.clusters:
        out += ["", "## Disputed claims", ""]
        for cluster in report.clusters[:LIST_LIMIT]:
            out.append(f"**#{cluster.id}** {escape_md(cluster.about)}  ")
            out.append(escape_md(cluster_sides(cluster, "; ")))
            out.append("")
            words = {"agree": "agrees", "dissent": "dissents", "version": "version"}
            for member in cluster.members:
                out.append(f"- {words[member_side(cluster, member.side)]}: *{escape_md(claim_article(member.claim))}*"
                           f" — {escape_md(curly_quoted(member.claim.text))}")
            out.append("")
    if report.problems:
        out += ["", "## Inputs skipped", ""]
        out += [f"- {escape_md(str(p))}" for p in report.problems]
    return "\n".join(out).rstrip() + "\n"


def _finding_markdown(item: ArticleFinding) -> list[str]:
    f = item.finding
    lines = [
        f"- **{item.score:.2f}** {f.type.value}, {f.relation.value}: {escape_md(f.reason)}",
        f"  - *{escape_md(claim_article(item.a))}* ({escape_md(speaker_name(item.a.speaker))}, "
        f"{item.date_a or 'undated'}): {escape_md(curly_quoted(item.a.text))}",
        f"  - *{escape_md(claim_article(item.b))}* ({escape_md(speaker_name(item.b.speaker))}, "
        f"{item.date_b or 'undated'}): {escape_md(curly_quoted(item.b.text))}",
    ]
    if item.date_note:
        lines.append(f"  - ⚠ {escape_md(item.date_note)}")
    return lines


# --- HTML -----------------------------------------------------------------------------------------

COMPARE_CSS = """
.matrix td{text-align:center;min-width:2.2em}.date-note{color:#8a5a00;background:#fff6d6;padding:.1em .4em}
.agree{color:#1e7a34}.dissent{color:#b03020}.cluster{margin:.8em 0}
@media (prefers-color-scheme: dark){.date-note{background:#3a3216;color:#f0d48a}.agree{color:#81c995}
.dissent{color:#f28b82}}
"""


def _anchor(article_id: str) -> str:
    return "art-" + "".join(ch if ch.isalnum() else "-" for ch in article_id)


def render_compare_html(report: CompareReport) -> str:
    """A self-contained page (inline CSS, no scripts or external resources): findings by article pair, the
    conflict matrix, the clusters, and each article with the claims of its findings highlighted."""
    names = _short_names(report)
    body = [f"<style>{COMPARE_CSS}</style>", "<h1>Cross-article comparison</h1>",
            f'<p class="summary">{_e(_summary_line(report))}</p>',
            "<h2>Articles</h2><table><tr><th></th><th>id</th><th>title</th><th>source</th><th>date</th>"
            "<th>claims</th></tr>"]
    for name, a in zip(names, report.articles, strict=True):
        shown = f'<a href="#{_anchor(a.id)}">{_e(a.id)}</a>' if _has_article_texts(report) else _e(a.id)
        body.append(f'<tr><td>{name}</td><td>{shown}</td><td>{_e(a.title or "")}'
                    f"</td><td>{_e(a.source or '')}</td><td>{_e(a.date or '')}</td><td>{a.claims}</td></tr>")
    body.append("</table>")
    anchors = {id(item): f"finding-{n}" for n, item in enumerate(report.findings, start=1)}
    anchors.update({id(item): f"within-{n}" for n, item in enumerate(report.within_findings, start=1)})
    body += _findings_html(report, anchors)
    body += _matrix_html(report, names)
    body += _clusters_html(report)
    body += _articles_html(report, anchors)
    if report.problems:
        body.append("<h2>Inputs skipped</h2><ul>" + "".join(f"<li>{_e(p)}</li>" for p in report.problems) + "</ul>")
    models = ", ".join(f"{k}: {v}" for k, v in report.models.items())
    body.append(f'<p class="meta">models: {_e(models)}</p>')
    return html_page("Cross-article comparison", "\n".join(body))


def _findings_html(report: CompareReport, anchors: dict[int, str]) -> list[str]:
    """The findings by article pair, then those inside one article."""
    by_id = {a.id: a for a in report.articles}
    linked = _has_article_texts(report)
    body = ["<h2>Contradictions by article pair</h2>"]
    pairs = report.pairs()
    if not pairs:
        body.append("<p>No contradictions between articles at this threshold.</p>")
    for pair in pairs:
        body.append(f"<h3>{_e(_article_label(by_id.get(pair.article_a), pair.article_a))} vs "
                    f"{_e(_article_label(by_id.get(pair.article_b), pair.article_b))}</h3><ol>")
        body.extend(_finding_html(item, anchors[id(item)], linked) for item in pair.findings)
        body.append("</ol>")
    if report.within_findings:
        body.append("<h2>Contradictions inside an article</h2><ol>")
        body.extend(_finding_html(item, anchors[id(item)], linked) for item in report.within_findings)
        body.append("</ol>")
    if reminder := compare_reminder(report):
        body.append(f'<p class="meta">{_e(reminder)}</p>')
    if report.near_misses:
        body.append("<h2>Near misses (below the threshold)</h2><ol>")
        body.extend(_finding_html(item, f"near-{n}", linked) for n, item in enumerate(report.near_misses, start=1))
        body.append("</ol>")
    return body


def _matrix_html(report: CompareReport, names: list[str]) -> list[str]:
    """The conflict matrix (dense for few articles, else the most conflicting article pairs)."""
    body = ["<h2>Conflict matrix</h2>"]
    if len(names) <= DENSE_MATRIX_MAX:
        peak = max([n for _, _, n in report.conflicts] or [1])
        body.append('<table class="matrix"><tr><th></th>'
                    + "".join(f'<th title="{_e(a.id)}">{n}</th>' for n, a in zip(names, report.articles, strict=True))
                    + "</tr>")
        for name, a, row in zip(names, report.articles, report.matrix(), strict=True):
            cells = "".join(
                f'<td style="background:rgba(192,57,43,{0.15 + 0.6 * v / peak:.2f})">{v}</td>' if v else "<td>·</td>"
                for v in row)
            body.append(f'<tr><th title="{_e(a.id)}">{name}</th>{cells}</tr>')
        body.append("</table>")
        odd = _odd_one_out_line(report)
        if odd:
            body.append(f"<p>{_e(odd)}</p>")
    else:
        body.append("<table><tr><th>article</th><th>article</th><th>findings</th></tr>")
        for i, j, n in sorted(report.conflicts, key=lambda c: -c[2])[:200]:
            body.append(f"<tr><td>{_e(report.articles[i].id)}</td><td>{_e(report.articles[j].id)}</td>"
                        f"<td>{n}</td></tr>")
        body.append("</table>")
    return body


def _clusters_html(report: CompareReport) -> list[str]:
    """The disputed claims: who agrees, who dissents, the member claims."""
    if not report.clusters:
        return []
    body = ["<h2>Disputed claims</h2>"]
    for cluster in report.clusters:
        sides = (f'<span class="agree">agree: {_e(", ".join(cluster.agree) or "-")}</span>; '
                 f'<span class="dissent">dissent: {_e(", ".join(cluster.dissent) or "-")}</span>'
                 + (f"; both sides: {_e(', '.join(cluster.both))}" if cluster.both else "")
                 if cluster.consistent else _e(cluster_sides(cluster)))
        body.append(f'<div class="cluster"><b>#{cluster.id}</b> {_e(cluster.about)}<br>{sides}<ul>')
        for member in cluster.members:
            side = member_side(cluster, member.side)
            body.append(f'<li class="{side}"><i>{_e(claim_article(member.claim))}</i>: {_e(member.claim.text)}</li>')
        body.append("</ul></div>")
    return body


def _has_article_texts(report: CompareReport) -> bool:
    """Whether the page shows the articles' texts (few articles, and texts at hand: a comparison read back from
    its JSON has none), so that links to them lead somewhere."""
    return bool(report.texts) and len(report.articles) <= DENSE_MATRIX_MAX


def _articles_html(report: CompareReport, anchors: dict[int, str]) -> list[str]:
    """Each article's text with the claims of its findings highlighted (few articles only)."""
    if not _has_article_texts(report):
        return []
    refs: dict[str, dict[int, list[str]]] = {}
    for item in (*report.findings, *report.within_findings):
        for claim in (item.a, item.b):
            refs.setdefault(str(claim.article), {}).setdefault(claim.index, []).append(anchors[id(item)])
    body = ["<h2>Articles</h2>"]
    for a in report.articles:
        text = report.texts.get(a.id)
        if text is None:
            continue
        body.append(f'<h3 id="{_anchor(a.id)}">{_e(_article_label(a, a.id))}</h3><div class="article">'
                    + highlight_article_html(text, report.article_claims.get(a.id, ()), refs.get(a.id, {}),
                                             id_prefix=_anchor(a.id) + "-")
                    + "</div>")
    return body


def _finding_html(item: ArticleFinding, anchor: str, linked: bool = True) -> str:
    f = item.finding
    rows = [f'<li class="finding" id="{anchor}"><div><span class="score">{item.score:.2f}</span> '
            f'{_e(f.type.value)} · <span class="relation">{_e(f.relation.value)}</span></div>']
    for side, claim, date, source in (("A", item.a, item.date_a, item.source_a),
                                      ("B", item.b, item.date_b, item.source_b)):
        meta = ", ".join(x for x in (claim.story, speaker_name(claim.speaker), source, date or "undated") if x)
        target = f"{_anchor(str(claim.article))}-claim-{claim.index}"
        name = f'<a href="#{target}">{_e(claim.article)}</a>' if linked else _e(claim.article)
        rows.append(f'<div class="quote">{side} {name} '
                    f'<span class="meta">({_e(meta)})</span>: {_e(curly_quoted(claim.text))}</div>')
    rows.append(f'<div class="reason">{_e(f.reason)}</div>')
    if item.date_note:
        rows.append(f'<div class="date-note">{_e(item.date_note)}</div>')
    rows.append("</li>")
    return "".join(rows)
