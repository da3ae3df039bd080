"""The clean-article suite (``consistency.eval.clean_suite``) on fake backends and tiny made-up data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import CLEAN, CLEAN_2, CONTRADICTORY, shared_data_or_skip, write_jsonl

from consistency.checker import Checker
from consistency.errors import DataError
from consistency.eval.article_split import article_key, is_measurement_article
from consistency.eval.clean_suite import (
    clean_articles,
    format_clean,
    read_frank_clean,
    read_judged,
    run_clean,
)
from consistency.testing import FakeEmbedder, FakeNLI

FLAWED = "The bridge opened to traffic in 1990. Thousands of cars cross it every day. " \
         "The bridge did not open to traffic in 1990."


def measurement_side(text: str, want: bool = True) -> str:
    """``text`` with a closing sentence that puts it on the wanted side of the article split."""
    for n in range(2000):
        candidate = f"{text} The council met {n} times."
        if is_measurement_article(candidate) == want:
            return candidate
    raise AssertionError("no variant on the wanted side")


@pytest.fixture
def checker() -> Checker:
    return Checker(nli=FakeNLI(batch_size=8), embedder=FakeEmbedder())


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    flawed, clean = measurement_side(FLAWED), measurement_side(CLEAN)
    rows = [{"hash": "f1", "article": flawed}, {"hash": "f1b", "article": flawed},  # a duplicate text
            {"hash": "f2", "article": clean}, {"hash": "t1", "article": measurement_side(CLEAN_2, want=False)}]
    with gzip.open(folder / "frank.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(row) + "\n" for row in rows))
    write_jsonl(folder / "contradoc_wiki_story.jsonl", [
        {"id": "c1", "text": CONTRADICTORY, "label": "contradictory"},
        {"id": "n1", "text": CLEAN_2, "label": "non_contradictory"},
        {"id": "n2", "text": FLAWED, "label": "non_contradictory"},
    ])
    return folder


def test_frank_measurement_side_deduplicated(docs: Path) -> None:
    articles = read_frank_clean(docs / "frank.jsonl.gz")
    assert [a.id for a in articles] == ["f1", "f2"]
    assert all(a.source == "frank" and a.key == article_key(a.text) for a in articles)


def test_record_reports_flagged_share_and_findings_per_100_claims(checker: Checker, docs: Path) -> None:
    record = run_clean(checker, docs, judged_file=None)
    assert record["suite"] == "clean" and record["threshold"] == 0.5 and record["threshold_source"] == "default"
    for key in ("machine", "device", "dtype", "models", "data", "total_time_in_seconds", "samples_per_second"):
        assert key in record, key
    assert [entry["n"] for entry in record["data"]] == [2, 2]
    frank, contradoc = record["by_source"]["frank"], record["by_source"]["contradoc"]
    assert (frank["articles"], frank["articles_flagged"], frank["articles_flagged_share"]) == (2, 1, 0.5)
    assert (contradoc["articles"], contradoc["articles_flagged"]) == (2, 1)
    assert record["articles"] == 4 and record["articles_flagged_share"] == 0.5
    assert record["findings_per_100_claims"] == round(100 * record["findings"] / record["claims"], 4)
    assert record["by_type"]["negation"]["findings"] == record["findings"] == 2
    assert record["flagged_share_by_threshold"]["0.30"] >= record["flagged_share_by_threshold"]["0.90"]
    # the fixture's training-side FRANK article is left out, and the record says so (a walk saw 11 of 12 vanish)
    assert record["judged"] is None and record["sources_absent"] == [
        "frank: 1 of 3 distinct articles are on the training side of the article split (the model trained on "
        "material from them) and are left out"]
    assert "note: frank: 1 of 3 distinct articles" in format_clean(record)
    finding = record["finding_list"][0]
    assert finding["judgement"] is None and {finding["claim_a"], finding["claim_b"]} == {
        "The bridge opened to traffic in 1990.", "The bridge did not open to traffic in 1990."}
    text = format_clean(record)
    assert "suite clean" in text and "per 100 claims" in text and "every finding is unjudged" in text


def test_a_higher_threshold_flags_nothing_and_limit_caps_contradoc(checker: Checker, docs: Path) -> None:
    record = run_clean(checker, docs, threshold=0.99, limit=1, judged_file=None)
    assert record["articles_flagged"] == 0 and record["threshold_source"] == "fixed"
    assert record["by_source"]["contradoc"]["articles"] == 1


def test_judged_findings_are_matched_by_article_and_unordered_claim_pair(checker: Checker, docs: Path,
                                                                        tmp_path: Path) -> None:
    flawed = next(a for a in read_frank_clean(docs / "frank.jsonl.gz") if a.id == "f1")
    judged = write_jsonl(tmp_path / "judged.jsonl", [
        {"article": flawed.key, "claim_a": "The bridge did not open to traffic in 1990.",
         "claim_b": "The bridge opened to traffic in 1990.", "judgement": "false_alarm"},
        {"article": "0" * 40, "claim_a": "x", "claim_b": "y", "judgement": "real_tension"},
    ])
    record = run_clean(checker, docs, judged_file=judged)
    summary = record["judged"]
    assert summary["judged_items"] == 2 and summary["findings_matched"] == 1 and summary["findings_unjudged"] == 1
    assert summary["false_alarm_share"] == 1.0 and summary["by_judgement"]["false_alarm"] == 1
    assert "1 of this run's findings match" in format_clean(record)


def test_bad_judgement_is_refused(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "judged.jsonl", [{"article": "a", "claim_a": "x", "claim_b": "y",
                                                    "judgement": "maybe"}])
    with pytest.raises(DataError, match="judgement 'maybe'; expected one of real_tension"):
        read_judged(path)


def test_absent_source_sets_are_noted_and_none_is_an_error(checker: Checker, docs: Path, tmp_path: Path) -> None:
    (docs / "frank.jsonl.gz").unlink()
    record = run_clean(checker, docs, judged_file=None)
    assert list(record["by_source"]) == ["contradoc"]
    assert record["sources_absent"][0].startswith("frank: ") and "note: frank" in format_clean(record)
    with pytest.raises(DataError, match="no clean articles under"):
        clean_articles(tmp_path / "nowhere")


def test_real_frank_has_45_measurement_articles() -> None:
    path = shared_data_or_skip("docs/frank.jsonl.gz")
    assert len(read_frank_clean(path)) == 45
