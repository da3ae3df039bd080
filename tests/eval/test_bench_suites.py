"""Smoke tests of every benchmark suite on tiny inputs with the fake backends (fast; run in CI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, CLEAN_2, CONTRA_2, CONTRADICTORY, DOC, write_jsonl

from consistency.build_info import code_version
from consistency.checker import Checker
from consistency.errors import DataError
from consistency.eval.docs_suite import format_docs, read_docs, run_docs
from consistency.eval.nli_suite import format_nli, run_nli
from consistency.eval.speed_suite import build_article, format_speed, run_speed
from consistency.eval.summaries_suite import RULES, format_summaries, run_summaries
from consistency.pairing import PairingSettings
from consistency.summary_check import summary_pairs
from consistency.testing import FakeEmbedder, FakeNLI
from consistency.text.segment import segment


@pytest.fixture
def checker() -> Checker:
    return Checker(nli=FakeNLI(batch_size=8), embedder=FakeEmbedder())


@pytest.fixture
def docs_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "docs.jsonl", [
        {"id": "c1", "text": CONTRADICTORY, "label": "contradictory", "doc_type": "wiki", "scope": ["local"],
         "evidence": "The bridge did not open to traffic in 1990."},
        {"id": "n1", "text": CLEAN, "label": "non_contradictory", "doc_type": "wiki", "scope": "", "evidence": ""},
        {"id": "n2", "text": CLEAN_2, "label": "non_contradictory", "doc_type": "story", "evidence": ""},
        {"id": "c2", "text": CONTRA_2, "label": "contradictory", "doc_type": "story", "scope": "local",
         "evidence": "This sentence was cut from the text."},
    ])


@pytest.fixture
def summaries_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "summedits_tiny.jsonl", [
        {"id": "s1", "doc": DOC, "summary": "The company reported a profit of 5 million dollars in 2022.", "label": 1},
        {"id": "s2", "doc": DOC, "summary": "The company did not report a profit of 5 million dollars in 2022.",
         "label": 0, "edit_types": ["negation"]},
        {"id": "s3", "doc": DOC, "summary": "The firm opened two new stores in Oslo.", "label": "1"},
        {"id": "s4", "doc": DOC, "summary": "The company reported a profit of 9 million dollars in 2022.",
         "label": "0"},
    ])


def test_docs_suite_scores_and_reports_every_metric(checker: Checker, docs_file: Path) -> None:
    record = run_docs(checker, docs_file, threshold=0.5)
    for key in ("balanced_accuracy", "roc_auc", "false_positive_rate", "evidence_hit_rate", "threshold", "n",
                "machine", "device", "dtype", "batch_size", "models", "data_file", "data_sha256",
                "total_time_in_seconds", "samples_per_second", "latency_in_seconds"):
        assert key in record, key
    assert record["n"] == 4 and record["n_contradictory"] == 2
    assert record["balanced_accuracy"] == 1.0 and record["roc_auc"] == 1.0
    assert record["false_positive_rate"] == 0.0
    assert record["evidence_in_text"] == 1  # c2's evidence is not in its text
    assert record["evidence_hit_rate"] == 1.0 and record["evidence_top1_rate"] == 1.0
    assert record["threshold_source"] == "fixed"
    assert record["models"] == {"nli": "fake-nli", "embedding": "fake-embedder", "consistency": code_version()}
    assert set(record["by_doc_type"]) == {"story", "wiki"}
    json.dumps(record)  # serialisable
    table = format_docs(record)
    assert "bal-acc" in table and "candidates" in table


def test_docs_suite_limit_pairing_both_and_calibration(checker: Checker, docs_file: Path, tmp_path: Path) -> None:
    dev = write_jsonl(tmp_path / "dev.jsonl", [
        {"text": CONTRA_2 + " Later it rained.", "label": "contradictory", "evidence": ""},
        {"text": CLEAN + " Later it rained.", "label": "non_contradictory", "evidence": ""},
    ])
    record = run_docs(checker, docs_file, calibrate_on=dev, pairings=("candidates", "all"), limit=2, progress=True)
    assert record["n"] == 2 and record["data"][0]["n"] == 2
    assert set(record["variants"]) == {"candidates", "all"}
    assert record["threshold_source"] == "calibrated" and record["calibration_file"] == str(dev)
    assert 0.05 < record["threshold"] <= 0.85
    assert "calibrated on" in format_docs(record)


def test_docs_suite_refuses_to_calibrate_on_the_reported_file(checker: Checker, docs_file: Path,
                                                              tmp_path: Path) -> None:
    with pytest.raises(DataError, match="refusing to calibrate the threshold on .*it is the same file"):
        run_docs(checker, docs_file, calibrate_on=docs_file)
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(docs_file.read_bytes())
    with pytest.raises(DataError, match="it has the same content"):
        run_docs(checker, docs_file, calibrate_on=copy)
    fake = checker.nli
    assert isinstance(fake, FakeNLI) and fake.calls == 0  # refused before any model work


def test_docs_and_summaries_errors_name_the_line_and_what_is_wrong(tmp_path: Path) -> None:
    # A walk: "item 6" for a row on line 7 (blank lines above it), and a text of 12345 called "empty".
    from consistency.eval.summaries_suite import read_summaries

    docs = tmp_path / "docs.jsonl"
    docs.write_text('{"text": "A.", "label": "contradictory"}\n\n{"text": "B.", "label": "maybe"}\n', "utf-8")
    with pytest.raises(DataError, match="line 3 has label 'maybe'"):
        read_docs(docs)
    docs.write_text('{"text": 12345, "label": "contradictory"}\n', "utf-8")
    with pytest.raises(DataError, match="line 1 has text 12345, a number; every document needs its text"):
        read_docs(docs)
    summaries = tmp_path / "summaries.jsonl"
    summaries.write_text('{"doc": ["a"], "summary": "B.", "label": "1"}\n', "utf-8")
    with pytest.raises(DataError, match=r'line 1 has doc \["a"\], not text'):
        read_summaries(summaries)
    docs.write_text('{"text": true, "label": "contradictory"}\n', "utf-8")  # a bool is an int to Python
    with pytest.raises(DataError, match="line 1 has text true, a boolean; every document needs its text"):
        read_docs(docs)


def test_docs_reader_rejects_unknown_labels(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": "A b.", "label": "yes"}])
    with pytest.raises(DataError, match="label 'yes'; expected one of contradictory, non_contradictory"):
        read_docs(path)


def test_summaries_suite_reports_every_rule(checker: Checker, summaries_file: Path) -> None:
    record = run_summaries(checker, [summaries_file], threshold=0.5, pairings=("candidates", "all"))
    assert record["rule"] == "either" and record["n"] == 4
    assert record["balanced_accuracy"] is not None
    entry = record["files"][0]
    assert set(entry["rules"]) == set(RULES)
    # negated / changed-number summaries are contradicted by the document's first claim
    assert entry["rules"]["contradiction"]["balanced_accuracy"] == 1.0
    assert entry["rules"]["contradiction"]["roc_auc"] == 1.0
    assert set(record["variants"]) == {"candidates", "all"}
    table = format_summaries(record)
    assert "contradiction" in table and "doc-unsupported" in table and "SummaC-Conv 61.9" in table


def test_summaries_table_names_summaries_with_no_checkable_sentence(checker: Checker, tmp_path: Path) -> None:
    # A walk: a question-only summary scored 0 on every rule, counted consistent, and only the JSON said so.
    path = write_jsonl(tmp_path / "q.jsonl", [
        {"doc": DOC, "summary": "Who runs the company?", "label": 0},
        {"doc": DOC, "summary": "Its chief executive is Anna Berg.", "label": 1},
    ])
    record = run_summaries(checker, [path], threshold=0.5, items=True)
    assert "note: q.jsonl (candidates): 1 summaries have no checkable sentence" in format_summaries(record)
    # --items: each summary's outcome, to compare two models' runs summary by summary (a walk found none)
    question, answer = record["files"][0]["items"]
    assert (question["sentences"], question["either"], question["consistent"]) == (0, 0.0, False)
    assert answer["sentences"] == 1 and set(RULES) <= set(answer)


def test_summaries_refuses_a_file_given_twice_and_a_chance_calibration_says_so(checker: Checker,
                                                                             summaries_file: Path) -> None:
    # A walk: the same file twice counted twice in the mean; a calibration at chance read as a tuned threshold.
    from consistency.eval.metrics import ThresholdChoice

    with pytest.raises(DataError, match="given more than once; pass each file once"):
        run_summaries(checker, [summaries_file, summaries_file], threshold=0.5)
    chance = ThresholdChoice(0.87, "calibrated", "dev.jsonl", "ab", 8, 0.5).describe()
    assert chance.endswith("no better than chance there, so this threshold is not a tuned one")
    assert "chance" not in ThresholdChoice(0.6, "calibrated", "dev.jsonl", "ab", 8, 0.75).describe()


def test_summaries_suite_calibrates_per_rule_elsewhere(checker: Checker, summaries_file: Path,
                                                       tmp_path: Path) -> None:
    dev = write_jsonl(tmp_path / "dev.jsonl", [
        {"doc": DOC, "summary": "Its chief executive is Anna Berg.", "label": 1},
        {"doc": DOC, "summary": "Its chief executive is not Anna Berg.", "label": 0},
    ])
    record = run_summaries(checker, [summaries_file], calibrate_on=dev, rule="contradiction")
    assert record["threshold_source"] == "calibrated"
    assert set(record["thresholds"]) == set(RULES)
    with pytest.raises(DataError, match="refusing to calibrate"):
        run_summaries(checker, [dev, summaries_file], calibrate_on=summaries_file)


def test_summaries_reader(summaries_file: Path) -> None:
    from consistency.eval.summaries_suite import read_summaries

    items = read_summaries(summaries_file)
    assert [item.consistent for item in items] == [True, False, True, False]
    assert items[0].edit_types == () and items[1].edit_types == ("negation",)
    assert [item.id for item in read_summaries(summaries_file, limit=2)] == ["s1", "s2"]


def test_summary_pairs_cover_every_summary_sentence() -> None:
    claims = segment(" ".join(f"Sentence number {i} talks about topic {i}." for i in range(30))
                     + " Unrelated words entirely here.").claims
    n_doc = len(claims) - 1
    vectors = FakeEmbedder().embed([c.text for c in claims])
    pairs = summary_pairs(claims, n_doc, vectors, PairingSettings(), "candidates")
    assert pairs and all(p.a < n_doc <= p.b for p in pairs)
    assert {p.b for p in pairs} == {n_doc}
    assert len(summary_pairs(claims, n_doc, vectors, PairingSettings(), "all")) == n_doc


def test_nli_suite_wraps_nli_eval(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "pairs.jsonl", [
        {"premise": "The man is sleeping.", "hypothesis": "The man is not sleeping.", "label": "contradiction"},
        {"premise": "The man is sleeping in the park.", "hypothesis": "The man is sleeping.", "label": "entailment"},
        {"premise": "A dog runs.", "hypothesis": "The weather is cold.", "label": "neutral"},
    ])
    record = run_nli(FakeNLI(), path, limit=2)
    assert record["n"] == 2 and record["accuracy"] == 1.0 and "macro_f1" in record
    assert record["suite"] == "nli" and record["data_sha256"]
    assert "confusion" in format_nli(record)


def test_speed_suite_on_tiny_articles(checker: Checker, tmp_path: Path) -> None:
    articles = write_jsonl(tmp_path / "articles.jsonl.gz".replace(".gz", ""), [
        {"article": CONTRADICTORY}, {"article": CLEAN}, {"article": CLEAN}, {"text": CLEAN_2}, {"article": CONTRA_2},
        {"article": DOC},
    ])
    record = run_speed(checker, articles, batch_sizes=(1, 4), n_pairs=6, n_sentences=8, n_articles=3, sizes=(5, 9))
    assert record["n"] == 3 and record["data"][0]["n"] == 5  # the duplicate article is counted once
    assert record["nli_pairs_per_second_batch_1"] is not None
    assert [row["batch_size"] for row in record["nli_throughput"]] == [1, 4]
    assert {row["dtype"] for row in record["embedder_throughput"]} == {"n/a"}
    assert record["skipped"]  # fakes have no dtype to sweep: said, not hidden
    stages = record["end_to_end"]["stage_seconds_per_article"]
    assert set(stages) == {"segment", "embed", "pair", "nli", "report"}
    sizes = [row["sentences"] for row in record["pairing_scaling"]]
    assert sizes == [5, 9]
    for row in record["pairing_scaling"]:
        assert row["all_pairs"] == row["sentences"] * (row["sentences"] - 1) // 2 == row["pairs_possible"]
    table = format_speed(record)
    assert "batch 1" in table and "batch 32 -" in table and "NLI model size on disk" in table


def test_build_article_cuts_at_the_nth_claim() -> None:
    text, n, used = build_article([CONTRADICTORY, CLEAN, CLEAN_2], 6)
    assert n == 6 and used == 2
    assert len(segment(text).claims) == 6


def test_docs_limit_takes_every_label_and_type_in_turn(tmp_path: Path) -> None:
    rows = [{"id": f"{label[0]}{kind[0]}{i}", "text": CLEAN, "label": label, "doc_type": kind}
            for label in ("contradictory", "non_contradictory") for kind in ("story", "wiki") for i in range(3)]
    path = write_jsonl(tmp_path / "sorted.jsonl", rows)  # sorted by label, then by type, as ContraDoc is
    assert [item.id for item in read_docs(path, 4)] == ["cs0", "cw0", "ns0", "nw0"]
    assert [item.id for item in read_docs(path, 6)] == ["cs0", "cs1", "cw0", "cw1", "ns0", "nw0"]


def test_the_ablation_script_runs_end_to_end_and_names_its_model(docs_file: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A researcher's walk: the documented ablation command crashed after its NLI work ("'CachedNLI' object has no
    # attribute 'max_length'"), and no test ran it.
    from benchmarks.ablation_scoring import main

    data = tmp_path / "data"
    (data / "nli" / "eval").mkdir(parents=True)
    write_jsonl(data / "nli" / "eval" / "snli_test.jsonl", [
        {"premise": "The bridge opened in 1990.", "hypothesis": "The bridge did not open in 1990.",
         "label": "contradiction"},
        {"premise": "The bridge opened in 1990.", "hypothesis": "A bridge opened.", "label": "entailment"},
    ])
    results = tmp_path / "results"
    results.mkdir()
    code = main(["--limit", "4", "--pairs", "2", "--docs", str(docs_file), "--data", str(data), "--save",
                 "--results-dir", str(results), "--synthetic", str(tmp_path / "none.jsonl")],  # not models/work's
                nli=FakeNLI(batch_size=8), embedder=FakeEmbedder())
    assert code == 0
    (saved,) = results.glob("ablation-*.json")
    record = json.loads(saved.read_text(encoding="utf-8"))
    assert record["models"]["nli"] == "fake-nli" and len(record["docs"]) == 6
    assert {row["file"] for row in record["pairs"]} == {"snli_test.jsonl"}
    assert "views" in capsys.readouterr().out


def test_a_saved_result_says_which_code_made_it_and_how_busy_the_machine_was(checker: Checker,
                                                                              docs_file: Path) -> None:
    # A researcher's walk: two saved runs of one model, file and limit differed, and neither said which commit
    # made it (or that the machine was shared).
    from conftest import REPO_ROOT

    from consistency import __version__

    machine = run_docs(checker, docs_file, threshold=0.5)["machine"]
    assert machine["code"]["version"] == __version__
    assert isinstance(machine["load_average_1min"], float)
    if (REPO_ROOT / ".git").exists():
        assert len(machine["code"]["commit"]) == 40 and isinstance(machine["code"]["dirty"], bool)


def test_a_failed_corpus_child_is_told_in_its_own_error_line() -> None:
    # A walk: a bad --nli-model in bench corpus printed traceback fragments inside the one-line error.
    from consistency.eval.corpus_suite import child_failure

    traceback = ("Traceback (most recent call last):\n  File \"resolve.py\", line 121, in local_files_only\n"
                 "consistency.errors.ModelError: NLI model path '/x' does not exist; pass a folder")
    assert child_failure(traceback) == "NLI model path '/x' does not exist; pass a folder"
    assert child_failure("killed\nout of memory") == "killed | out of memory"
