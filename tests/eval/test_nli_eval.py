"""Evaluation of NLI backends on labelled pair files: reading, metrics, 2-way scoring, tables."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from conftest import shared_data_or_skip

from consistency.errors import DataError
from consistency.eval.nli_eval import (
    THREE_WAY,
    TWO_WAY,
    LabelledPair,
    evaluate,
    evaluate_file,
    expected_calibration_error,
    format_detail,
    format_table,
    read_pairs,
    score_predictions,
)
from consistency.testing import FakeNLI
from consistency.types import NLIScores

CONTRA = {"premise": "The man is sleeping.", "hypothesis": "The man is not sleeping.", "label": "contradiction",
          "source": "t", "split": "dev", "id": "1"}
ENTAIL = {"premise": "A dog runs in the park.", "hypothesis": "A dog runs.", "label": "entailment",
          "source": "t", "split": "dev", "id": "2"}
NEUTRAL = {"premise": "A cat sat on the mat.", "hypothesis": "The weather is nice.", "label": "neutral",
           "source": "t", "split": "dev", "id": "3"}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def write_rows(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    return write_lines(path, [json.dumps(row) for row in rows])


def s(e: float, n: float, c: float) -> NLIScores:
    return NLIScores(entailment=e, neutral=n, contradiction=c)


# --- metrics -----------------------------------------------------------------------------------


def three_way_case() -> tuple[list[str], list[NLIScores]]:
    gold = ["entailment", "entailment", "neutral", "contradiction", "contradiction", "contradiction"]
    scores = [
        s(0.7, 0.2, 0.1),  # entailment, right
        s(0.1, 0.2, 0.7),  # contradiction, wrong
        s(0.55, 0.35, 0.1),  # entailment, wrong (neutral is never predicted)
        s(0.1, 0.08, 0.82),  # contradiction, right
        s(0.2, 0.1, 0.7),  # contradiction, right
        s(0.45, 0.25, 0.3),  # entailment, wrong
    ]
    return gold, scores


def test_three_way_metrics_by_hand() -> None:
    gold, scores = three_way_case()
    result = score_predictions(gold, scores, name="hand.jsonl", model="m", seconds=2.0)
    assert result.scheme == "3-way"
    assert result.labels == THREE_WAY
    assert result.n == 6
    assert result.accuracy == pytest.approx(0.5)
    assert result.confusion == ((1, 0, 1), (1, 0, 0), (1, 0, 2))  # rows gold, columns predicted
    ent, neu, con = (result.per_class[label] for label in THREE_WAY)
    assert (ent.precision, ent.recall, ent.f1, ent.support) == pytest.approx((1 / 3, 1 / 2, 0.4, 2))
    assert (neu.precision, neu.recall, neu.f1, neu.support) == (0.0, 0.0, 0.0, 1)  # never predicted: 0, no crash
    assert (con.precision, con.recall, con.f1, con.support) == pytest.approx((2 / 3, 2 / 3, 2 / 3, 3))
    assert result.macro_f1 == pytest.approx((0.4 + 0.0 + 2 / 3) / 3)
    assert result.contradiction_precision == pytest.approx(2 / 3)
    assert result.contradiction_recall == pytest.approx(2 / 3)
    # bins of width 1/15: {0.7 x3: 2 right} {0.55: wrong} {0.82: right} {0.45: wrong}
    expected_ece = 3 / 6 * abs(0.7 - 2 / 3) + 1 / 6 * 0.55 + 1 / 6 * 0.18 + 1 / 6 * 0.45
    assert result.ece == pytest.approx(expected_ece)
    assert result.seconds == 2.0
    assert result.pairs_per_second == pytest.approx(3.0)


def test_macro_f1_leaves_out_a_label_absent_from_gold_and_predictions() -> None:
    result = score_predictions(["entailment", "contradiction"], [s(0.8, 0.1, 0.1), s(0.1, 0.1, 0.8)])
    assert result.accuracy == 1.0
    assert result.macro_f1 == 1.0
    assert result.per_class["neutral"].support == 0


def test_expected_calibration_error_by_hand() -> None:
    assert expected_calibration_error([0.9, 0.9, 0.62, 0.62], [True, False, True, True]) == pytest.approx(
        0.5 * 0.4 + 0.5 * 0.38
    )
    assert expected_calibration_error([1.0, 1.0], [True, True]) == 0.0
    assert expected_calibration_error([0.0], [False]) == 0.0  # a confidence of 0 falls in the first bin
    assert expected_calibration_error([], []) == 0.0
    with pytest.raises(ValueError):
        expected_calibration_error([0.5], [])


def test_two_way_scoring_sums_neutral_and_contradiction() -> None:
    gold = ["entailment", "not_entailment", "not_entailment", "entailment"]
    scores = [
        s(0.6, 0.3, 0.1),  # entailment 0.6 > 0.4: right
        s(0.3, 0.3, 0.4),  # not_entailment 0.7: right
        s(0.45, 0.3, 0.25),  # 3-way argmax is entailment, but 0.45 < 0.55: not_entailment, right
        s(0.2, 0.7, 0.1),  # not_entailment: wrong
    ]
    result = score_predictions(gold, scores, name="rte")
    assert result.scheme == "2-way"
    assert result.labels == TWO_WAY
    assert result.confusion == ((1, 1), (0, 2))
    assert result.accuracy == pytest.approx(0.75)
    ent, rest = result.per_class["entailment"], result.per_class["not_entailment"]
    assert (ent.precision, ent.recall, ent.f1) == pytest.approx((1.0, 0.5, 2 / 3))
    assert (rest.precision, rest.recall, rest.f1) == pytest.approx((2 / 3, 1.0, 0.8))
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert result.contradiction_precision is None
    assert result.contradiction_recall is None
    # confidences 0.6 (right), 0.7 (right), 0.55 (right), 0.8 (wrong), each alone in its bin
    assert result.ece == pytest.approx((0.4 + 0.3 + 0.45 + 0.8) / 4)
    as_dict = result.to_dict()
    assert as_dict["contradiction_precision"] is None
    assert as_dict["contradiction_recall"] is None
    assert as_dict["labels"] == ["entailment", "not_entailment"]


def test_two_way_collapses_three_way_gold_labels_in_a_mixed_file() -> None:
    result = score_predictions(["not_entailment", "contradiction", "neutral"], [s(0.1, 0.1, 0.8)] * 3)
    assert result.scheme == "2-way"
    assert result.confusion == ((0, 0), (0, 3))
    assert result.accuracy == 1.0


def test_score_predictions_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        score_predictions(["entailment", "neutral"], [s(1, 0, 0)])


def test_to_dict_has_the_documented_keys_and_is_json() -> None:
    gold, scores = three_way_case()
    data = score_predictions(gold, scores, name="hand.jsonl", model="m", seconds=1.0).to_dict()
    for key in ("file", "model", "accuracy", "macro_f1", "n", "per_class", "confusion",
                "contradiction_precision", "contradiction_recall", "ece", "seconds"):
        assert key in data
    assert data["per_class"]["neutral"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert data["confusion"] == [[1, 0, 1], [1, 0, 0], [1, 0, 2]]
    assert json.loads(json.dumps(data)) == data


# --- reading -----------------------------------------------------------------------------------


def test_read_pairs_reads_the_shared_format(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "pairs.jsonl", [CONTRA, ENTAIL, {**NEUTRAL, "id": None}])
    pairs = read_pairs(path)
    assert pairs[0] == LabelledPair("The man is sleeping.", "The man is not sleeping.", "contradiction",
                                    "t", "dev", "1")
    assert [p.label for p in pairs] == ["contradiction", "entailment", "neutral"]
    assert pairs[2].id is None


def test_read_pairs_limit_keeps_the_first_pairs(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "pairs.jsonl", [CONTRA, ENTAIL, NEUTRAL])
    assert [p.id for p in read_pairs(path, limit=2)] == ["1", "2"]
    with pytest.raises(ValueError, match="limit must be at least 1"):
        read_pairs(path, limit=0)


def test_read_pairs_gzip(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(ENTAIL) + "\n" + json.dumps(NEUTRAL) + "\n")
    assert [p.label for p in read_pairs(path)] == ["entailment", "neutral"]


def test_read_pairs_control_format(tmp_path: Path) -> None:
    rows = [{"uid": "id_0", "premise": "A long passage.", "hypothesis": "A claim.", "label": "n"},
            {"uid": "id_1", "premise": "A long passage.", "hypothesis": "Another claim.", "label": "c"},
            {"uid": "id_2", "premise": "A long passage.", "hypothesis": "A third claim.", "label": "e"}]
    pairs = read_pairs(write_rows(tmp_path / "control_dev.jsonl", rows))
    assert [p.label for p in pairs] == ["neutral", "contradiction", "entailment"]
    assert [p.id for p in pairs] == ["id_0", "id_1", "id_2"]
    assert {p.source for p in pairs} == {"control_dev"}
    assert {p.split for p in pairs} == {""}


def test_read_pairs_real_control_file() -> None:
    pairs = read_pairs(shared_data_or_skip("nli/eval/control_dev.jsonl"), limit=5)
    assert len(pairs) == 5
    assert pairs[0].id == "id_0"
    assert {p.label for p in pairs} <= set(THREE_WAY)


def test_bad_line_names_file_line_and_keys(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps(CONTRA), json.dumps(ENTAIL),
                                                json.dumps({"premise": "a", "text": "b"})])
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == f"{path}: line 3 has keys [premise, text]; expected premise, hypothesis, label"


def test_blank_lines_are_skipped_but_still_counted(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps(CONTRA), "", "not json"])
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == (f"{path}: line 3 is not valid JSON (Expecting value); each line must be one "
                                "JSON object with keys premise, hypothesis, label")


def test_unknown_label_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "bad.jsonl", [{**CONTRA, "label": "maybe"}])
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == (f'{path}: line 1 has label "maybe"; expected one of entailment, neutral, '
                                "contradiction, not_entailment (or e, n, c)")


def test_integer_label_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="line 1 has label 0; expected one of"):
        read_pairs(write_rows(tmp_path / "bad.jsonl", [{**CONTRA, "label": 0}]))


def test_a_file_that_mixes_the_two_label_schemes_is_refused(tmp_path: Path) -> None:
    # A walk: one not_entailment among 3-way labels silently scored the whole file 2-way.
    rows = [CONTRA, {**CONTRA, "label": "neutral"}, {**CONTRA, "label": "not_entailment"}]
    with pytest.raises(DataError, match=r"mixes 2-way and 3-way labels: not_entailment \(line 3\) and neutral "
                                        r"\(line 2\); use one scheme per file"):
        read_pairs(write_rows(tmp_path / "mixed.jsonl", rows))


def test_a_split_the_file_does_not_have_and_the_pairs_ids_in_items(tmp_path: Path) -> None:
    from consistency.eval.nli_eval import pair_items, select_pairs

    path = write_rows(tmp_path / "plain.jsonl", [{**CONTRA, "id": "p-1", "split": ""}])
    with pytest.raises(DataError, match="has no pairs with split 'dev'; it has no split field: leave --split out"):
        select_pairs(path, split="dev")
    [item] = pair_items(read_pairs(path), [s(0.1, 0.1, 0.8)], two_way=False)
    assert item["id"] == "p-1"  # a walk could join two models' items only by position


def test_non_object_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", ['["a", "b", "entailment"]'])
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == f"{path}: line 1 is a JSON list, not an object; expected keys premise, hypothesis, label"


def test_empty_premise(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "bad.jsonl", [{**CONTRA, "premise": " "}])
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == f'{path}: line 1 has premise " "; expected a non-empty string'


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == (f"pair file '{path}' does not exist; pass a JSONL file with one "
                                "{premise, hypothesis, label} object per line")


@pytest.mark.parametrize("content", ["", "\n  \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text(content)
    with pytest.raises(DataError) as error:
        read_pairs(path)
    assert str(error.value) == (f"pair file '{path}' is empty; it needs one JSON object per line with keys "
                                "premise, hypothesis, label")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        read_pairs(tmp_path)


def test_plain_text_named_gz_is_refused(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "pairs.jsonl.gz", [CONTRA])
    with pytest.raises(DataError, match=r"cannot be read as UTF-8 JSONL \(gzip\)"):
        read_pairs(path)


# --- evaluate with the fake backend ------------------------------------------------------------


def test_evaluate_with_fake_nli() -> None:
    pairs = [LabelledPair(**row) for row in (CONTRA, ENTAIL, NEUTRAL)]  # type: ignore[arg-type]
    nli = FakeNLI(batch_size=2)
    result = evaluate(pairs, nli, "mini")
    assert nli.calls == 2
    assert sorted(nli.seen) == sorted((p.premise, p.hypothesis) for p in pairs)
    assert result.file == "mini"
    assert result.model == "fake-nli"
    assert result.batch_size == 2
    assert result.n == 3
    assert result.accuracy == 1.0
    assert result.macro_f1 == 1.0
    assert result.confusion == ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    assert result.contradiction_precision == 1.0
    assert result.seconds > 0


def test_evaluate_file_limit_and_fake_backend(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "pairs.jsonl", [CONTRA, ENTAIL, NEUTRAL])
    nli = FakeNLI()
    result = evaluate_file(path, nli=nli, limit=2)
    assert result.n == 2
    assert result.file == str(path)
    assert sorted(nli.seen) == sorted([(CONTRA["premise"], CONTRA["hypothesis"]),
                                       (ENTAIL["premise"], ENTAIL["hypothesis"])])


def test_evaluate_file_refuses_model_path_and_backend(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "pairs.jsonl", [CONTRA])
    with pytest.raises(ValueError, match="either nli or model_path"):
        evaluate_file(path, model_path="some/model", nli=FakeNLI())


def test_evaluate_refuses_no_pairs() -> None:
    with pytest.raises(DataError, match="no pairs to evaluate for 'x'"):
        evaluate([], FakeNLI(), "x")


# --- tables ------------------------------------------------------------------------------------


def test_format_table_and_detail() -> None:
    gold, scores = three_way_case()
    three = score_predictions(gold, scores, name="../data/snli_test.jsonl", model="m", seconds=1.0)
    two = score_predictions(["entailment", "not_entailment"], [s(0.9, 0.05, 0.05), s(0.1, 0.1, 0.8)],
                            name="rte_dev.jsonl", model="m", seconds=1.0)
    table = format_table([three, two]).splitlines()
    assert table[0] == "model: m"
    assert table[1].split() == ["file", "n", "acc", "macro-F1", "con-P", "con-R", "ECE", "pairs/s"]
    assert table[3].split() == ["snli_test.jsonl", "6", "0.500", "0.356", "0.667", "0.667", "0.213", "6.0"]
    assert table[4].split() == ["rte_dev.jsonl", "(2-way)", "2", "1.000", "1.000", "-", "-", "0.100", "2.0"]

    other = score_predictions(gold, scores, name="snli_test.jsonl", model="other", seconds=1.0)
    assert format_table([three, other]).splitlines()[0].split()[:2] == ["file", "model"]
    assert format_table([]) == "(no results)"

    detail = format_detail(three)
    assert "neutral            0.000   0.000  0.000        1" in detail
    assert "contradiction              1        0              2" in detail
    assert "confusion (rows gold, columns predicted)" in detail
