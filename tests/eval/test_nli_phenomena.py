"""Accuracy per phenomenon and the split filter of `consistency bench nli` (the news challenge set's fields)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.errors import DataError
from consistency.eval.nli_eval import evaluate_file, format_phenomena, read_pairs
from consistency.eval.nli_suite import format_nli, run_nli
from consistency.testing import FakeNLI

ROWS = [
    # The fake backend calls a negated restatement contradiction and a word-subset hypothesis entailment.
    {"premise": "The council approved the budget.", "hypothesis": "The council did not approve the budget.",
     "label": "contradiction", "phenomenon": "polarity", "split": "dev"},
    {"premise": "The council approved the budget.", "hypothesis": "The council approved the budget.",
     "label": "entailment", "phenomenon": "coreference", "split": "dev"},
    {"premise": "Four people were killed.", "hypothesis": "Eleven people were killed.",
     "label": "contradiction", "phenomenon": "number_word", "split": "report"},
    {"premise": "The mayor of Lyon opened it.", "hypothesis": "The mayor of Lyon opened it.",
     "label": "neutral", "phenomenon": "different_entity", "split": "report"},
]


def write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "challenge.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_accuracy_is_reported_per_phenomenon(tmp_path: Path) -> None:
    result = evaluate_file(write(tmp_path, ROWS), nli=FakeNLI())
    assert result.by_phenomenon == {
        "coreference": {"n": 1, "accuracy": 1.0}, "different_entity": {"n": 1, "accuracy": 0.0},
        "number_word": {"n": 1, "accuracy": 0.0}, "polarity": {"n": 1, "accuracy": 1.0}}
    assert result.to_dict()["by_phenomenon"] == result.by_phenomenon
    table = format_phenomena(result)
    assert table.splitlines()[0].split() == ["phenomenon", "n", "acc"] and "different_entity" in table


def test_the_split_option_keeps_one_half_and_names_the_halves_when_none_match(tmp_path: Path) -> None:
    path = write(tmp_path, ROWS)
    result = evaluate_file(path, nli=FakeNLI(), split="report")
    assert result.n == 2 and set(result.by_phenomenon or {}) == {"different_entity", "number_word"}
    with pytest.raises(DataError, match=r"no pairs with split 'test'; its splits are \['dev', 'report'\]"):
        evaluate_file(path, nli=FakeNLI(), split="test")
    # --limit counts the split's pairs, not the file's first lines (two dev lines come first)
    limited = evaluate_file(path, nli=FakeNLI(), split="report", limit=1)
    assert limited.n == 1 and set(limited.by_phenomenon or {}) == {"number_word"}
    record = run_nli(FakeNLI(), path, split="dev")
    assert record["settings"]["split"] == "dev" and record["by_phenomenon"]["polarity"]["accuracy"] == 1.0
    assert "phenomenon" in format_nli(record)


def test_files_without_phenomena_report_none(tmp_path: Path) -> None:
    rows = [{k: v for k, v in row.items() if k != "phenomenon"} for row in ROWS]
    result = evaluate_file(write(tmp_path, rows), nli=FakeNLI())
    assert result.by_phenomenon is None and "by_phenomenon" not in result.to_dict() and format_phenomena(result) == ""
    assert read_pairs(write(tmp_path, ROWS))[0].phenomenon == "polarity"


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    # Windows editors write one; the first line was "not valid JSON (Unexpected UTF-8 BOM)"
    path = tmp_path / "bom.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8-sig")
    assert [pair.phenomenon for pair in read_pairs(path)] == [row["phenomenon"] for row in ROWS]
    from consistency.eval.frame import read_jsonl

    assert read_jsonl(path, ["premise"], "a pair file")[0]["premise"] == ROWS[0]["premise"]
