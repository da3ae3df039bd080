"""The per-article pipeline with deterministic fake backends: both NLI directions, batching, order,
pair counts, ranking, threshold and near misses, input errors, timings and the JSON report."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from consistency.build_info import code_version
from consistency.checker import Checker, CheckSettings, split_findings
from consistency.errors import InputError
from consistency.pairing import PairingSettings
from consistency.render import render, to_dict
from consistency.scoring import ScoringSettings, score_pairs
from consistency.testing import FakeEmbedder, FakeNLI, fake_nli_scores
from consistency.types import CandidatePair, Claim, FindingType, Relation, Report

TEXT = (
    "The meeting was attended by 35 people. The meeting was attended by 40 people.\n\n"
    "Peskov said the talks were held in Moscow. The talks were not held in Moscow. The weather was mild."
)
ANIMALS = (
    "otter badger heron stoat weasel marten beaver lynx ferret hedgehog vole shrew mole hare rabbit squirrel "
    "kestrel buzzard falcon owl raven magpie jackdaw rook crow starling"
).split()


def checker(nli: FakeNLI, embedder: FakeEmbedder | None = None, **settings: Any) -> Checker:
    return Checker(nli=nli, embedder=embedder or FakeEmbedder(), settings=CheckSettings(**settings))


def long_text() -> str:
    """26 sentences (above the all-pairs limit of 24) with one planted numeric contradiction."""
    sentences = [f"The {animal} from the {animal} valley was counted by rangers {animal}wise." for animal in ANIMALS]
    sentences[3] = "The convoy carried 35 trucks of grain to the port."
    sentences[17] = "The convoy carried 40 trucks of grain to the port."
    return " ".join(sentences)


# --- the NLI sees both directions, in batches --------------------------------------------------


def test_both_directions_of_every_pair_are_classified() -> None:
    nli = FakeNLI(batch_size=3)
    report = checker(nli).check(TEXT)
    texts = [c.text for c in report.claims]
    assert len(texts) == 5
    expected = {(a, b) for a in texts for b in texts if a != b}
    assert set(nli.seen) == expected
    assert len(nli.seen) == 2 * report.pairs_checked == 20  # each direction once


def test_report_names_the_nli_dtype_where_the_backend_has_one() -> None:
    import torch

    nli = FakeNLI()
    nli.dtype = torch.bfloat16  # type: ignore[attr-defined]  # as TransformersNLI carries it
    report = Checker(nli=nli, embedder=FakeEmbedder()).check(TEXT)
    assert report.models == {"nli": "fake-nli", "embedding": "fake-embedder", "nli_dtype": "bfloat16",
                             "consistency": code_version()}
    assert json.loads(render(report, 'json'))["models"]["nli_dtype"] == "bfloat16"


def test_batch_size_is_respected() -> None:
    nli = FakeNLI(batch_size=3)
    checker(nli).check(TEXT)
    assert sorted(len(batch) for batch in nli.batches) == [2, 3, 3, 3, 3, 3, 3]
    one = FakeNLI(batch_size=64)
    checker(one).check(TEXT)
    assert one.calls == 1 and len(one.batches[0]) == 20


def test_batches_are_length_sorted() -> None:
    """Batches hold inputs of similar length (little padding), run longest, shortest, second longest, ..."""
    nli = FakeNLI(batch_size=4)
    checker(nli).check(TEXT)
    batches = [[len(p) + len(h) for p, h in batch] for batch in nli.batches]
    by_size = batches[0::2] + batches[1::2][::-1]  # undo the alternation
    lengths = [length for batch in by_size for length in batch]
    assert lengths == sorted(lengths, reverse=True)
    assert max(batches[1]) <= min(batches[2]) or len(batches) < 3  # the shortest batch runs second


def test_embedder_gets_every_claim_once() -> None:
    embedder = FakeEmbedder(batch_size=2)
    report = checker(FakeNLI(), embedder).check(TEXT)
    assert sorted(t for batch in embedder.batches for t in batch) == sorted(c.text for c in report.claims)
    assert [len(b) for b in embedder.batches] == [2, 2, 1]


def test_results_are_matched_to_their_pairs() -> None:
    """Length sorting inside the backend must not shuffle scores between pairs or directions."""
    claims = [
        Claim(0, "The army captured the city of Bakhmut after a long siege.", 0, 57, 0),
        Claim(1, "The army captured Bakhmut.", 58, 84, 0),
        Claim(2, "The army did not capture Bakhmut.", 85, 118, 0),
        Claim(3, "Rain fell.", 119, 129, 0),
    ]
    pairs = [CandidatePair(a, b, 0.5) for a in range(4) for b in range(a + 1, 4)]
    findings = score_pairs(claims, pairs, FakeNLI(batch_size=2))
    assert [(f.a.index, f.b.index) for f in findings] == [(p.a, p.b) for p in pairs]
    for finding in findings:
        forward = fake_nli_scores(finding.a.text, finding.b.text)
        backward = fake_nli_scores(finding.b.text, finding.a.text)
        assert (finding.entailment_ab, finding.contradiction_ab) == (forward[0], forward[2])
        assert (finding.entailment_ba, finding.contradiction_ba) == (backward[0], backward[2])
    asymmetric = findings[0]  # the long claim entails the short one, not the other way round
    assert (asymmetric.entailment_ab, asymmetric.entailment_ba) == (0.9, 0.1)
    negated = findings[3]  # (1, 2)
    assert negated.score == 0.92 and negated.type is FindingType.NEGATION


def test_score_pairs_with_no_pairs() -> None:
    nli = FakeNLI()
    assert score_pairs([], [], nli) == []
    assert nli.calls == 0


# --- counts, ranking, threshold ------------------------------------------------------------------


def test_findings_of_the_sample() -> None:
    report = checker(FakeNLI()).check(TEXT, source="sample.txt")
    assert report.source == "sample.txt"
    assert report.pairs_checked == report.pairs_possible == 10
    assert [(f.a.index, f.b.index) for f in report.findings] == [(2, 3), (0, 1)]
    first, second = report.findings
    assert first.score == pytest.approx(0.92)
    assert first.type is FindingType.NEGATION
    assert first.relation is Relation.SOURCE_DISAGREEMENT
    assert first.notes == ("source disagreement: Peskov vs the article",)
    assert second.score == pytest.approx(0.85)
    assert second.type is FindingType.NUMERIC
    assert second.reason == "numbers differ: 35 vs 40 (contradiction 85%: a->b 85%, b->a 85%)"
    assert report.near_misses == ()  # margin 0.2: nothing scores in [0.3, 0.5)
    for c in report.claims:  # offsets point at the words of the original text
        assert TEXT[c.start : c.end] == c.text
    assert report.models == {"nli": "fake-nli", "embedding": "fake-embedder", "consistency": code_version()}
    assert report.threshold == 0.5
    assert report.encoding == "utf-8"


def test_findings_sorted_by_score_then_position() -> None:
    text = (
        "The river was not frozen in winter. The river was frozen in winter. "
        "The bridge had 3 lanes. The bridge had 4 lanes. "
        "The mayor was present at dinner. The mayor was not present at dinner."
    )
    report = checker(FakeNLI()).check(text)
    scores = [f.score for f in report.findings]
    assert scores == sorted(scores, reverse=True)
    assert [(f.a.index, f.b.index) for f in report.findings] == [(0, 1), (4, 5), (2, 3)]  # 0.92, 0.92, 0.85


def test_threshold_and_near_misses() -> None:
    report = checker(FakeNLI(), threshold=0.9, near_miss_margin=0.1).check(TEXT)
    assert [(f.a.index, f.b.index) for f in report.findings] == [(2, 3)]
    assert [(f.a.index, f.b.index) for f in report.near_misses] == [(0, 1)]
    assert report.threshold == 0.9


def test_threshold_is_inclusive() -> None:
    report = checker(FakeNLI(), threshold=0.92).check(TEXT)
    assert [(f.a.index, f.b.index) for f in report.findings] == [(2, 3)]


def test_no_near_misses_without_margin() -> None:
    report = checker(FakeNLI(), threshold=0.9, near_miss_margin=0.0).check(TEXT)
    assert report.near_misses == ()
    assert len(report.findings) == 1


def test_split_findings_directly() -> None:
    findings = score_pairs(
        [Claim(0, "The talks were held.", 0, 20, 0), Claim(1, "The talks were not held.", 21, 45, 0),
         Claim(2, "Snow fell.", 46, 56, 0)],
        [CandidatePair(0, 1, 0.9), CandidatePair(0, 2, 0.1), CandidatePair(1, 2, 0.1)],
        FakeNLI(),
        ScoringSettings(grounding_discount=1.0),  # the scores as the model gives them
    )
    above, near = split_findings(findings, threshold=0.95, margin=0.05)
    assert above == ()
    assert [(f.a.index, f.b.index) for f in near] == [(0, 1)]
    above, near = split_findings(findings, threshold=0.05, margin=0.2)
    assert [f.score for f in above] == [0.92, 0.05, 0.05]
    assert near == ()


def test_long_article_checks_fewer_pairs_than_possible() -> None:
    nli = FakeNLI(batch_size=16)
    report = checker(nli).check(long_text())
    n = len(report.claims)
    assert n == 26
    assert report.pairs_possible == n * (n - 1) // 2 == 325
    assert 0 < report.pairs_checked < report.pairs_possible
    assert len(nli.seen) == 2 * report.pairs_checked
    assert [(f.a.index, f.b.index, f.type) for f in report.findings] == [(3, 17, FindingType.NUMERIC)]


def test_pairing_settings_are_used() -> None:
    few = checker(FakeNLI(), pairing=PairingSettings(top_k=1, min_similarity=0.99, slot_pairs_per_claim=0))
    report = few.check(long_text())
    assert report.pairs_checked < checker(FakeNLI()).check(long_text()).pairs_checked


def test_one_claim_and_no_claims() -> None:
    nli = FakeNLI()
    report = checker(nli).check("Only one sentence is here.")
    assert (len(report.claims), report.pairs_checked, report.pairs_possible, report.findings) == (1, 0, 0, ())
    report = checker(nli).check("By John Smith\n\nUpdated 10 July 2023")
    assert report.claims == ()
    assert [s.reason for s in report.skipped] == ["metadata", "metadata"]  # counted, not silently dropped
    assert nli.calls == 0


# --- input errors, files, timings ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_text_raises_input_error_before_any_model_work(text: str) -> None:
    nli, embedder = FakeNLI(), FakeEmbedder()
    with pytest.raises(InputError) as info:
        Checker(nli=nli, embedder=embedder).check(text)
    assert str(info.value) == "'<text>' is empty (or only whitespace); pass an article with some text"
    assert nli.calls == 0 and embedder.batches == []


def test_empty_text_does_not_load_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_models(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model was loaded")

    monkeypatch.setattr("consistency.runtime.spec.TransformersNLI", no_models)
    monkeypatch.setattr("consistency.runtime.spec.SentenceTransformerEmbedder", no_models)
    with pytest.raises(InputError):
        Checker().check(" ", source="a.txt")


def test_models_are_built_lazily_with_the_checker_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, tuple[tuple[object, ...], dict[str, object]]] = {}

    def fake_nli(*args: object, **kwargs: object) -> FakeNLI:
        calls["nli"] = (args, kwargs)
        return FakeNLI()

    def fake_embedder(*args: object, **kwargs: object) -> FakeEmbedder:
        calls["embedder"] = (args, kwargs)
        return FakeEmbedder()

    monkeypatch.setattr("consistency.runtime.spec.TransformersNLI", fake_nli)
    monkeypatch.setattr("consistency.runtime.spec.SentenceTransformerEmbedder", fake_embedder)
    monkeypatch.setattr("consistency.runtime.spec.ModelSpec.check_available", lambda self: None)  # names are fakes
    checker_ = Checker("my-nli", "my-embedder", device="cpu", dtype="bfloat16", batch_size=7, nli_max_length=96)
    assert calls == {}
    report = checker_.check(TEXT)
    assert calls["nli"] == (("my-nli",), {"device": "cpu", "dtype": "bfloat16", "batch_size": 7, "max_length": 96})
    assert calls["embedder"] == (("my-embedder",), {"device": "cpu", "dtype": "bfloat16"})
    assert len(report.findings) == 2


def test_timings_keys() -> None:
    report = checker(FakeNLI()).check(TEXT)
    assert list(report.timings) == ["segment", "embed", "pair", "nli", "report"]
    assert all(isinstance(v, float) and v >= 0.0 for v in report.timings.values())


def test_check_file_reports_source_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(TEXT.replace("Peskov said", "Peskov said \u201cthe talks\u201d \u2013").encode("cp1252"))
    report = checker(FakeNLI()).check_file(path)
    assert report.source == str(path)
    assert report.encoding == "cp1252"
    assert "\u201cthe talks\u201d \u2013" in report.text


def test_check_file_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError) as info:
        checker(FakeNLI()).check_file(tmp_path / "empty.txt")
    empty = tmp_path / "empty.txt"
    assert str(info.value) == f"'{empty}' is empty (or only whitespace); pass an article with some text"
    with pytest.raises(InputError) as info:
        checker(FakeNLI()).check_file(tmp_path / "missing.txt")
    assert str(info.value) == f"no such file: '{tmp_path / 'missing.txt'}'; check the path"


def test_check_file_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-16"))))
    report = checker(FakeNLI()).check_file("-")
    assert report.source == "<stdin>"
    assert report.encoding == "utf-16"
    assert len(report.findings) == 2


# --- the report as JSON -------------------------------------------------------------------------


def test_report_to_json_round_trip() -> None:
    report = checker(FakeNLI(), threshold=0.9, near_miss_margin=0.1).check(TEXT, source="sample.txt")
    data = json.loads(render(report, 'json'))
    assert data == json.loads(json.dumps(to_dict(report)))
    assert data["source"] == "sample.txt"
    assert data["pairs_checked"] == 10 and data["pairs_possible"] == 10
    assert data["threshold"] == 0.9
    assert [c["text"] for c in data["claims"]] == [c.text for c in report.claims]
    assert [f["score"] for f in data["findings"]] == [0.92]
    assert [f["score"] for f in data["near_misses"]] == [0.85]
    finding = data["findings"][0]
    assert finding["type"] == "negation" and finding["relation"] == "source-disagreement"
    for side in ("a", "b"):  # offsets in the JSON still point at the words
        claim = finding[side]
        assert TEXT[claim["start"] : claim["end"]] == claim["text"]
    assert json.loads(render(report, "json")) == data


def test_report_is_frozen() -> None:
    report = checker(FakeNLI()).check(TEXT)
    assert isinstance(report, Report)
    with pytest.raises(AttributeError):
        report.threshold = 0.1  # type: ignore[misc]


def test_pronoun_claims_are_read_with_their_previous_sentence_except_against_it() -> None:
    from consistency.scoring import nli_text

    text = "Prigozhin is in St Petersburg. He is not in Belarus.\n\nThe Wagner chief lives in Belarus."
    nli = FakeNLI()
    report = Checker(nli=nli, embedder=FakeEmbedder()).check(text)
    claims = report.claims
    assert nli_text(claims, 1) == "Prigozhin is in St Petersburg. He is not in Belarus."
    assert nli_text(claims, 0) == claims[0].text
    assert nli_text(claims, 2) == claims[2].text  # previous claim is in another paragraph
    seen = set(nli.seen)
    # adjacent pair (0, 1): plain texts, so the model never compares a sentence with itself plus more
    assert (claims[0].text, claims[1].text) in seen
    # non-adjacent pair (1, 2): claim 1 carries its context
    assert ("Prigozhin is in St Petersburg. He is not in Belarus.", claims[2].text) in seen


def test_report_names_the_embedding_dtype_where_the_embedder_has_one() -> None:
    import torch

    embedder = FakeEmbedder()
    embedder.dtype = torch.float16  # type: ignore[attr-defined]  # as SentenceTransformerEmbedder carries it
    report = Checker(nli=FakeNLI(), embedder=embedder).check(TEXT)
    assert report.models["embedding_dtype"] == "float16" and "nli_dtype" not in report.models
    assert json.loads(render(report, 'json'))["models"]["embedding_dtype"] == "float16"


@pytest.mark.parametrize(("text", "message"), [
    (None, "the text must be a str, not NoneType"), (123, "the text must be a str, not int"),
    (b"bytes", "the text is bytes; decode it first"),
])
def test_text_that_is_not_a_str_is_a_type_error_that_says_what_to_pass(text: object, message: str) -> None:
    # A new user's check(None) leaked "'NoneType' object has no attribute 'strip'".
    nli = FakeNLI()
    with pytest.raises(TypeError, match=message):
        Checker(nli=nli, embedder=FakeEmbedder()).check(text)  # type: ignore[arg-type]
    assert nli.calls == 0


def test_threads_sharing_a_checker_load_each_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A web service shared one Checker between threads: on first use each thread loaded its own copy of both
    # models (or crashed in transformers' lazy import).
    import threading
    import time as clock

    from consistency.runtime.spec import ModelSpec

    loads = {"nli": 0, "embedder": 0}

    def slow(kind: str, backend: object) -> object:
        loads[kind] += 1
        clock.sleep(0.2)  # long enough for every thread to arrive while the first one loads
        return backend

    monkeypatch.setattr(ModelSpec, "load_nli", lambda spec: slow("nli", FakeNLI()))
    monkeypatch.setattr(ModelSpec, "load_embedder", lambda spec: slow("embedder", FakeEmbedder()))
    shared = Checker()
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(shared.check(TEXT))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == {"nli": 1, "embedder": 1} and len(reports) == 4
    assert len({tuple((f.a.index, f.b.index, f.score) for f in r.findings) for r in reports}) == 1


def test_an_integrators_bad_arguments_get_one_line_errors_not_silent_results() -> None:
    # A web-service developer: batch_size=-1 dropped every NLI result, a lone surrogate leaked a tokenizer
    # TypeError, two articles under one id hid their conflict, and date="yesterday" made JSON that fails the
    # schema.
    from consistency import InputError, compare_articles, make_article
    from consistency.runtime.spec import ModelSpec

    for bad in (-1, 0, 2.5, True):
        with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1"):
            ModelSpec(batch_size=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"unpaired surrogate \(U\+DCFF\) at offset 18"):
        checker(FakeNLI()).check("The bridge opened \udcff on Monday.")
    twins = [make_article("a", "Prigozhin is in Belarus."), make_article("a", "Prigozhin is not in Belarus.")]
    with pytest.raises(InputError, match="article ids must be unique: 'a' used more than once"):
        compare_articles(twins, checker(FakeNLI()))
    with pytest.raises(InputError, match="date 'yesterday' is not a date"):
        make_article("a", "Prigozhin is in Belarus.", date="yesterday")
    assert make_article("a", "Prigozhin is in Belarus.", date="2023-07-10").date == "2023-07-10"


def test_the_library_prints_nothing_through_logging_unless_the_application_asks() -> None:
    import logging

    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("consistency").handlers)


@pytest.mark.parametrize("settings", [{"threshold": 2.0}, {"threshold": float("nan")}, {"threshold": -0.1},
                                      {"near_miss_margin": -1.0}])
def test_settings_out_of_range_are_refused(settings: dict[str, float]) -> None:
    # CheckSettings(threshold=2.0) and threshold=nan were accepted: every report came back empty.
    with pytest.raises(ValueError, match="must be between 0 and 1"):
        CheckSettings(**settings)


def test_a_setting_of_the_wrong_kind_or_naming_nothing_is_refused_at_construction() -> None:
    # An ML evaluator: Checker(threshold="0.5") raised a raw "'<=' not supported"; Checker(device="tpu") and
    # dtype="float8" were accepted and failed at the first check, as a ModelError.
    with pytest.raises(TypeError, match="threshold must be a number between 0 and 1, not '0.5'"):
        Checker(threshold="0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="near_miss_margin must be a number"):
        CheckSettings(near_miss_margin=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown device 'tpu'; use one of auto, cpu, cuda, cuda:N, mps"):
        Checker(device="tpu")
    with pytest.raises(ValueError, match="unknown dtype 'float8'"):
        Checker(dtype="float8")
    assert Checker(device="cuda:1", dtype="bf16").spec.device == "cuda:1"  # named right; loads only when used
    # a QA walk: numpy's float32 threshold was refused, CompareSettings took "0.9" and 5, a torch dtype and
    # nli_max_length="x" passed construction
    import numpy as np

    from consistency import CompareSettings

    assert CheckSettings(threshold=np.float32(0.25)).threshold == 0.25
    with pytest.raises(TypeError, match="threshold must be a number"):
        CompareSettings(threshold="0.9")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold must be between 0 and 1, not 5"):
        CompareSettings(threshold=5)
    with pytest.raises(ValueError, match="dtype must be a name"):
        Checker(dtype=np.float32)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nli_max_length must be a whole number of at least 1, not 'x'"):
        Checker(nli_max_length="x")  # type: ignore[arg-type]


def test_a_threshold_can_be_given_to_the_checker_itself() -> None:
    # A data journalist's Checker(threshold=0.0) was refused ("unexpected keyword argument").
    low = Checker(nli=FakeNLI(), embedder=FakeEmbedder(), threshold=0.0)
    assert low.settings.threshold == 0.0
    kept = Checker(settings=CheckSettings(near_miss_margin=0.1), threshold=0.7)
    assert (kept.settings.threshold, kept.settings.near_miss_margin) == (0.7, 0.1)
    assert len(low.check(TEXT).findings) >= len(checker(FakeNLI()).check(TEXT).findings)
    with pytest.raises(ValueError, match="must be between 0 and 1"):
        Checker(threshold=1.5)


def test_claims_of_different_stories_of_a_digest_are_not_paired() -> None:
    text = ("Morning digest\n\n--- Item 1 ---\n\nThe dam held after the storm. Nobody was hurt.\n\n"
            "--- Item 2 ---\n\nThe bridge was closed on Monday. Two drivers were hurt.\n\n"
            "--- Item 3 ---\n\nThe school reopened. Pupils returned on Tuesday.")
    nli = FakeNLI()
    report = checker(nli).check(text, source="digest.txt")
    stories = [[c.text for c in report.claims][i:i + 2] for i in (0, 2, 4)]
    assert len(report.claims) == 6
    assert report.pairs_checked == report.pairs_possible == 3  # one pair per story, not 15
    assert {frozenset(pair) for pair in nli.seen} == {frozenset(story) for story in stories}
    assert len(report.warnings) == 1 and "3 stories" in report.warnings[0]
    single = checker(FakeNLI()).check(text.replace("--- Item 2 ---", "").replace("--- Item 3 ---", ""))
    assert single.pairs_checked == single.pairs_possible == 15 and single.warnings == ()


def test_each_claim_of_a_digest_names_its_story_in_every_report_format() -> None:
    # A QA walk: a report did not say which story a claim belongs to, so nobody could see which pairs were left out.
    from consistency.render.report import render_markdown, render_text, report_to_dict

    text = ("Police say the museum theft was solved.\n\n--- Item 1 ---\n\nA man was arrested on Friday.\n\n"
            "--- Item 2 ---\n\nThe brooch was found on Friday. The brooch was not found on Friday.")
    report = checker(FakeNLI()).check(text)
    assert [c.story for c in report.claims] == ["introduction", "Item 1", "Item 2", "Item 2"]
    assert [c["story"] for c in report_to_dict(report)["claims"]] == [c.story for c in report.claims]
    assert len(report.findings) == 1
    assert "paragraph 5 (Item 2), chars" in render_text(report)  # the text's 5th paragraph, in Item 2
    assert "(paragraph 5 (Item 2), chars" in render_markdown(report)
    plain = checker(FakeNLI()).check("The brooch was found on Friday. The brooch was not found on Friday.")
    assert [c.story for c in plain.claims] == [None, None]
    assert "(paragraph 1, chars 0-31" in render_markdown(plain)


def test_a_digests_introduction_is_paired_with_every_story() -> None:
    text = ("Police say the museum theft was solved on Saturday.\n\n--- Item 1 ---\n\nA man was arrested on Friday. "
            "The brooch was found.\n\n--- Item 2 ---\n\nNobody was arrested. The brooch is still missing.")
    nli = FakeNLI()
    report = checker(nli).check(text)
    intro = report.claims[0].text
    assert intro.startswith("Police say")
    partners = {b for a, b in nli.seen if a == intro}
    assert partners == {c.text for c in report.claims[1:]}  # every story's claims
    assert report.pairs_checked == report.pairs_possible == 4 + 1 + 1  # the introduction with 4, a pair per story
