"""`consistency bench ...` through CliRunner, on fake backends and tiny files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from conftest import CLEAN, CLEAN_2, CONTRA_2, CONTRADICTORY, DOC, write_jsonl

from consistency.cli import bench as cli_bench
from consistency.cli import main
from consistency.runtime.spec import ModelSpec
from consistency.testing import FakeEmbedder, FakeNLI


@pytest.fixture(autouse=True)
def fake_models(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every bench command gets fake backends; records the model options it was called with."""
    calls: list[dict[str, Any]] = []

    def load_nli(spec: ModelSpec) -> FakeNLI:
        calls.append({"nli_model": spec.nli_model, "device": spec.device or "auto", "dtype": spec.dtype or "auto",
                      "batch_size": spec.batch_size, "max_length": spec.nli_max_length})
        return FakeNLI(batch_size=spec.batch_size)

    monkeypatch.setattr(ModelSpec, "load_nli", load_nli)
    monkeypatch.setattr(ModelSpec, "load_embedder", lambda spec: FakeEmbedder())
    return calls


@pytest.fixture
def docs_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "docs.jsonl", [
        {"text": CONTRADICTORY, "label": "contradictory", "evidence": "The bridge did not open to traffic in 1990."},
        {"text": CLEAN, "label": "non_contradictory", "evidence": ""},
        {"text": CONTRA_2, "label": "contradictory", "evidence": ""},
        {"text": CLEAN_2, "label": "non_contradictory", "evidence": ""},
    ])


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["bench", *args], catch_exceptions=False)


def test_docs_json_has_the_required_fields(docs_file: Path, fake_models: list[dict[str, Any]]) -> None:
    result = run("docs", str(docs_file), "--json", "--threshold", "0.5", "--batch-size", "4", "--nli-max-length",
                 "256")
    assert result.exit_code == 0, result.output
    assert fake_models[0]["max_length"] == 256
    record = json.loads(result.output)
    for key in ("balanced_accuracy", "roc_auc", "false_positive_rate", "evidence_hit_rate", "threshold", "n",
                "machine", "device", "dtype", "batch_size", "models", "data_file", "data_sha256",
                "total_time_in_seconds", "samples_per_second", "latency_in_seconds"):
        assert key in record, key
    assert record["n"] == 4 and record["balanced_accuracy"] == 1.0
    assert fake_models[0]["batch_size"] == 4


def test_docs_table_and_save(docs_file: Path, tmp_path: Path) -> None:
    results = tmp_path / "results"
    result = run("docs", str(docs_file), "--pairing", "both", "--limit", "2", "--save", "--results-dir",
                 str(results))
    assert result.exit_code == 0, result.output
    assert "suite docs" in result.output and "bal-acc" in result.output
    saved = list(results.glob("docs-*-cpu-docs-both.json"))
    assert len(saved) == 1
    record = json.loads(saved[0].read_text(encoding="utf-8"))
    assert record["n"] == 2 and set(record["variants"]) == {"candidates", "all"}


def test_docs_refuses_to_calibrate_on_the_reported_file(docs_file: Path, tmp_path: Path,
                                                        fake_models: list[dict[str, Any]]) -> None:
    result = run("docs", str(docs_file), "--calibrate-on", str(docs_file))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: refusing to calibrate the threshold on '{docs_file}': it is the same file as the reported file "
        f"'{docs_file}', so the figures would be tuned on the data they report; pass --calibrate-on with a "
        "different labelled file, or a fixed --threshold X\n"
    )
    copy = tmp_path / "renamed.jsonl"
    copy.write_bytes(docs_file.read_bytes())
    result = run("docs", str(docs_file), "--calibrate-on", str(copy))
    assert result.exit_code == 1
    assert "it has the same content (sha256 " in result.output and f"'{docs_file}'" in result.output
    assert fake_models == []  # refused before a checker was built


def test_docs_refuses_a_calibration_file_of_one_class(docs_file: Path, tmp_path: Path,
                                                      fake_models: list[dict[str, Any]]) -> None:
    # Any threshold is "best" on such a file: it reported "calibrated ... balanced accuracy there 1.000".
    dev = write_jsonl(tmp_path / "dev.jsonl", [{"text": CLEAN, "label": "non_contradictory"},
                                               {"text": CLEAN_2, "label": "non_contradictory"}])
    result = run("docs", str(docs_file), "--calibrate-on", str(dev))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: calibration file '{dev}' holds only non-contradictory items (2); a threshold needs both "
        "contradictory and non-contradictory items: pass --calibrate-on with both, or a fixed --threshold X\n")
    assert fake_models == []  # refused before a model was loaded


def test_docs_threshold_and_calibration_exclude_each_other(docs_file: Path, tmp_path: Path) -> None:
    dev = write_jsonl(tmp_path / "dev.jsonl", [{"text": CLEAN, "label": "non_contradictory"}])
    result = run("docs", str(docs_file), "--threshold", "0.4", "--calibrate-on", str(dev))
    assert result.exit_code == 2
    assert "--threshold and --calibrate-on exclude each other" in result.output


def test_docs_calibrates_on_another_file(docs_file: Path, tmp_path: Path) -> None:
    dev = write_jsonl(tmp_path / "dev.jsonl", [
        {"text": CONTRADICTORY + " Later it rained.", "label": "contradictory"},
        {"text": CLEAN_2 + " Later it rained.", "label": "non_contradictory"}])  # items the report does not hold
    result = run("docs", str(docs_file), "--calibrate-on", str(dev), "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["threshold_source"] == "calibrated" and record["calibration_file"] == str(dev)


def test_docs_refuses_a_calibration_file_that_shares_items_with_the_report(docs_file: Path, tmp_path: Path) -> None:
    # A walk: a dev file of 9 reported documents and 1 other was accepted, and the report's figure rose.
    dev = write_jsonl(tmp_path / "dev.jsonl", [
        {"text": CONTRADICTORY, "label": "contradictory"}, {"text": CLEAN_2 + " Later.", "label": "non_contradictory"}])
    result = run("docs", str(docs_file), "--calibrate-on", str(dev))
    assert result.exit_code == 1 and "1 of its 2 items are also in a reported file" in result.output


def test_nli_reads_every_line_before_the_model_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A walk: a bad line 7 failed only after the model had loaded (4.5 s).
    from consistency.runtime.spec import ModelSpec

    loads: list[str] = []
    monkeypatch.setattr(ModelSpec, "load_nli", lambda self: loads.append("nli") or FakeNLI())
    pairs = tmp_path / "pairs.jsonl"
    good = json.dumps({"premise": "A man sleeps.", "hypothesis": "A man is awake.", "label": "contradiction"})
    pairs.write_text(f"{good}\n{good}\n{{\"premise\": \"x\"}}\n", encoding="utf-8")
    result = run("nli", str(pairs))
    assert result.exit_code == 1 and "line 3 has keys [premise]" in result.output and loads == []


def test_docs_bad_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"body": "x"}\n', encoding="utf-8")
    result = run("docs", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: line 1 has keys [body]; expected text, label")


def test_summaries_json_and_rule(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "summedits_tiny.jsonl", [
        {"doc": DOC, "summary": "The company reported a profit of 5 million dollars in 2022.", "label": 1},
        {"doc": DOC, "summary": "The company did not report a profit of 5 million dollars in 2022.", "label": 0},
    ])
    result = run("summaries", str(path), "--rule", "contradiction", "--json", "--pairing", "all")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["rule"] == "contradiction" and record["balanced_accuracy"] == 1.0
    assert record["files"][0]["file"] == str(path)
    table = run("summaries", str(path))
    assert table.exit_code == 0 and "either*" in table.output
    refused = run("summaries", str(path), "--calibrate-on", str(path))
    assert refused.exit_code == 1 and "refusing to calibrate" in refused.output


def test_speed_json(tmp_path: Path) -> None:
    articles = write_jsonl(tmp_path / "articles.jsonl", [
        {"article": CONTRADICTORY}, {"article": CLEAN}, {"article": CLEAN_2}, {"article": CONTRA_2}])
    result = run("speed", "--articles", str(articles), "--batch-sizes", "1,32", "--sizes", "4,8",
                 "--n-articles", "2", "--n-pairs", "4", "--n-sentences", "6", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["suite"] == "speed" and record["n"] == 2
    assert record["nli_pairs_per_second_batch_1"] and record["nli_pairs_per_second_batch_32"]
    assert [row["sentences"] for row in record["pairing_scaling"]] == [4, 8]
    table = run("speed", "--articles", str(articles), "--batch-sizes", "1", "--sizes", "4", "--n-articles", "1",
                "--n-pairs", "2", "--n-sentences", "2")
    assert table.exit_code == 0 and "NLI pairs/s" in table.output and "End to end" in table.output


def test_speed_option_errors(tmp_path: Path) -> None:
    result = run("speed", "--articles", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and "is not a file; pass --articles FILE" in result.output
    result = run("speed", "--batch-sizes", "1,x")
    assert result.exit_code == 2 and "'1,x' is not a comma-separated list of integers" in result.output
    result = run("speed", "--dtypes", "float8")
    assert result.exit_code == 2 and "unknown dtypes ['float8']" in result.output


def test_nli_json(tmp_path: Path, fake_models: list[dict[str, Any]]) -> None:
    path = write_jsonl(tmp_path / "pairs.jsonl", [
        {"premise": "The man is sleeping.", "hypothesis": "The man is not sleeping.", "label": "contradiction"},
        {"premise": "A dog runs.", "hypothesis": "The weather is cold.", "label": "neutral"},
    ])
    result = run("nli", str(path), "--model", "some/model", "--json", "--limit", "1", "--nli-max-length", "192")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["n"] == 1 and record["accuracy"] == 1.0 and "macro_f1" in record and record["suite"] == "nli"
    assert fake_models[0]["nli_model"] == "some/model" and fake_models[0]["max_length"] == 192
    table = run("nli", str(path))
    assert table.exit_code == 0 and "macro-F1" in table.output and "confusion" in table.output


def test_saved_results_of_two_models_and_of_a_rerun_are_all_kept(tmp_path: Path) -> None:
    # An evaluator ran the built-in model, then their own, on one file: the second --save replaced the first.
    path = write_jsonl(tmp_path / "pairs.jsonl", [
        {"premise": "The man is sleeping.", "hypothesis": "The man is not sleeping.", "label": "contradiction"}])
    results = tmp_path / "results"
    for model in (None, "my/tiny-nli", None):
        result = run("nli", str(path), "--save", "--results-dir", str(results),
                     *(["--nli-model", model] if model else []))
        assert result.exit_code == 0, result.output
    names = sorted(p.name.split("-cpu-")[1] for p in results.glob("nli-*.json"))
    assert names == ["pairs-2.json", "pairs-tiny-nli.json", "pairs.json"]
    # a walk: a tag dropped the model's name, and a second opinion or a dtype made only -2, -3; --tag alone saved
    # nothing
    for extra in (["--tag", "cmp", "--nli-model", "my/tiny-nli"], ["--second-opinion", "accurate"],
                  ["--dtype", "float32"]):
        assert run("nli", str(path), "--results-dir", str(results), *extra, *(
            [] if "--tag" in extra else ["--save"])).exit_code == 0
    names = sorted(p.name.split("-cpu-")[1] for p in results.glob("nli-*.json"))
    assert {"cmp-tiny-nli.json", "pairs-second-accurate.json", "pairs-float32.json"} <= set(names)


def test_bench_help_does_not_import_torch() -> None:
    code = ("import sys; from consistency.cli import main\n"
            "try:\n    main(['bench', 'docs', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")


def test_rule_choices_match_the_library() -> None:
    from consistency.eval.summaries_suite import RULES

    rule = next(p for p in cli_bench.summaries.params if p.name == "rule")
    assert isinstance(rule.type, click.Choice) and tuple(rule.type.choices) == RULES


def test_items_keep_each_pair_and_each_document_in_the_json(docs_file: Path, tmp_path: Path) -> None:
    # An evaluator wanted item-level outcomes to compare models and compute their own metrics.
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [
        {"premise": "The man is sleeping.", "hypothesis": "The man is not sleeping.", "label": "contradiction",
         "phenomenon": "polarity"},
        {"premise": "A dog runs.", "hypothesis": "A dog runs.", "label": "entailment"}])
    record = json.loads(run("nli", str(pairs), "--json", "--items").output)
    assert [(i["index"], i["label"], i["predicted"]) for i in record["items"]] == [
        (0, "contradiction", "contradiction"), (1, "entailment", "entailment")]
    first = record["items"][0]
    assert first["phenomenon"] == "polarity" and "phenomenon" not in record["items"][1]
    assert first["entailment"] + first["neutral"] + first["contradiction"] == pytest.approx(1.0, abs=1e-3)
    assert "items" not in json.loads(run("nli", str(pairs), "--json").output)  # only on request

    record = json.loads(run("docs", str(docs_file), "--json", "--items", "--pairing", "both", "-t", "0.5").output)
    docs = record["items"]
    assert [d["label"] for d in docs] == ["contradictory", "non_contradictory", "contradictory", "non_contradictory"]
    assert [d["flagged"] for d in docs] == [d["score"] >= 0.5 for d in docs]
    assert docs[0]["evidence_hit"] is True and docs[1]["evidence_hit"] is None and docs[0]["top_pair"]
    assert "items" not in record["variants"]["candidates"] and len(record["variants"]["all"]["items"]) == 4


def test_a_split_the_file_lacks_fails_before_the_model_loads(tmp_path: Path, fake_models: list[dict[str, Any]]) -> None:
    # A researcher's walk: "has no pairs with split 'report'" came after 9 s of model loading.
    pairs = write_jsonl(tmp_path / "rte.jsonl", [
        {"premise": "A man sleeps.", "hypothesis": "A man is awake.", "label": "contradiction", "split": "dev"}])
    result = run("nli", str(pairs), "--split", "report")
    assert result.exit_code != 0 and "has no pairs with split 'report'; its splits are ['dev']" in result.output
    assert fake_models == []


def test_speed_refuses_float16_on_the_cpu_by_its_option_before_loading(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A walk: --dtypes float16 --device cpu loaded the models (6 s), then named --dtype, an option it had not used.
    from consistency.runtime.spec import ModelSpec

    loads: list[str] = []
    monkeypatch.setattr(ModelSpec, "load_nli", lambda self: loads.append("nli") or FakeNLI())
    articles = write_jsonl(tmp_path / "a.jsonl", [{"text": "The plant opened. It closed. It reopened."}])
    result = run("speed", "--articles", str(articles), "--dtypes", "float16", "--device", "cpu")
    assert result.exit_code == 2 and "use --dtypes float32,bfloat16 there" in result.output and loads == []
