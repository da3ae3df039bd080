"""Document self-contradiction (ContraDoc format): does the checker flag the documents that contradict
themselves, and does a reported finding point at the sentence that introduced the contradiction?

A document's score is its strongest finding (0 when it has no pair of claims). At the decision
threshold a document is flagged when its score reaches it. Reported: balanced accuracy, ROC-AUC, the
false-positive rate on clean documents, and the evidence hit rate: among contradictory documents whose
evidence sentence occurs verbatim in the text, the share where a reported finding (score at or above
the threshold) has a claim overlapping that sentence's characters.

The threshold is never tuned on the reported file: a fixed ``threshold``, the checker's default, or
one calibrated on another file (``calibrate_on``; same path or same bytes are refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from consistency.checker import Checker
from consistency.errors import DataError
from consistency.types import Finding

from .frame import (
    Timing,
    check_calibration_file,
    data_entry,
    file_sha256,
    fmt,
    frame_lines,
    head_by_label,
    make_record,
    progress_bar,
    read_jsonl_lines,
    refuse_shared_items,
    render_table,
    require_both_classes,
    reset_peak_memory,
    stopwatch,
    text_problem,
)
from .metrics import (
    ThresholdChoice,
    balanced_accuracy,
    calibrated,
    false_positive_rate,
    predict,
    r4,
    roc_auc,
    true_positive_rate,
)
from .pipeline import check_pairing, checker_facts, scoring_checker, warm_up

FORMAT = "a ContraDoc file (keys text, label contradictory|non_contradictory, evidence)"
LABELS = {"contradictory": True, "non_contradictory": False}


@dataclass(frozen=True)
class DocItem:
    """One labelled document."""

    id: str
    text: str
    contradictory: bool
    evidence: str = ""
    doc_type: str = ""
    scope: str = ""

    def evidence_span(self) -> tuple[int, int] | None:
        """Character span of the evidence sentence in the text; None when clean, empty, or cut from the text."""
        evidence = self.evidence.strip()
        if not self.contradictory or not evidence:
            return None
        start = self.text.find(evidence)
        return None if start < 0 else (start, start + len(evidence))


@dataclass(frozen=True)
class DocScore:
    """What the checker made of one document: every scored pair, strongest first."""

    item: DocItem
    score: float
    findings: tuple[Finding, ...]
    claims: int
    pairs_checked: int
    pairs_possible: int
    seconds: float


def read_docs(path: str | Path, limit: int | None = None) -> list[DocItem]:
    """Read a ContraDoc JSONL file; bad rows raise DataError naming the line.

    ``limit`` keeps n documents, taking (label, doc_type) strata in turn, file order within each (see
    :func:`head_by_label`): ContraDoc is sorted by label and then mostly by type, so a plain turn by label
    would keep stories only.
    """
    items: list[DocItem] = []
    for number, (line, row) in enumerate(read_jsonl_lines(path, ("text", "label"), FORMAT), start=1):
        label = str(row["label"]).strip().lower()
        if label not in LABELS:
            raise DataError(f"{path}: line {line} has label {row['label']!r}; expected one of "
                            + ", ".join(LABELS))
        problem = text_problem(row["text"])
        if problem is not None:
            raise DataError(f"{path}: line {line} has text {problem}; every document needs its text as a string")
        scope = row.get("scope") or ""
        items.append(DocItem(
            id=str(row.get("id", number)),
            text=row["text"],
            contradictory=LABELS[label],
            evidence=str(row.get("evidence") or ""),
            doc_type=str(row.get("doc_type") or ""),
            scope=",".join(map(str, scope)) if isinstance(scope, list) else str(scope),
        ))
    return head_by_label(items, lambda item: (item.contradictory, item.doc_type), limit)


def score_docs(checker: Checker, items: Sequence[DocItem], pairing: str = "candidates",
               progress: bool = False) -> list[DocScore]:
    """Run the pipeline on each document, keeping every scored pair. ``checker`` supplies models and settings."""
    scorer = scoring_checker(checker, pairing)
    device = getattr(checker.nli, "device", None)
    out: list[DocScore] = []
    for item in progress_bar(items, f"docs ({pairing})", progress):
        with stopwatch(device) as elapsed:
            report = scorer.check(item.text, source=item.id)
        findings = report.findings
        out.append(DocScore(item, findings[0].score if findings else 0.0, findings, len(report.claims),
                            report.pairs_checked, report.pairs_possible, elapsed[0]))
    return out


def _touches(finding: Finding, span: tuple[int, int]) -> bool:
    start, end = span
    return any(claim.start < end and claim.end > start for claim in (finding.a, finding.b))


def evaluate_docs(scores: Sequence[DocScore], threshold: float) -> dict[str, Any]:
    """The suite's metrics at ``threshold``."""
    if not scores:
        raise DataError("no documents to evaluate")
    labels = [s.item.contradictory for s in scores]
    values = [s.score for s in scores]
    flagged = predict(values, threshold)
    with_evidence = [s for s in scores if s.item.evidence_span() is not None]
    hits = [s for s in with_evidence
            if any(f.score >= threshold and _touches(f, s.item.evidence_span() or (0, 0)) for f in s.findings)]
    top1 = [s for s in with_evidence if s.findings and _touches(s.findings[0], s.item.evidence_span() or (0, 0))]
    by_type: dict[str, Any] = {}
    for doc_type in sorted({s.item.doc_type for s in scores if s.item.doc_type}):
        subset = [s for s in scores if s.item.doc_type == doc_type]
        sub_labels = [s.item.contradictory for s in subset]
        sub_values = [s.score for s in subset]
        by_type[doc_type] = {"n": len(subset),
                             "balanced_accuracy": r4(balanced_accuracy(sub_labels, predict(sub_values, threshold))),
                             "roc_auc": r4(roc_auc(sub_labels, sub_values))}
    n = len(scores)
    possible = sum(s.pairs_possible for s in scores)
    return {
        "n": n,
        "n_contradictory": sum(labels),
        "n_clean": n - sum(labels),
        "balanced_accuracy": r4(balanced_accuracy(labels, flagged)),
        "roc_auc": r4(roc_auc(labels, values)),
        "false_positive_rate": r4(false_positive_rate(labels, flagged)),
        "true_positive_rate": r4(true_positive_rate(labels, flagged)),
        "evidence_hit_rate": r4(len(hits) / len(with_evidence)) if with_evidence else None,
        "evidence_hits": len(hits),
        "evidence_in_text": len(with_evidence),
        "evidence_top1_rate": r4(len(top1) / len(with_evidence)) if with_evidence else None,
        "claims_per_doc": r4(sum(s.claims for s in scores) / n),
        "pairs_checked_per_doc": r4(sum(s.pairs_checked for s in scores) / n),
        "pairs_checked_share": r4(sum(s.pairs_checked for s in scores) / possible) if possible else None,
        "by_doc_type": by_type,
    }


def doc_items(scores: Sequence[DocScore], threshold: float) -> list[dict[str, Any]]:
    """Per document, in file order: its ``id``, gold ``label``, ``doc_type``, ``score`` (its strongest finding),
    ``flagged`` at the threshold, ``evidence_hit`` (a finding at the threshold touches the evidence sentence;
    None without one in the text), claims, pairs checked and the strongest pair's two claims."""
    out = []
    for s in scores:
        span = s.item.evidence_span()
        top = s.findings[0] if s.findings else None
        out.append({
            "id": s.item.id, "label": "contradictory" if s.item.contradictory else "non_contradictory",
            "doc_type": s.item.doc_type, "score": round(s.score, 4), "flagged": s.score >= threshold,
            "evidence_hit": None if span is None else any(f.score >= threshold and _touches(f, span)
                                                          for f in s.findings),
            "claims": s.claims, "pairs_checked": s.pairs_checked,
            "top_pair": None if top is None else [top.a.text, top.b.text],
        })
    return out


def _read_inputs(path: str | Path, threshold: float | None, calibrate_on: str | Path | None,
                 pairings: Sequence[str], limit: int | None) -> tuple[list[DocItem], list[DocItem] | None]:
    """The reported documents and the calibration file's, after every check that needs no model."""
    if threshold is not None and calibrate_on is not None:
        raise DataError("pass either a fixed threshold or a calibration file, not both")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise DataError(f"threshold {threshold} is outside [0, 1]")
    for pairing in pairings:
        check_pairing(pairing)
    if not pairings:
        raise DataError("no pairing variant to run; use candidates, all or both")
    if calibrate_on is None:
        return read_docs(path, limit), None
    check_calibration_file([path], calibrate_on)
    items, dev_items = read_docs(path, limit), read_docs(calibrate_on, limit)
    require_both_classes([item.contradictory for item in dev_items], calibrate_on, "contradictory",
                         "non-contradictory")
    refuse_shared_items([[item.text for item in items]], [item.text for item in dev_items], calibrate_on)
    return items, dev_items


def run_docs(
    checker: Checker,
    path: str | Path,
    *,
    threshold: float | None = None,
    calibrate_on: str | Path | None = None,
    pairings: Sequence[str] = ("candidates",),
    limit: int | None = None,
    progress: bool = False,
    keep_items: bool = False,
) -> dict[str, Any]:
    """The document self-contradiction suite on ``path``; returns the result record (frame + metrics).

    ``limit`` keeps n documents of the reported file and of the calibration file, labels in turn. With several
    ``pairings`` each is run (and calibrated) separately; the top-level metrics are the first one's.
    ``progress`` shows a progress bar on stderr; ``keep_items`` keeps each document's outcome (:func:`doc_items`).
    """
    items, dev_items = _read_inputs(path, threshold, calibrate_on, pairings, limit)
    warm_up(checker)
    facts = checker_facts(checker)
    reset_peak_memory(facts["device"])
    variants: dict[str, dict[str, Any]] = {}
    timings: dict[str, Timing] = {}
    for pairing in pairings:
        if dev_items is not None and calibrate_on is not None:
            dev_scores = score_docs(checker, dev_items, pairing, progress)
            choice = calibrated([s.item.contradictory for s in dev_scores], [s.score for s in dev_scores],
                                str(calibrate_on), file_sha256(calibrate_on))
        elif threshold is not None:
            choice = ThresholdChoice(threshold, "fixed")
        else:
            choice = ThresholdChoice(checker.settings.threshold, "default")
        with stopwatch(facts["device"]) as elapsed:
            scores = score_docs(checker, items, pairing, progress)
        timings[pairing] = Timing(elapsed[0], len(scores), [s.seconds for s in scores])
        variants[pairing] = {"pairing": pairing, **evaluate_docs(scores, choice.value), **choice.to_dict(),
                             **timings[pairing].fields()}
        if keep_items:
            variants[pairing]["items"] = doc_items(scores, choice.value)
    primary = pairings[0]
    metrics = {key: value for key, value in variants[primary].items() if key not in
               ("total_time_in_seconds", "samples_per_second", "latency_in_seconds")}
    metrics["variants"] = {pairing: {key: value for key, value in variant.items()  # the first's items once
                                     if not (key == "items" and pairing == primary)}
                           for pairing, variant in variants.items()}
    data = [data_entry(path, len(items))]
    return make_record("docs", device=facts["device"], dtype=facts["dtype"], batch_size=facts["batch_size"],
                       models=facts["models"], data=data, timing=timings[primary], metrics=metrics,
                       settings={"pairings": list(pairings), "limit": limit, "pairing_settings":
                                 asdict(checker.settings.pairing)})


def format_docs(record: dict[str, Any]) -> str:
    """The human table of a docs record."""
    lines = frame_lines(record)
    lines += ["", "ContraDoc self-contradiction: a document's score is its strongest finding."]
    rows = []
    for pairing, m in record["variants"].items():
        evidence = f"{fmt(m['evidence_hit_rate'])} ({m['evidence_hits']}/{m['evidence_in_text']})"
        rows.append([pairing, str(m["n"]), fmt(m["threshold"]), fmt(m["balanced_accuracy"]), fmt(m["roc_auc"]),
                     fmt(m["false_positive_rate"]), fmt(m["true_positive_rate"]), evidence,
                     fmt(m["evidence_top1_rate"]), fmt(m["pairs_checked_per_doc"], 1),
                     fmt(m["samples_per_second"], 2)])
    lines += render_table(["pairing", "n", "thr", "bal-acc", "ROC-AUC", "FPR clean", "TPR", "evidence hit",
                           "top-1 ev.", "pairs/doc", "docs/s"], rows)
    for pairing, m in record["variants"].items():
        lines.append(f"{pairing}: {_describe(m)}")
        for doc_type, sub in m["by_doc_type"].items():
            lines.append(f"  {doc_type}: n {sub['n']}, balanced accuracy {fmt(sub['balanced_accuracy'])}, "
                         f"ROC-AUC {fmt(sub['roc_auc'])}")
    lines.append("evidence hit: among contradictory documents whose evidence sentence is in the text, the share "
                 "where a finding at or above the threshold overlaps it; top-1: the strongest finding does.")
    return "\n".join(lines)


def _describe(metrics: dict[str, Any]) -> str:
    return ThresholdChoice(metrics["threshold"], metrics["threshold_source"], metrics["calibration_file"],
                           metrics["calibration_sha256"], metrics["calibration_n"],
                           metrics["calibration_balanced_accuracy"]).describe()
