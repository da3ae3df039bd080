"""The second opinion: a second NLI model re-reads what the first finds suspicious, and the scores are blended."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import build_model

from consistency import Checker, render
from consistency.checker import CheckSettings
from consistency.cli import main
from consistency.runtime.nli import NLIBackend, TransformersNLI
from consistency.runtime.second_opinion import SecondOpinionNLI, blend
from consistency.runtime.spec import ModelSpec
from consistency.testing import FakeEmbedder
from consistency.types import NLIScores


class TableNLI(NLIBackend):
    """Scores from a table, (entailment, neutral, contradiction) by premise; records what it read."""

    def __init__(self, name: str, table: dict[str, tuple[float, float, float]]) -> None:
        self.name, self.table, self.read = name, table, []

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        self.read.extend(premise for premise, _ in payloads)
        return [self.table[premise] for premise, _ in payloads]


FIRST = {"calm": (0.6, 0.3, 0.1), "doubt": (0.2, 0.5, 0.3), "clash": (0.0, 0.1, 0.9)}
SECOND = {"calm": (1.0, 0.0, 0.0), "doubt": (0.0, 0.0, 1.0), "clash": (0.2, 0.8, 0.0)}


def test_the_second_model_reads_only_what_the_first_finds_suspicious() -> None:
    first, second = TableNLI("first", FIRST), TableNLI("second", SECOND)
    backend = SecondOpinionNLI(first, second, weight=0.4, gate=0.3)
    calm, doubt, clash = backend.predict([("calm", "x"), ("doubt", "x"), ("clash", "x")])
    assert sorted(second.read) == ["clash", "doubt"]
    assert (calm.entailment, calm.contradiction) == (0.6, 0.1)  # below the gate: the first model's scores
    assert doubt.contradiction == pytest.approx(0.6 * 0.3 + 0.4 * 1.0)  # the second model can raise a score
    assert clash.contradiction == pytest.approx(0.6 * 0.9)  # ... and lower one
    assert clash.entailment + clash.neutral + clash.contradiction == pytest.approx(1.0)


def test_blend_is_label_by_label_and_the_weight_is_checked() -> None:
    assert blend(NLIScores(1.0, 0.0, 0.0), NLIScores(0.0, 0.0, 1.0), 0.25) == NLIScores(0.75, 0.0, 0.25)
    with pytest.raises(ValueError, match="outside"):
        SecondOpinionNLI(TableNLI("a", FIRST), TableNLI("b", SECOND), weight=0.0)


def test_the_checker_scores_through_the_second_opinion() -> None:
    """A pair the first model calls a contradiction and the second calls neutral drops below the threshold."""
    text = "The bridge is open. The bridge is closed."
    first = TableNLI("first", {"The bridge is open.": (0.0, 0.0, 1.0), "The bridge is closed.": (0.0, 0.0, 1.0)})
    second = TableNLI("second", {"The bridge is open.": (0.0, 1.0, 0.0), "The bridge is closed.": (0.0, 1.0, 0.0)})
    alone = Checker(nli=first, embedder=FakeEmbedder()).check(text)
    both = Checker(nli=SecondOpinionNLI(first, second, weight=0.6), embedder=FakeEmbedder()).check(text)
    assert alone.findings and alone.findings[0].score == pytest.approx(1.0)
    assert not both.findings and both.near_misses[0].score == pytest.approx(0.4)
    assert "(with a second opinion: second)" in render(both, "text").splitlines()[0]
    assert "second opinion" not in render(alone, "text")


def test_a_blended_finding_says_what_each_model_thought() -> None:
    """The note gives each model's own contradiction per direction; a direction below the gate was not asked."""
    text = "The bridge is open. The bridge is closed."
    first = TableNLI("first", {"The bridge is open.": (0.0, 0.1, 0.9), "The bridge is closed.": (0.8, 0.0, 0.2)})
    second = TableNLI("second", {"The bridge is open.": (0.0, 0.3, 0.7), "The bridge is closed.": (0.0, 1.0, 0.0)})
    low = CheckSettings(threshold=0.3)
    report = Checker(nli=SecondOpinionNLI(first, second, weight=0.5), embedder=FakeEmbedder(),
                     settings=low).check(text)
    finding = report.findings[0]
    note = "blended with a second opinion: first model a->b 90%, b->a 20%; second model a->b 70%, b->a not asked"
    assert finding.score == pytest.approx((0.8 + 0.2) / 2) and note in finding.notes
    assert note in " ".join(render(report, "text").split()) and note in render(report, "json")
    alone = Checker(nli=first, embedder=FakeEmbedder(), settings=low).check(text)
    assert not any("second opinion" in n for n in alone.findings[0].notes)


def test_the_spec_loads_both_models_and_keys_them_together(tmp_path: Path) -> None:
    first_dir, second_dir = build_model(tmp_path / "first"), build_model(tmp_path / "second", seed=1)
    spec = ModelSpec(str(first_dir), device="cpu", second_opinion=str(second_dir))
    backend = spec.load_nli()
    assert isinstance(backend, SecondOpinionNLI) and isinstance(backend.second, TransformersNLI)
    assert backend.key == spec.nli_key() != ModelSpec(str(first_dir), device="cpu").nli_key()
    assert str(second_dir) in backend.name
    pairs = [("the man is sleeping", "the man is not sleeping"), ("the dog is in the park", "a cat is on the car")]
    alone = TransformersNLI(str(first_dir), device="cpu").predict(pairs)
    blended = backend.predict(pairs)
    assert [b == a for a, b in zip(alone, blended, strict=True)] == [s.contradiction < backend.gate for s in alone]


def test_the_cli_option_reaches_the_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[ModelSpec] = []

    def load(self: ModelSpec) -> NLIBackend:
        seen.append(self)
        return TableNLI("first", {})

    monkeypatch.setattr(ModelSpec, "load_nli", load)
    monkeypatch.setattr(ModelSpec, "load_embedder", lambda self: FakeEmbedder())
    article = tmp_path / "a.txt"
    article.write_text("The museum opens in May.", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(article), "--second-opinion", "accurate"])
    assert result.exit_code == 0, result.output
    assert seen and seen[0].second_opinion == "accurate"


def test_the_weight_table_blends_as_the_checker_does() -> None:
    """benchmarks/evidence_rules.py chose the weight on dumped pairs: its blend must be the backend's."""
    from benchmarks.evidence_rules import _direction_key, _second_opinion

    row = {"a": "A", "b": "B", "ab": 0.8, "ba": 0.2, "score": 0.5, "type": "other", "shared_words": 1,
           "shared_ents": []}
    backend = SecondOpinionNLI(TableNLI("first", {"A": (0.1, 0.1, 0.8), "B": (0.4, 0.4, 0.2)}),
                               TableNLI("second", {"A": (0.0, 1.0, 0.0), "B": (0.0, 0.0, 1.0)}), weight=0.4)
    ab, ba = backend.predict([("A", "B"), ("B", "A")])
    rule = _second_opinion(0.4, {_direction_key("A", "B"): 0.0, _direction_key("B", "A"): 1.0})
    assert rule(row) == pytest.approx((ab.contradiction + ba.contradiction) / 2) == pytest.approx((0.48 + 0.2) / 2)


def test_compare_says_when_a_second_opinion_scored_it() -> None:
    from consistency.compare import compare_articles, make_article

    articles = [make_article("a", "The bridge is open."), make_article("b", "The bridge is closed.")]
    table = {"The bridge is open.": (0.0, 0.0, 1.0), "The bridge is closed.": (0.0, 0.0, 1.0)}
    backend = SecondOpinionNLI(TableNLI("first", table), TableNLI("second", table))
    report = compare_articles(articles, Checker(nli=backend, embedder=FakeEmbedder()))
    assert report.findings and "with a second opinion: second)" in render(report, "text")


def test_a_missing_second_model_is_named_in_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "-", "--second-opinion", str(tmp_path / "absent"),
                                       "--nli-model", str(build_model(tmp_path / "first"))],
                                input="The museum opens in May. It closes in June.")
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: --second-opinion: NLI model path") and "absent" in last


def test_the_note_reads_the_reports_model_field() -> None:
    from consistency.render.report import second_opinion_note

    models = {"nli": "builtin", "nli_second_opinion": "accurate"}
    assert second_opinion_note(models) == "with a second opinion: accurate"
    assert second_opinion_note({"nli_second_opinion": "accurate"}, " ({})") == " (with a second opinion: accurate)"
    assert second_opinion_note({"nli": "builtin"}) == ""


def test_the_store_report_says_a_second_opinion_scored_it(tmp_path: Path) -> None:
    from consistency.compare import make_article
    from consistency.store.corpus_store import CorpusStore

    table = {"The bridge is open.": (0.0, 0.0, 1.0), "The bridge is closed.": (0.0, 0.0, 1.0)}
    blended = Checker(nli=SecondOpinionNLI(TableNLI("first", table), TableNLI("second", table)),
                      embedder=FakeEmbedder())
    assert blended.second_opinion_name() == "second"
    assert Checker(second_opinion="accurate").second_opinion_name() == "accurate"  # from the spec, unloaded
    with CorpusStore(tmp_path / "c.db") as store:
        store.add([make_article("a", "The bridge is open."), make_article("b", "The bridge is closed.")], blended)
        report = store.report(blended)
    assert report.models["nli_second_opinion"] == "second"
    assert "with a second opinion: second)" in render(report, "text")
