"""Binary-detection metrics for the accuracy suites, and the threshold rule.

The positive class is "flag it" (a contradictory document, an inconsistent summary); a score at or
above the threshold predicts positive. Plain Python: no scikit-learn needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def _check(labels: Sequence[bool], other: Sequence[Any], what: str) -> None:
    if len(labels) != len(other):
        raise ValueError(f"{len(labels)} labels but {len(other)} {what}")


def confusion(labels: Sequence[bool], predicted: Sequence[bool]) -> dict[str, int]:
    """Counts tp, fp, tn, fn."""
    _check(labels, predicted, "predictions")
    out = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for gold, guess in zip(labels, predicted, strict=True):
        out[("t" if gold == guess else "f") + ("p" if guess else "n")] += 1
    return out


def true_positive_rate(labels: Sequence[bool], predicted: Sequence[bool]) -> float | None:
    """Recall of the positive class; None when there are no positives."""
    c = confusion(labels, predicted)
    return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None


def false_positive_rate(labels: Sequence[bool], predicted: Sequence[bool]) -> float | None:
    """Share of negatives (clean items) flagged; None when there are no negatives."""
    c = confusion(labels, predicted)
    return c["fp"] / (c["fp"] + c["tn"]) if c["fp"] + c["tn"] else None


def balanced_accuracy(labels: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Mean of the recall of each class present (= (TPR + TNR) / 2 when both are present)."""
    if not labels:
        raise ValueError("balanced accuracy of no items")
    tpr = true_positive_rate(labels, predicted)
    fpr = false_positive_rate(labels, predicted)
    rates = [r for r in (tpr, None if fpr is None else 1.0 - fpr) if r is not None]
    return sum(rates) / len(rates)


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve by ranks (Mann-Whitney U); tied scores share their mean rank (count half).

    None when only one class is present.
    """
    _check(labels, scores, "scores")
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1  # ranks are 1-based
        for k in range(start, end + 1):
            ranks[order[k]] = mean_rank
        start = end + 1
    rank_sum = sum(rank for rank, label in zip(ranks, labels, strict=True) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def predict(scores: Sequence[float], threshold: float) -> list[bool]:
    return [score >= threshold for score in scores]


def pick_threshold(labels: Sequence[bool], scores: Sequence[float], prefer: float = 0.5) -> float:
    """The threshold that maximises balanced accuracy on (labels, scores).

    Candidates are the lowest score (flag all), the midpoints between consecutive distinct scores, and
    just above the highest (flag none); among equally good ones the closest to ``prefer`` wins.
    """
    _check(labels, scores, "scores")
    if not labels:
        raise ValueError("cannot pick a threshold on no items")
    distinct = sorted(set(scores))
    candidates = [distinct[0]]
    candidates += [(low + high) / 2 for low, high in zip(distinct, distinct[1:], strict=False)]
    candidates.append(distinct[-1] + max(1e-6, abs(distinct[-1]) * 1e-6))
    best = max(candidates, key=lambda t: (round(balanced_accuracy(labels, predict(scores, t)), 12), -abs(t - prefer)))
    return float(best)


@dataclass(frozen=True)
class ThresholdChoice:
    """The decision threshold and where it came from (never the reported file)."""

    value: float
    source: str  # "fixed" (--threshold), "default" (the checker's), "calibrated"
    dev_file: str | None = None
    dev_sha256: str | None = None
    dev_n: int | None = None
    dev_balanced_accuracy: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": round(self.value, 6),
            "threshold_source": self.source,
            "calibration_file": self.dev_file,
            "calibration_sha256": self.dev_sha256,
            "calibration_n": self.dev_n,
            "calibration_balanced_accuracy": (None if self.dev_balanced_accuracy is None
                                              else round(self.dev_balanced_accuracy, 4)),
        }

    def describe(self) -> str:
        if self.source == "calibrated":
            chance = (self.dev_balanced_accuracy is not None and self.dev_balanced_accuracy <= 0.5)
            return (f"threshold {self.value:.3f}, calibrated on {self.dev_file} ({self.dev_n} items, "
                    f"balanced accuracy there {self.dev_balanced_accuracy:.3f})"
                    + (": no better than chance there, so this threshold is not a tuned one" if chance else ""))
        if self.source == "fixed":
            return f"threshold {self.value:.3f} (fixed by --threshold)"
        return f"threshold {self.value:.3f} (the checker's default; not tuned on this file)"


def calibrated(labels: Sequence[bool], scores: Sequence[float], dev_file: str, dev_sha256: str) -> ThresholdChoice:
    """Pick the threshold on a development file's (labels, scores)."""
    value = pick_threshold(labels, scores)
    return ThresholdChoice(value, "calibrated", dev_file, dev_sha256, len(labels),
                           balanced_accuracy(labels, predict(scores, value)))


def r4(value: float | None) -> float | None:
    """Round for JSON; keep None."""
    return None if value is None else round(value, 4)
