"""`consistency bench clean` through CliRunner, on fake backends and a tiny made-up docs folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CLEAN, CONTRADICTORY, write_jsonl

from consistency.cli import main
from consistency.eval.article_split import is_measurement_article

FLAWED = "The bridge opened to traffic in 1990. The bridge did not open to traffic in 1990."


def measurement_side(text: str) -> str:
    return next(f"{text} It rained {n} times." for n in range(2000) if is_measurement_article(f"{text} It rained "
                                                                                                f"{n} times."))


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    with gzip.open(folder / "frank.jsonl.gz", "wt", encoding="utf-8") as handle:
        for text in (measurement_side(FLAWED), measurement_side(CLEAN)):
            handle.write(json.dumps({"article": text}) + "\n")
    write_jsonl(folder / "contradoc_wiki_story.jsonl", [
        {"text": CONTRADICTORY, "label": "contradictory"}, {"text": CLEAN, "label": "non_contradictory"}])
    return folder


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["bench", "clean", *args], catch_exceptions=False)


def test_clean_table(docs: Path, fake_models: None, tmp_path: Path) -> None:
    result = run("--docs", str(docs), "--judged", str(write_jsonl(tmp_path / "j.jsonl", [
        {"article": "0" * 40, "claim_a": "a", "claim_b": "b", "judgement": "false_alarm"}])))
    assert result.exit_code == 0, result.output
    assert "suite clean" in result.output and "flagged share" in result.output
    assert "0 of this run's findings match" in result.output and "false-alarm share -;" in result.output


def test_clean_json_one_source_and_save(docs: Path, fake_models: None, tmp_path: Path) -> None:
    results = tmp_path / "results"
    result = run("--docs", str(docs), "--source", "frank", "--json", "--threshold", "0.6", "--save",
                 "--results-dir", str(results))
    assert result.exit_code == 0, result.output
    record = json.loads(result.output[result.output.index("{"):])
    assert list(record["by_source"]) == ["frank"] and record["articles"] == 2 and record["threshold"] == 0.6
    assert len(list(results.glob("clean-*-cpu-frank.json"))) == 1


def test_clean_without_data_is_one_line_error(tmp_path: Path, fake_models: None) -> None:
    result = run("--docs", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: no clean articles under '{tmp_path}'")
    assert "pass --docs DIR" in result.output


def test_clean_missing_judged_file(docs: Path, fake_models: None, tmp_path: Path) -> None:
    result = run("--docs", str(docs), "--judged", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and "is not a file" in result.output
