"""Clean articles: how often does the checker cry wolf on real news that does not contradict itself?

The articles are presumed free of self-contradiction: the FRANK articles (CNN/DailyMail, BBC) on the
measurement side of the article split (:mod:`consistency.eval.article_split`; never training material,
45 distinct texts) and ContraDoc's non-contradictory documents. At the decision threshold the suite
reports, per source set and overall: the share of articles with at least one finding, findings per 100
claims, the same per finding type, the skipped spans per reason, and the share of articles flagged at a
range of thresholds (the trade-off of the threshold's choice).

Findings judged by hand are kept in a JSONL file (``benchmarks/data/clean_judged.jsonl``: article, the
sha1 key of its text; claim_a; claim_b; judgement: real_tension, source_disagreement, change_over_time or
false_alarm), so later versions are judged on the same items: a finding matches a judged item by its
article and the unordered pair of its claims' texts. Reported: how many findings match, the false-alarm
share among them, and how many are unjudged (to be read by hand).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consistency.checker import Checker
from consistency.errors import DataError
from consistency.types import Finding, FindingType

from .article_split import article_key, is_measurement_article
from .docs_suite import read_docs
from .frame import (
    Timing,
    data_entry,
    fmt,
    frame_lines,
    make_record,
    progress_bar,
    read_jsonl,
    render_table,
    reset_peak_memory,
    stopwatch,
)
from .pipeline import checker_facts, scoring_checker, warm_up

FRANK_FILE = "frank.jsonl.gz"
CONTRADOC_FILE = "contradoc_wiki_story.jsonl"
SOURCES = ("frank", "contradoc")
JUDGEMENTS = ("real_tension", "source_disagreement", "change_over_time", "false_alarm")
JUDGED_KEYS = ("article", "claim_a", "claim_b", "judgement")
DEFAULT_JUDGED = Path("benchmarks") / "data" / "clean_judged.jsonl"
THRESHOLD_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class CleanArticle:
    """One article presumed free of self-contradiction."""

    key: str  # sha1 hex of the text (article_split.article_key)
    source: str  # "frank" or "contradoc"
    id: str
    text: str


@dataclass(frozen=True)
class CleanResult:
    """What the checker made of one clean article: every scored pair, strongest first."""

    article: CleanArticle
    findings: tuple[Finding, ...]
    claims: int
    skipped: dict[str, int]
    seconds: float

    def at(self, threshold: float) -> list[Finding]:
        return [f for f in self.findings if f.score >= threshold]


# --- the articles -----------------------------------------------------------------------------------


def read_frank_clean(path: str | Path) -> list[CleanArticle]:
    """FRANK's distinct article texts on the measurement side of the split, in file order (:func:`frank_sides`
    counts both sides)."""
    return frank_sides(path)[0]


def frank_sides(path: str | Path) -> tuple[list[CleanArticle], int]:
    """FRANK's distinct article texts on the measurement side of the split, and how many distinct texts are on
    the training side (left out: the model trained on material from them)."""
    seen: set[str] = set()
    out: list[CleanArticle] = []
    for row in read_jsonl(path, ("article",), "FRANK (JSONL with an article key)"):
        text = row["article"]
        if not isinstance(text, str) or not text.strip() or text in seen:
            continue
        seen.add(text)
        if is_measurement_article(text):
            key = article_key(text)
            out.append(CleanArticle(key, "frank", str(row.get("hash") or key[:12]), text))
    return out, len(seen) - len(out)


def read_contradoc_clean(path: str | Path, limit: int | None = None) -> list[CleanArticle]:
    """ContraDoc's non-contradictory documents, the first ``limit`` in file order (all when None); the file is
    read and checked as ``bench docs`` reads it (:func:`~consistency.eval.docs_suite.read_docs`)."""
    clean = [item for item in read_docs(path) if not item.contradictory][:limit]
    return [CleanArticle(article_key(item.text), "contradoc", item.id, item.text) for item in clean]


def clean_articles(docs_dir: str | Path, limit: int | None = None,
                   sources: Sequence[str] = SOURCES) -> tuple[list[CleanArticle], list[dict[str, Any]], list[str]]:
    """The clean articles under ``docs_dir`` (the shared data's docs folder), their data entries, and a note
    for each source set whose file is absent. ``limit`` caps ContraDoc's documents (FRANK's 45 are all used).

    Raises :class:`DataError` when no source set is present.
    """
    unknown = [s for s in sources if s not in SOURCES]
    if unknown or not sources:
        raise DataError(f"unknown source sets {unknown}; use {', '.join(SOURCES)}")
    docs = Path(docs_dir)
    articles: list[CleanArticle] = []
    data: list[dict[str, Any]] = []
    absent: list[str] = []
    for source in sources:
        path = docs / (FRANK_FILE if source == "frank" else CONTRADOC_FILE)
        if not path.is_file():
            absent.append(f"{source}: '{path}' is absent, not measured")
            continue
        if source == "frank":
            found, training_side = frank_sides(path)
            if training_side:  # a walk's own FRANK-format file: 11 of its 12 articles left out without a word
                absent.append(f"frank: {training_side} of {training_side + len(found)} distinct articles are on the "
                              "training side of the article split (the model trained on material from them) and "
                              "are left out")
        else:
            found = read_contradoc_clean(path, limit)
        articles += found
        data.append(data_entry(path, len(found)))
    if not articles:
        raise DataError(f"no clean articles under '{docs}' to measure: expected {FRANK_FILE} and/or {CONTRADOC_FILE} "
                        "there (the shared data's docs folder, ../shared/data/docs) with measurement-side FRANK "
                        f"articles or non-contradictory ContraDoc documents ({'; '.join(absent) or 'none found'}); "
                        "pass --docs DIR")
    return articles, data, absent


def read_judged(path: str | Path) -> dict[tuple[str, frozenset[str]], str]:
    """Judged findings: (article key, unordered pair of claim texts) -> judgement. Bad rows raise DataError."""
    judged: dict[tuple[str, frozenset[str]], str] = {}
    for number, row in enumerate(read_jsonl(path, JUDGED_KEYS, "judged findings"), start=1):
        judgement = str(row["judgement"]).strip()
        if judgement not in JUDGEMENTS:
            raise DataError(f"{path}: line {number} has judgement {row['judgement']!r}; expected one of "
                            + ", ".join(JUDGEMENTS))
        judged[(str(row["article"]), frozenset((str(row["claim_a"]), str(row["claim_b"]))))] = judgement
    return judged


# --- scoring and metrics ----------------------------------------------------------------------------


def score_clean(checker: Checker, articles: Sequence[CleanArticle], progress: bool = False) -> list[CleanResult]:
    """Run the checker on each article, keeping every scored pair (the threshold is applied later)."""
    scorer = scoring_checker(checker)
    device = getattr(checker.nli, "device", None)
    out: list[CleanResult] = []
    for article in progress_bar(articles, "clean articles", progress):
        with stopwatch(device) as elapsed:
            report = scorer.check(article.text, source=f"{article.source}:{article.id}")
        out.append(CleanResult(article, report.findings, len(report.claims),
                               dict(Counter(span.reason for span in report.skipped)), elapsed[0]))
    return out


def _rate(part: int, whole: int, scale: float = 1.0) -> float | None:
    return round(scale * part / whole, 4) if whole else None


def summarise(results: Sequence[CleanResult], threshold: float) -> dict[str, Any]:
    """Flagged share, findings per 100 claims (overall and per finding type), skipped spans per reason."""
    n, claims = len(results), sum(r.claims for r in results)
    found = [r.at(threshold) for r in results]
    by_type: dict[str, Any] = {}
    for kind in FindingType:
        counts = [sum(1 for f in fs if f.type is kind) for fs in found]
        if any(counts):
            by_type[kind.value] = {"findings": sum(counts),
                                   "articles_flagged_share": _rate(sum(1 for c in counts if c), n),
                                   "findings_per_100_claims": _rate(sum(counts), claims, 100)}
    skipped: Counter[str] = Counter()
    for r in results:
        skipped.update(r.skipped)
    return {
        "articles": n,
        "claims": claims,
        "findings": sum(len(fs) for fs in found),
        "articles_flagged": sum(1 for fs in found if fs),
        "articles_flagged_share": _rate(sum(1 for fs in found if fs), n),
        "findings_per_100_claims": _rate(sum(len(fs) for fs in found), claims, 100),
        "by_type": by_type,
        "skipped_by_reason": dict(sorted(skipped.items())),
        "flagged_share_by_threshold": {f"{t:.2f}": _rate(sum(1 for r in results if r.at(t)), n)
                                       for t in THRESHOLD_GRID},
    }


def _finding_row(result: CleanResult, finding: Finding, judgement: str | None) -> dict[str, Any]:
    return {"article": result.article.key, "source": result.article.source, "id": result.article.id,
            "claim_a": finding.a.text, "claim_b": finding.b.text, "score": round(finding.score, 4),
            "type": finding.type.value, "relation": finding.relation.value, "judgement": judgement}


def judge(results: Sequence[CleanResult], threshold: float,
          judged: dict[tuple[str, frozenset[str]], str] | None) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Every finding at the threshold (with its judgement where one is on file), and the judged summary."""
    rows = [_finding_row(r, f, (judged or {}).get((r.article.key, frozenset((f.a.text, f.b.text)))))
            for r in results for f in r.at(threshold)]
    if judged is None:
        return rows, None
    matched = [row["judgement"] for row in rows if row["judgement"] is not None]
    counts = Counter(matched)
    return rows, {
        "judged_items": len(judged),
        "findings_matched": len(matched),
        "findings_unjudged": len(rows) - len(matched),
        "by_judgement": {name: counts.get(name, 0) for name in JUDGEMENTS},
        "false_alarm_share": _rate(counts.get("false_alarm", 0), len(matched)),
    }


def run_clean(
    checker: Checker,
    docs_dir: str | Path,
    *,
    threshold: float | None = None,
    limit: int | None = None,
    sources: Sequence[str] = SOURCES,
    judged_file: str | Path | None = DEFAULT_JUDGED,
    progress: bool = False,
) -> dict[str, Any]:
    """The clean-article suite on the shared data's docs folder; returns the result record (frame + metrics).

    ``threshold``: the decision threshold [default: the checker's]. ``limit``: ContraDoc documents to use
    [default: all]. ``judged_file``: judged findings, used when the file exists.
    """
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise DataError(f"threshold {threshold} is outside [0, 1]")
    articles, data, absent = clean_articles(docs_dir, limit, sources)
    judged_path = Path(judged_file) if judged_file is not None else None
    judged = read_judged(judged_path) if judged_path is not None and judged_path.is_file() else None
    value = checker.settings.threshold if threshold is None else threshold

    warm_up(checker)
    facts = checker_facts(checker)
    reset_peak_memory(facts["device"])
    with stopwatch(facts["device"]) as elapsed:
        results = score_clean(checker, articles, progress)
    timing = Timing(elapsed[0], len(results), [r.seconds for r in results])
    rows, judged_summary = judge(results, value, judged)
    metrics: dict[str, Any] = {
        "threshold": round(value, 6),
        "threshold_source": "default" if threshold is None else "fixed",
        **summarise(results, value),
        "by_source": {source: summarise([r for r in results if r.article.source == source], value)
                      for source in sources if any(r.article.source == source for r in results)},
        "sources_absent": absent,
        "judged_file": str(judged_path) if judged is not None else None,
        "judged": judged_summary,
        "finding_list": rows,
    }
    return make_record("clean", device=facts["device"], dtype=facts["dtype"], batch_size=facts["batch_size"],
                       models=facts["models"], data=data, timing=timing, metrics=metrics,
                       settings={"limit": limit, "sources": list(sources)})


# --- the table --------------------------------------------------------------------------------------


def _row(name: str, m: dict[str, Any]) -> list[str]:
    return [name, str(m["articles"]), str(m["claims"]), str(m["findings"]),
            f"{fmt(m['articles_flagged_share'])} ({m['articles_flagged']})", fmt(m["findings_per_100_claims"], 2)]


def format_clean(record: dict[str, Any]) -> str:
    """The human table of a clean record."""
    lines = frame_lines(record)
    source = "the checker's default" if record["threshold_source"] == "default" else "fixed by --threshold"
    lines += ["", f"Clean articles (presumed free of self-contradiction), threshold {record['threshold']:.2f} "
                  f"({source})."]
    rows = [_row(name, m) for name, m in record["by_source"].items()]
    rows.append(_row("all", record))
    lines += render_table(["articles", "n", "claims", "findings", "flagged share", "per 100 claims"], rows)
    lines += ["", "By finding type (all articles):"]
    type_rows = [[kind, str(m["findings"]), fmt(m["articles_flagged_share"]), fmt(m["findings_per_100_claims"], 2)]
                 for kind, m in record["by_type"].items()]
    lines += render_table(["type", "findings", "flagged share", "per 100 claims"], type_rows) if type_rows else [
        "  (no findings)"]
    grid = record["flagged_share_by_threshold"]
    lines += ["", "Articles flagged by threshold: " + ", ".join(f"{t} {fmt(v)}" for t, v in grid.items())]
    skipped = record["skipped_by_reason"]
    lines.append("Skipped spans: " + (", ".join(f"{n} {reason}" for reason, n in skipped.items()) or "none"))
    lines += _judged_lines(record)
    for note in record["sources_absent"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _judged_lines(record: dict[str, Any]) -> list[str]:
    judged = record.get("judged")
    if judged is None:
        return [f"Judged findings: none on file ({DEFAULT_JUDGED} absent); every finding is unjudged."]
    counts = ", ".join(f"{n} {name}" for name, n in judged["by_judgement"].items())
    return [f"Judged findings ({record['judged_file']}, {judged['judged_items']} items): "
            f"{judged['findings_matched']} of this run's findings match ({counts}); false-alarm share "
            f"{fmt(judged['false_alarm_share'])}; {judged['findings_unjudged']} unjudged."]

