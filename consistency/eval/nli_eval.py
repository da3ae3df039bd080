"""Measure an NLI backend on labelled pair files: accuracy, macro-F1, per-class scores, confusion, ECE.

Pair files are JSONL (optionally gzipped), one object per line with ``premise``, ``hypothesis`` and
``label`` (``entailment`` | ``neutral`` | ``contradiction``, or ``not_entailment`` in 2-way sets), plus
optional ``source``, ``split`` and ``id``. The ConTRoL format (``uid`` instead of ``id``, labels
abbreviated ``e`` / ``n`` / ``c``, no source or split) is read too.

A file whose labels include ``not_entailment`` is scored 2-way: the model's entailment probability
against neutral + contradiction. Contradiction precision and recall are then left out (``None``).
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from consistency.errors import DataError
from consistency.runtime.nli import NLIBackend
from consistency.types import NLIScores

logger = logging.getLogger(__name__)

THREE_WAY: tuple[str, ...] = ("entailment", "neutral", "contradiction")
TWO_WAY: tuple[str, ...] = ("entailment", "not_entailment")
REQUIRED_KEYS: tuple[str, ...] = ("premise", "hypothesis", "label")
_LABEL_ALIASES = {"e": "entailment", "n": "neutral", "c": "contradiction"}  # ConTRoL
_VALID_LABELS = (*THREE_WAY, "not_entailment")
ECE_BINS = 15


@dataclass(frozen=True)
class LabelledPair:
    """One gold-labelled (premise, hypothesis) pair."""

    premise: str
    hypothesis: str
    label: str
    source: str = ""
    split: str = ""
    id: str | None = None
    phenomenon: str = ""  # optional: what the pair tests (the news challenge set's field); scored per value


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall and F1 of one label, and how many gold pairs carry it."""

    precision: float
    recall: float
    f1: float
    support: int

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "support": self.support}


@dataclass(frozen=True)
class EvalResult:
    """Scores of one model on one pair file. ``confusion`` rows are gold labels, columns predictions."""

    file: str
    model: str
    scheme: str  # "3-way" or "2-way"
    labels: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassMetrics]
    confusion: tuple[tuple[int, ...], ...]
    contradiction_precision: float | None
    contradiction_recall: float | None
    ece: float
    seconds: float
    pairs_per_second: float
    device: str | None = None
    batch_size: int | None = None
    by_phenomenon: dict[str, dict[str, float | int]] | None = None  # phenomenon -> n, accuracy (when the file has them)
    items: list[dict[str, Any]] | None = None  # each pair's gold label, prediction and probabilities (on request)

    def to_dict(self) -> dict[str, Any]:
        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "file": self.file,
            "model": self.model,
            "scheme": self.scheme,
            "labels": list(self.labels),
            "n": self.n,
            "accuracy": r(self.accuracy),
            "macro_f1": r(self.macro_f1),
            "per_class": {label: metrics.to_dict() for label, metrics in self.per_class.items()},
            "confusion": [list(row) for row in self.confusion],
            "contradiction_precision": r(self.contradiction_precision),
            "contradiction_recall": r(self.contradiction_recall),
            "ece": r(self.ece),
            "seconds": round(self.seconds, 3),
            "pairs_per_second": round(self.pairs_per_second, 2),
            "device": self.device,
            "batch_size": self.batch_size,
            **({} if self.by_phenomenon is None else {"by_phenomenon": self.by_phenomenon}),
            **({} if self.items is None else {"items": self.items}),
        }


def read_pairs(path: str | Path, limit: int | None = None) -> list[LabelledPair]:
    """Read a JSONL pair file (``.gz`` allowed); ``limit`` keeps the first n pairs. Bad input raises DataError."""
    path = Path(path)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    if not path.exists():
        raise DataError(f"pair file '{path}' does not exist; pass a JSONL file with one "
                        "{premise, hypothesis, label} object per line")
    if path.is_dir():
        raise DataError(f"pair file '{path}' is a directory; pass a JSONL file inside it")
    pairs: list[LabelledPair] = []
    first_line: dict[str, int] = {}  # each label's first line: a file mixes the two schemes at most by mistake
    try:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                pairs.append(_parse_line(path, number, line))
                first_line.setdefault(pairs[-1].label, number)
                if limit is not None and len(pairs) >= limit:
                    break
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise DataError(f"pair file '{path}' cannot be read as UTF-8 JSONL{' (gzip)' if _is_gzip(path) else ''}: "
                        f"{exc}; pass a UTF-8 JSONL file, gzipped only when its name ends in .gz") from exc
    if not pairs:
        raise DataError(f"pair file '{path}' is empty; it needs one JSON object per line with keys "
                        + ", ".join(REQUIRED_KEYS))
    three_way = [label for label in ("neutral", "contradiction") if label in first_line]
    if "not_entailment" in first_line and three_way:
        raise DataError(f"pair file '{path}' mixes 2-way and 3-way labels: not_entailment (line "
                        f"{first_line['not_entailment']}) and {three_way[0]} (line {first_line[three_way[0]]}); "
                        "use one scheme per file")
    return pairs


def _is_gzip(path: Path) -> bool:
    return path.suffix == ".gz"


def _open_text(path: Path) -> Any:
    if _is_gzip(path):
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is read past


def _parse_line(path: Path, number: int, line: str) -> LabelledPair:
    where = f"{path}: line {number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where} is not valid JSON ({exc.msg}); each line must be one JSON object with keys "
                        + ", ".join(REQUIRED_KEYS)) from exc
    if not isinstance(row, dict):
        raise DataError(f"{where} is a JSON {type(row).__name__}, not an object; expected keys "
                        + ", ".join(REQUIRED_KEYS))
    if any(key not in row for key in REQUIRED_KEYS):
        raise DataError(f"{where} has keys [{', '.join(map(str, row))}]; expected " + ", ".join(REQUIRED_KEYS))
    for key in ("premise", "hypothesis"):
        if not isinstance(row[key], str) or not row[key].strip():
            raise DataError(f"{where} has {key} {json.dumps(row[key])[:60]}; expected a non-empty string")
    raw_label = row["label"]
    label = _LABEL_ALIASES.get(str(raw_label).strip().lower(), str(raw_label).strip().lower())
    if not isinstance(raw_label, str) or label not in _VALID_LABELS:
        raise DataError(f"{where} has label {json.dumps(raw_label)}; expected one of " + ", ".join(_VALID_LABELS)
                        + " (or e, n, c)")
    ident = row.get("id", row.get("uid"))
    return LabelledPair(
        premise=row["premise"],
        hypothesis=row["hypothesis"],
        label=label,
        source=str(row.get("source") or path.name.split(".")[0]),
        split=str(row.get("split") or ""),
        id=None if ident is None else str(ident),
        phenomenon=str(row.get("phenomenon") or ""),
    )


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = ECE_BINS) -> float:
    """Top-label ECE with equal-width confidence bins (low, high]; a confidence of 0 falls in the first bin."""
    if len(confidence) != len(correct):
        raise ValueError(f"{len(confidence)} confidences but {len(correct)} correctness flags")
    if not confidence:
        return 0.0
    totals = [0] * bins
    confidence_sums = [0.0] * bins
    correct_sums = [0] * bins
    for value, hit in zip(confidence, correct, strict=True):
        index = min(bins - 1, max(0, math.ceil(value * bins) - 1))
        totals[index] += 1
        confidence_sums[index] += value
        correct_sums[index] += int(hit)
    n = len(confidence)
    return sum(
        totals[b] / n * abs(confidence_sums[b] / totals[b] - correct_sums[b] / totals[b])
        for b in range(bins)
        if totals[b]
    )


def _decide(scores: NLIScores, two_way: bool) -> tuple[str, float]:
    """The predicted label and its probability (the top-label confidence)."""
    if two_way:
        entail, rest = scores.entailment, scores.neutral + scores.contradiction
        total = entail + rest or 1.0
        return ("entailment", entail / total) if entail > rest else ("not_entailment", rest / total)
    label = scores.label.value
    total = scores.entailment + scores.neutral + scores.contradiction or 1.0
    return label, getattr(scores, label) / total


def confusion_matrix(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Rows: gold label; columns: predicted label, both in ``labels`` order."""
    position = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[position[g]][position[p]] += 1
    return matrix


def class_metrics(matrix: Sequence[Sequence[int]], labels: Sequence[str]) -> dict[str, ClassMetrics]:
    """Precision, recall, F1 and support per label from a confusion matrix."""
    per_class: dict[str, ClassMetrics] = {}
    for i, label in enumerate(labels):
        hits = matrix[i][i]
        support = sum(matrix[i])
        predicted_count = sum(row[i] for row in matrix)
        precision = hits / predicted_count if predicted_count else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassMetrics(precision, recall, f1, support)
    return per_class


def score_predictions(
    gold: Sequence[str],
    scores: Sequence[NLIScores],
    name: str = "",
    model: str = "",
    seconds: float = 0.0,
    device: str | None = None,
    batch_size: int | None = None,
    phenomena: Sequence[str] | None = None,
) -> EvalResult:
    """Compare model scores with gold labels; 2-way when any gold label is ``not_entailment``. ``phenomena`` (one per
    pair, "" for none) adds the accuracy per phenomenon.

    Macro-F1 averages the labels that occur in the gold set or the predictions (as scikit-learn does);
    a label that is never predicted has precision and F1 0.
    """
    if len(gold) != len(scores):
        raise ValueError(f"{len(gold)} gold labels but {len(scores)} predictions")
    if not gold:
        raise DataError(f"no pairs to score for '{name}'")
    two_way = "not_entailment" in gold
    labels = TWO_WAY if two_way else THREE_WAY
    if two_way:
        gold = ["entailment" if g == "entailment" else "not_entailment" for g in gold]
    unknown = sorted(set(gold) - set(labels))
    if unknown:
        raise DataError(f"'{name}' has gold labels {unknown}; expected one of " + ", ".join(_VALID_LABELS))
    decisions = [_decide(s, two_way) for s in scores]
    predicted = [label for label, _ in decisions]
    matrix = confusion_matrix(gold, predicted, labels)
    per_class = class_metrics(matrix, labels)
    present = [label for i, label in enumerate(labels) if per_class[label].support or sum(r[i] for r in matrix)]
    n = len(gold)
    correct = [g == p for g, p in zip(gold, predicted, strict=True)]
    contradiction = None if two_way else per_class["contradiction"]
    return EvalResult(
        file=name,
        model=model,
        scheme="2-way" if two_way else "3-way",
        labels=labels,
        n=n,
        accuracy=sum(correct) / n,
        macro_f1=sum(per_class[label].f1 for label in present) / len(present),
        per_class=per_class,
        confusion=tuple(tuple(row) for row in matrix),
        contradiction_precision=None if contradiction is None else contradiction.precision,
        contradiction_recall=None if contradiction is None else contradiction.recall,
        ece=expected_calibration_error([confidence for _, confidence in decisions], correct),
        seconds=seconds,
        pairs_per_second=n / seconds if seconds > 0 else 0.0,
        device=device,
        batch_size=batch_size,
        by_phenomenon=None if not phenomena or not any(phenomena) else accuracy_by_group(phenomena, correct),
    )


def accuracy_by_group(groups: Sequence[str], correct: Sequence[bool]) -> dict[str, dict[str, float | int]]:
    """Pairs and accuracy per group name, in name order ("" is listed as "(none)")."""
    tally: dict[str, list[int]] = {}
    for group, right in zip(groups, correct, strict=True):
        counts = tally.setdefault(group or "(none)", [0, 0])
        counts[0] += 1
        counts[1] += int(right)
    return {group: {"n": n, "accuracy": round(hits / n, 4)} for group, (n, hits) in sorted(tally.items())}


def evaluate(pairs: Sequence[LabelledPair], nli: NLIBackend, name: str, keep_items: bool = False) -> EvalResult:
    """Score every pair with ``nli`` (one ``predict`` call, timed) and compare with the gold labels;
    ``keep_items``: also each pair's gold label, prediction and probabilities (:func:`pair_items`)."""
    if not pairs:
        raise DataError(f"no pairs to evaluate for '{name}'")
    started = time.perf_counter()
    scores = nli.predict([(pair.premise, pair.hypothesis) for pair in pairs])
    seconds = time.perf_counter() - started
    result = score_predictions(
        [pair.label for pair in pairs], scores, name=name, model=nli.name, seconds=seconds,
        device=getattr(nli, "device", None), batch_size=nli.batch_size, phenomena=[pair.phenomenon for pair in pairs],
    )
    logger.info("%s: %d pairs, accuracy %.4f, macro-F1 %.4f, %.1f pairs/s",
                name, result.n, result.accuracy, result.macro_f1, result.pairs_per_second)
    return replace(result, items=pair_items(pairs, scores, result.scheme == "2-way")) if keep_items else result


def pair_items(pairs: Sequence[LabelledPair], scores: Sequence[NLIScores], two_way: bool) -> list[dict[str, Any]]:
    """Per pair, in file order: its line's position among the pairs (``index``), gold ``label``, ``predicted``
    label, the three probabilities, and ``id`` / ``phenomenon`` / ``split`` where the file has them."""
    items = []
    for index, (pair, score) in enumerate(zip(pairs, scores, strict=True)):
        gold = pair.label if not two_way or pair.label == "entailment" else "not_entailment"
        item: dict[str, Any] = {"index": index, "label": gold, "predicted": _decide(score, two_way)[0],
                                "entailment": round(score.entailment, 4), "neutral": round(score.neutral, 4),
                                "contradiction": round(score.contradiction, 4)}
        item.update({key: value for key, value in (("id", pair.id), ("phenomenon", pair.phenomenon),
                                                   ("split", pair.split)) if value})
        items.append(item)
    return items


def select_pairs(path: str | Path, limit: int | None = None, split: str | None = None) -> list[LabelledPair]:
    """The pairs of ``path`` an evaluation reads: those of ``split`` (when given), the first ``limit`` of them; a
    split the file does not have is a :class:`DataError` naming the splits it has."""
    pairs = read_pairs(path, limit=limit if split is None else None)
    if split is not None:
        splits = sorted({pair.split for pair in pairs})
        pairs = [pair for pair in pairs if pair.split == split][:limit]
        if not pairs:
            raise DataError(f"{path} has no pairs with split {split!r}; " + (
                f"its splits are {splits}" if any(splits) else "it has no split field: leave --split out"))
    return pairs


def evaluate_file(
    path: str | Path,
    model_path: str | None = None,
    device: str | None = None,
    nli: NLIBackend | None = None,
    limit: int | None = None,
    batch_size: int = 64,
    dtype: str | None = None,
    split: str | None = None,
    keep_items: bool = False,
) -> EvalResult:
    """Evaluate a pair file; ``split`` keeps only the pairs of that ``split`` value (the news challenge set's dev or
    report half), ``limit`` the first n of those; ``keep_items``: each pair's prediction too. Loads
    ``TransformersNLI`` unless ``nli`` is given."""
    if nli is not None and model_path is not None:
        raise ValueError("pass either nli or model_path, not both")
    pairs = select_pairs(path, limit, split)
    if nli is None:
        from consistency.runtime.nli import TransformersNLI

        nli = TransformersNLI(model_path, device=device, batch_size=batch_size, dtype=dtype)
    return evaluate(pairs, nli, str(path), keep_items=keep_items)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _render(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Align a table: first column left, the others right."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                          strict=True)))

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def format_table(results: Sequence[EvalResult]) -> str:
    """One summary line per result: file, n, accuracy, macro-F1, contradiction P/R, ECE, pairs/s."""
    if not results:
        return "(no results)"
    models = sorted({r.model for r in results})
    one_model = len(models) == 1
    header = ["file", *([] if one_model else ["model"]), "n", "acc", "macro-F1", "con-P", "con-R", "ECE", "pairs/s"]
    rows = []
    for r in results:
        name = Path(r.file).name + (" (2-way)" if r.scheme == "2-way" else "")
        rows.append([name, *([] if one_model else [r.model]), str(r.n), _fmt(r.accuracy), _fmt(r.macro_f1),
                     _fmt(r.contradiction_precision), _fmt(r.contradiction_recall), _fmt(r.ece),
                     f"{r.pairs_per_second:.1f}"])
    lines = [f"model: {models[0]}"] if one_model else []
    return "\n".join(lines + _render(header, rows))


def format_phenomena(result: EvalResult) -> str:
    """Accuracy per phenomenon, one line each (empty when the file has no phenomenon field)."""
    if not result.by_phenomenon:
        return ""
    rows = [[name, str(m["n"]), _fmt(float(m["accuracy"]))] for name, m in result.by_phenomenon.items()]
    return "\n".join(_render(["phenomenon", "n", "acc"], rows))


def format_detail(result: EvalResult) -> str:
    """Per-class precision / recall / F1 / support and the confusion matrix (rows gold, columns predicted)."""
    lines = [
        f"{result.file} ({result.scheme}, {result.n} pairs) - model {result.model}",
        f"accuracy {result.accuracy:.3f}  macro-F1 {result.macro_f1:.3f}  ECE {result.ece:.3f}  "
        f"{result.seconds:.1f} s ({result.pairs_per_second:.1f} pairs/s)",
        "",
    ]
    lines += _render(["label", "precision", "recall", "F1", "support"],
                     [[label, _fmt(m.precision), _fmt(m.recall), _fmt(m.f1), str(m.support)]
                      for label, m in result.per_class.items()])
    lines += ["", "confusion (rows gold, columns predicted)"]
    lines += _render(["gold \\ predicted", *result.labels],
                     [[label, *map(str, row)] for label, row in zip(result.labels, result.confusion, strict=True)])
    return "\n".join(lines)
