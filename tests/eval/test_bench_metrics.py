"""Benchmark metrics and frame helpers: balanced accuracy, ROC-AUC with ties, threshold picking,
the calibration-file guard, result paths."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from consistency.errors import DataError
from consistency.eval.frame import (
    Timing,
    check_calibration_file,
    make_record,
    read_jsonl,
    result_path,
    save_record,
)
from consistency.eval.metrics import (
    balanced_accuracy,
    false_positive_rate,
    pick_threshold,
    predict,
    roc_auc,
)


def test_balanced_accuracy_is_the_mean_of_both_recalls() -> None:
    labels = [True, True, True, False]
    predicted = [True, False, False, False]
    assert balanced_accuracy(labels, predicted) == pytest.approx((1 / 3 + 1) / 2)
    assert balanced_accuracy([True, True], [True, False]) == 0.5  # one class only: its recall
    assert false_positive_rate(labels, [True, True, True, True]) == 1.0
    assert false_positive_rate([True], [True]) is None


def test_roc_auc_by_ranks_counts_ties_half() -> None:
    assert roc_auc([False, False, True, True], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([True, True, False, False], [0.1, 0.2, 0.8, 0.9]) == 0.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5
    # brute force over all (positive, negative) pairs
    labels = [True, False, True, False, True, False]
    scores = [0.3, 0.3, 0.7, 0.1, 0.3, 0.9]
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    expected = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
    assert roc_auc(labels, scores) == pytest.approx(expected)
    assert roc_auc([True, True], [0.1, 0.2]) is None


def test_pick_threshold_maximises_balanced_accuracy() -> None:
    labels = [False, False, False, True, True]
    scores = [0.1, 0.2, 0.6, 0.7, 0.9]
    t = pick_threshold(labels, scores)
    assert 0.6 < t <= 0.7
    assert balanced_accuracy(labels, predict(scores, t)) == 1.0
    # all one score: flag all or none, both BA 0.5 -> the candidate closest to 0.5
    assert pick_threshold([True, False], [0.3, 0.3]) == pytest.approx(0.3, abs=1e-3)


def _write(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_calibration_guard_refuses_same_path_and_same_content(tmp_path: Path) -> None:
    rows = [{"text": "A.", "label": "contradictory"}]
    reported = _write(tmp_path / "test.jsonl", rows)
    copy = _write(tmp_path / "copy.jsonl", rows)
    other = _write(tmp_path / "dev.jsonl", [{"text": "B.", "label": "non_contradictory"}])
    with pytest.raises(DataError, match="it is the same file as the reported file"):
        check_calibration_file([reported], reported)
    with pytest.raises(DataError, match=r"it has the same content \(sha256 [0-9a-f]{12}\)"):
        check_calibration_file([other, reported], copy)
    check_calibration_file([reported], other)  # a different file is fine


def test_read_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "label": "contradictory"}\n{"body": "y"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"line 2 has keys \[body\]; expected text, label"):
        read_jsonl(path, ("text", "label"), "a test file")


def test_record_has_the_frame_and_saves_with_a_date(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("{}\n", encoding="utf-8")
    from consistency.eval.frame import data_entry

    record = make_record("docs", device="cpu", dtype="float32", batch_size=32, models={"nli": "x"},
                         data=[data_entry(data, 1)], timing=Timing(2.0, 4, [0.5] * 4),
                         metrics={"balanced_accuracy": 0.5})
    for key in ("machine", "device", "dtype", "batch_size", "models", "data_file", "data_sha256",
                "total_time_in_seconds", "samples_per_second", "latency_in_seconds", "balanced_accuracy"):
        assert key in record
    assert record["samples_per_second"] == 2.0 and record["latency_in_seconds"] == 0.5
    assert record["machine"]["cpu_cores"] >= 1
    path = save_record(record, tmp_path / "results", tag="all")
    assert path == result_path(record, tmp_path / "results", tag="all")
    assert path.name == f"docs-{record['created'][:10]}-cpu-all.json"
    assert json.loads(path.read_text(encoding="utf-8"))["balanced_accuracy"] == 0.5
    with pytest.raises(ValueError, match="clash"):
        make_record("docs", device="cpu", dtype="x", batch_size=1, models={}, data=[], timing=Timing(1, 1),
                    metrics={"device": "gpu"})


def test_head_by_label_keeps_both_classes_of_a_sorted_file() -> None:
    from consistency.eval.frame import head_by_label

    items = ["c1", "c2", "c3", "c4", "n1", "n2"]
    assert head_by_label(items, lambda s: s[0], 3) == ["c1", "c2", "n1"]
    assert head_by_label(items, lambda s: s[0], 5) == ["c1", "c2", "c3", "n1", "n2"]
    assert head_by_label(items, lambda s: s[0], None) == items
    assert head_by_label(items, lambda s: s[0], 99) == items
