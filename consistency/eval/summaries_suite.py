"""Summary against document (SummEdits format): how well the rules of :mod:`consistency.summary_check` (each
summary sentence against the document's claims, and against the whole document) tell consistent summaries from
inconsistent ones. A summary is called inconsistent when its score under a rule reaches the threshold. All four
rules come from the same NLI calls, so one run reports them side by side (balanced accuracy, ROC-AUC, per file),
for each pairing (``candidates``: the checker's pair selection restricted to (document claim, summary sentence)
pairs; ``all``: every summary sentence with every document claim, SummaC-ZS style).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from consistency.checker import Checker
from consistency.errors import DataError
from consistency.summary_check import SUMMARY_RULES, SentenceScore, check_summary

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
from .pipeline import check_pairing, checker_facts, warm_up

FORMAT = 'a SummEdits file (keys doc, summary, label "1" consistent / "0" inconsistent)'
RULES = SUMMARY_RULES
DEFAULT_RULE = "either"
# Balanced accuracy on the news domain of SummEdits (Laban et al. 2023, "LLMs as factual reasoners");
# that domain's file is not among the shared data, so these are context, not a like-for-like comparison.
REFERENCE_NEWS = {"SummaC-Conv": 61.9, "QAFactEval": 74.4, "GPT-4": 83.3, "human": 90.0}
_CONSISTENT = {"1": True, "0": False, "true": True, "false": False, "consistent": True, "inconsistent": False}


@dataclass(frozen=True)
class SummaryItem:
    """A document, a summary of it, and whether the summary is consistent with it."""

    id: str
    doc: str
    summary: str
    consistent: bool
    edit_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryScore:
    """The rules' scores of one summary and what it took to get them."""

    item: SummaryItem
    scores: dict[str, float]
    sentences: tuple[SentenceScore, ...]
    doc_claims: int
    pairs_checked: int
    seconds: float


def read_summaries(path: str | Path, limit: int | None = None) -> list[SummaryItem]:
    """Read a SummEdits JSONL file; labels 1/0 as numbers or strings.

    ``limit`` keeps n items, alternating between the labels in file order (see :func:`head_by_label`).
    """
    items: list[SummaryItem] = []
    for number, (line, row) in enumerate(read_jsonl_lines(path, ("doc", "summary", "label"), FORMAT), start=1):
        label = str(row["label"]).strip().lower()
        if label not in _CONSISTENT:
            raise DataError(f"{path}: line {line} has label {row['label']!r}; expected \"1\" (consistent) "
                            "or \"0\" (inconsistent)")
        for key in ("doc", "summary"):
            problem = text_problem(row[key])
            if problem is not None:
                raise DataError(f"{path}: line {line} has {key} {problem}; every item needs doc and summary text "
                                "as strings")
        edits = row.get("edit_types")
        edit_types = tuple(map(str, edits)) if isinstance(edits, list) else (str(edits),) if edits else ()
        items.append(SummaryItem(str(row.get("id", number)), row["doc"], row["summary"], _CONSISTENT[label],
                                 edit_types))
    return head_by_label(items, lambda item: item.consistent, limit)


def score_summary(checker: Checker, item: SummaryItem, pairing: str = "candidates") -> SummaryScore:
    """Score one summary under every rule (:func:`consistency.summary_check.check_summary`), timed."""
    device = getattr(checker.nli, "device", None)
    with stopwatch(device) as elapsed:
        checked = check_summary(checker, item.doc, item.summary, pairing)
    return SummaryScore(item, checked.scores, checked.sentences, checked.doc_claims, checked.pairs_checked,
                        elapsed[0])


def score_summaries(checker: Checker, items: Sequence[SummaryItem], pairing: str = "candidates",
                    progress: bool = False, label: str = "summaries") -> list[SummaryScore]:
    return [score_summary(checker, item, pairing) for item in progress_bar(items, f"{label} ({pairing})", progress)]


def evaluate_rule(scores: Sequence[SummaryScore], rule: str, threshold: float) -> dict[str, Any]:
    """Metrics of one rule at ``threshold``; the positive class is an inconsistent summary."""
    labels = [not s.item.consistent for s in scores]
    values = [s.scores[rule] for s in scores]
    flagged = predict(values, threshold)
    return {
        "threshold": round(threshold, 6),
        "balanced_accuracy": r4(balanced_accuracy(labels, flagged)),
        "roc_auc": r4(roc_auc(labels, values)),
        "false_positive_rate": r4(false_positive_rate(labels, flagged)),
        "true_positive_rate": r4(true_positive_rate(labels, flagged)),
    }


def _choices(
    checker: Checker, dev_items: Sequence[SummaryItem] | None, dev_path: str | Path | None,
    threshold: float | None, pairing: str, progress: bool = False,
) -> dict[str, ThresholdChoice]:
    if dev_items is not None and dev_path is not None:
        dev_scores = score_summaries(checker, dev_items, pairing, progress, Path(dev_path).name)
        labels = [not s.item.consistent for s in dev_scores]
        sha = file_sha256(dev_path)
        return {rule: calibrated(labels, [s.scores[rule] for s in dev_scores], str(dev_path), sha) for rule in RULES}
    if threshold is not None:
        return {rule: ThresholdChoice(threshold, "fixed") for rule in RULES}
    return {rule: ThresholdChoice(checker.settings.threshold, "default") for rule in RULES}


def _check_summaries_options(paths: Sequence[str | Path], rule: str, threshold: float | None,
                             calibrate_on: str | Path | None, pairings: Sequence[str]) -> None:
    if rule not in RULES:
        raise DataError(f"unknown rule '{rule}'; use one of {', '.join(RULES)}")
    if threshold is not None and calibrate_on is not None:
        raise DataError("pass either a fixed threshold or a calibration file, not both")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise DataError(f"threshold {threshold} is outside [0, 1]")
    if not paths:
        raise DataError("no SummEdits file given; pass one or more files")
    resolved = [Path(path).resolve() for path in paths]
    twice = sorted({str(path) for path in paths if resolved.count(Path(path).resolve()) > 1})
    if twice:  # a walk's file given twice was counted twice in the mean
        raise DataError(f"{', '.join(twice)} given more than once; pass each file once")
    if not pairings:
        raise DataError("no pairing variant to run; use candidates, all or both")
    for pairing in pairings:
        check_pairing(pairing)
    if calibrate_on is not None:
        check_calibration_file(paths, calibrate_on)


def file_record(checker: Checker, path: str | Path, items: Sequence[SummaryItem], pairing: str, rule: str,
                choices: dict[str, ThresholdChoice], progress: bool, latencies: list[float],
                keep_items: bool = False) -> dict[str, Any]:
    """One file's figures under every rule (``rule``'s as the headline); appends the items' latencies.
    ``keep_items``: each summary's id, label, sentences, pairs and score per rule too (to compare two models'
    runs summary by summary)."""
    scores = score_summaries(checker, items, pairing, progress, Path(path).name)
    latencies += [s.seconds for s in scores]
    rules = {name: evaluate_rule(scores, name, choices[name].value) for name in RULES}
    kept = {"items": [{"id": s.item.id, "consistent": s.item.consistent, "sentences": len(s.sentences),
                       "pairs_checked": s.pairs_checked, **{name: r4(s.scores[name]) for name in RULES}}
                      for s in scores]} if keep_items else {}
    return {
        "file": str(path),
        "n": len(scores),
        "n_inconsistent": sum(not s.item.consistent for s in scores),
        "balanced_accuracy": rules[rule]["balanced_accuracy"],
        "roc_auc": rules[rule]["roc_auc"],
        "rules": rules,
        "summaries_without_sentences": sum(not s.sentences for s in scores),
        "doc_claims_per_item": r4(sum(s.doc_claims for s in scores) / len(scores)),
        "pairs_checked_per_item": r4(sum(s.pairs_checked for s in scores) / len(scores)),
        **kept,
    }


def variant_record(pairing: str, rule: str, per_file: Sequence[dict[str, Any]], choices: dict[str, ThresholdChoice],
                   timing: Timing) -> dict[str, Any]:
    """One pairing variant: means over the files, thresholds, the files' records and timing."""
    return {
        "pairing": pairing,
        "rule": rule,
        "n": sum(f["n"] for f in per_file),
        "balanced_accuracy": _mean([f["balanced_accuracy"] for f in per_file]),
        "roc_auc": _mean([f["roc_auc"] for f in per_file]),
        "rules_mean": {name: {"balanced_accuracy": _mean([f["rules"][name]["balanced_accuracy"] for f in per_file]),
                              "roc_auc": _mean([f["rules"][name]["roc_auc"] for f in per_file])}
                       for name in RULES},
        **choices[rule].to_dict(),
        "thresholds": {name: choice.to_dict() for name, choice in choices.items()},
        "files": list(per_file),
        **timing.fields(),
    }


def run_summaries(
    checker: Checker,
    paths: Sequence[str | Path],
    *,
    rule: str = DEFAULT_RULE,
    threshold: float | None = None,
    calibrate_on: str | Path | None = None,
    pairings: Sequence[str] = ("candidates",),
    limit: int | None = None,
    progress: bool = False,
    items: bool = False,
) -> dict[str, Any]:
    """The summary suite on each file of ``paths``; returns the result record (frame + metrics); ``items``
    keeps each summary's outcome in its file's record.

    ``rule`` picks the headline figures (``balanced_accuracy`` is its mean over the files); every rule is
    reported under ``files[...]["rules"]``. ``limit`` keeps n items of every file (labels in turn), the
    calibration file included. With ``calibrate_on`` each rule gets its own threshold, picked there.
    """
    _check_summaries_options(paths, rule, threshold, calibrate_on, pairings)
    files = [(path, read_summaries(path, limit)) for path in paths]
    dev_items = read_summaries(calibrate_on, limit) if calibrate_on is not None else None
    if dev_items is not None and calibrate_on is not None:
        require_both_classes([not item.consistent for item in dev_items], calibrate_on, "inconsistent", "consistent")
        refuse_shared_items([[f"{item.doc}\x00{item.summary}" for item in items] for _, items in files],
                            [f"{item.doc}\x00{item.summary}" for item in dev_items], calibrate_on)

    warm_up(checker)
    facts = checker_facts(checker)
    reset_peak_memory(facts["device"])
    variants: dict[str, dict[str, Any]] = {}
    timings: dict[str, Timing] = {}
    for pairing in pairings:
        choices = _choices(checker, dev_items, calibrate_on, threshold, pairing, progress)
        latencies: list[float] = []
        with stopwatch(facts["device"]) as elapsed:
            per_file = [file_record(checker, path, file_items, pairing, rule, choices, progress, latencies, items)
                        for path, file_items in files]
        timings[pairing] = Timing(elapsed[0], len(latencies), latencies)
        variants[pairing] = variant_record(pairing, rule, per_file, choices, timings[pairing])
    primary = pairings[0]
    metrics = {key: value for key, value in variants[primary].items()
               if key not in ("total_time_in_seconds", "samples_per_second", "latency_in_seconds")}
    metrics["variants"] = variants
    metrics["reference_news_domain"] = REFERENCE_NEWS
    data = [data_entry(path, len(items)) for path, items in files]
    return make_record("summaries", device=facts["device"], dtype=facts["dtype"], batch_size=facts["batch_size"],
                       models=facts["models"], data=data, timing=timings[primary], metrics=metrics,
                       settings={"pairings": list(pairings), "rule": rule, "limit": limit,
                                 "pairing_settings": asdict(checker.settings.pairing)})


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return r4(sum(present) / len(present)) if present else None


def format_summaries(record: dict[str, Any]) -> str:
    """The human table of a summaries record: one row per file, pairing and rule."""
    lines = frame_lines(record)
    lines += ["", f"SummEdits: a summary is inconsistent when its score under the rule reaches the threshold; "
                  f"headline rule '{record['rule']}'. Balanced accuracy in %."]
    rows = []
    for pairing, variant in record["variants"].items():
        for entry in variant["files"]:
            for name in RULES:
                m = entry["rules"][name]
                mark = "*" if name == record["rule"] else ""
                rows.append([Path(entry["file"]).name, str(entry["n"]), pairing, name + mark, fmt(m["threshold"]),
                             _pct(m["balanced_accuracy"]), fmt(m["roc_auc"]), fmt(m["false_positive_rate"]),
                             fmt(m["true_positive_rate"]), fmt(entry["pairs_checked_per_item"], 1)])
        if len(variant["files"]) > 1:
            for name in RULES:
                mean = variant["rules_mean"][name]
                rows.append(["mean", str(variant["n"]), pairing, name + ("*" if name == record["rule"] else ""), "",
                             _pct(mean["balanced_accuracy"]), fmt(mean["roc_auc"]), "", "", ""])
    lines += render_table(["file", "n", "pairing", "rule", "thr", "bal-acc", "ROC-AUC", "FPR", "TPR", "pairs/item"],
                          rows)
    for pairing, variant in record["variants"].items():
        lines.append(f"{pairing}: " + ThresholdChoice(
            variant["threshold"], variant["threshold_source"], variant["calibration_file"],
            variant["calibration_sha256"], variant["calibration_n"],
            variant["calibration_balanced_accuracy"]).describe() + f" (rule {record['rule']})")
    lines.append("rules: contradiction = max over summary sentences of the strongest contradiction by a document "
                 "claim; unsupported = max of 1 - best entailment by one document claim; either = max of the two; "
                 "doc-unsupported = max of 1 - entailment by the whole document.")
    reference = ", ".join(f"{name} {value:.1f}" for name, value in REFERENCE_NEWS.items())
    lines.append(f"known balanced accuracy on SummEdits' news domain (not among these files): {reference}")
    for pairing, variant in record["variants"].items():
        for entry in variant["files"]:
            if entry.get("summaries_without_sentences"):  # a walk's question-only summary counted as consistent
                lines.append(f"note: {Path(entry['file']).name} ({pairing}): {entry['summaries_without_sentences']} "
                             "summaries have no checkable sentence (a question, a fragment, a source's silence): "
                             "scored 0 on every rule, so counted consistent")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"
