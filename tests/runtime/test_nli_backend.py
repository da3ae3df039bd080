"""TransformersNLI against a tiny randomly initialised BERT built in the test, and merge_pieces."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import torch
from conftest import FILLER, POSITIONS, SPECIAL, build_model
from transformers import (  # type: ignore[attr-defined]  # BertTokenizerFast: lazy in transformers 5
    AutoModelForSequenceClassification,
    AutoTokenizer,
)

from consistency.errors import ModelError
from consistency.runtime.nli import Piece, TransformersNLI, merge_pieces
from consistency.runtime.resolve import local_files_only
from consistency.testing import FakeNLI
from consistency.types import Label, NLIScores

PAIRS = [
    ("the man is sleeping", "the man is not sleeping"),
    ("a dog", "a cat is running in the park"),
    ("the red car is on the street and a blue car is in the park", "a car"),
    ("a cat", "a cat"),
    ("the dog is running in the park on the street", "the dog is not running"),
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model(tmp_path_factory.mktemp("tiny-nli"))


def reference_probabilities(directory: Path, pairs: Sequence[tuple[str, str]], temperature: float = 1.0) -> list[
        list[float]]:
    """Softmax of the model's logits for each pair on its own, in the model's own label order."""
    tokenizer = AutoTokenizer.from_pretrained(str(directory))
    model = AutoModelForSequenceClassification.from_pretrained(str(directory), dtype=torch.float32).eval()
    rows = []
    with torch.inference_mode():
        for premise, hypothesis in pairs:
            logits = model(**tokenizer(premise, hypothesis, return_tensors="pt")).logits[0]
            rows.append(torch.softmax(logits / temperature, dim=-1).tolist())
    return rows


def assert_matches_reference(scores: Sequence[NLIScores], reference: Sequence[list[float]]) -> None:
    assert len(scores) == len(reference)
    for got, probs in zip(scores, reference, strict=True):
        # id2label says 0 = contradiction, 1 = neutral, 2 = entailment
        assert got.contradiction == pytest.approx(probs[0], abs=1e-5)
        assert got.neutral == pytest.approx(probs[1], abs=1e-5)
        assert got.entailment == pytest.approx(probs[2], abs=1e-5)


def spy_on_batches(nli: TransformersNLI, monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """Record each batch handed to ``_predict_batch`` (and what it returned)."""
    calls: list[list[Any]] = []
    original = nli._predict_batch

    def spy(payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        out = original(payloads)
        calls.append(list(zip(payloads, out, strict=True)))
        return out

    monkeypatch.setattr(nli, "_predict_batch", spy)
    return calls


def test_label_indices_come_from_config(model_dir: Path) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu")
    assert nli.indices == {Label.CONTRADICTION: 0, Label.NEUTRAL: 1, Label.ENTAILMENT: 2}
    assert nli.device == "cpu"
    assert nli.name == str(model_dir)


def test_pair_encoding_matches_the_tokenizer(model_dir: Path) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu")
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    pieces = nli.prepare(PAIRS)
    assert [p.owner for p in pieces] == list(range(len(PAIRS)))
    for piece, (premise, hypothesis) in zip(pieces, PAIRS, strict=True):
        expected = tokenizer(premise, hypothesis)
        assert piece.payload["input_ids"] == expected["input_ids"]
        assert piece.payload["token_type_ids"] == expected["token_type_ids"]
        assert piece.length == len(expected["input_ids"])


def test_scores_match_direct_softmax_in_caller_order(model_dir: Path) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu")
    reference = reference_probabilities(model_dir, PAIRS)
    assert_matches_reference(nli.predict(PAIRS), reference)  # lengths are unsorted: order is restored
    assert_matches_reference(nli.predict(PAIRS[::-1]), reference[::-1])
    for scores in nli.predict(PAIRS):
        assert scores.entailment + scores.neutral + scores.contradiction == pytest.approx(1.0, abs=1e-5)
    assert nli.predict([]) == []


def test_batching(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu", batch_size=2)
    calls = spy_on_batches(nli, monkeypatch)
    reported: list[int] = []
    scores = nli.predict(PAIRS, progress=reported.append)
    assert [len(batch) for batch in calls] == [2, 1, 2]  # longest, shortest, then the middle batch
    # the start of the work (inputs tokenised), then the work done per batch, by padded length
    assert reported[0] == 0 and sum(reported) == len(PAIRS) and reported[1] > reported[2]
    batches = [[len(payload["input_ids"]) for payload, _ in batch] for batch in calls]
    lengths = [length for batch in (batches[0], batches[2], batches[1]) for length in batch]
    assert lengths == sorted(lengths, reverse=True)  # batches of similar lengths: little padding per batch
    assert_matches_reference(scores, reference_probabilities(model_dir, PAIRS))


def test_long_premise_is_split_not_truncated(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu", max_length=16)
    tokenizer = nli.tokenizer
    premise = " ".join(FILLER[:40])
    hypothesis = "the dog is sleeping"
    pairs = [(premise, hypothesis), ("a cat", "a dog")]
    premise_ids = tokenizer(premise, add_special_tokens=False)["input_ids"]
    hypothesis_ids = tokenizer(hypothesis, add_special_tokens=False)["input_ids"]

    pieces = nli.prepare(pairs)
    long_pieces = [p for p in pieces if p.owner == 0]
    assert len(long_pieces) > 1
    assert [p.owner for p in pieces].count(1) == 1
    covered: set[int] = set()
    for piece in long_pieces:
        ids = piece.payload["input_ids"]
        assert len(ids) <= 16
        assert ids[-len(hypothesis_ids) - 1 : -1] == hypothesis_ids  # every window carries the whole hypothesis
        covered.update(ids[1 : ids.index(3)])  # premise tokens: between [CLS] and the first [SEP]
    assert covered == set(premise_ids)  # every premise token is seen by the model

    calls = spy_on_batches(nli, monkeypatch)
    scores = nli.predict(pairs)
    assert len(scores) == 2
    for score in scores:
        assert score.entailment + score.neutral + score.contradiction == pytest.approx(1.0, abs=1e-5)
        assert 0.0 <= min(score.entailment, score.neutral, score.contradiction)
    seen = [out for batch in calls for _payload, out in batch]
    assert len(seen) == len(pieces)
    long_payloads = [p.payload for p in long_pieces]
    long_outputs = [out for batch in calls for payload, out in batch if payload in long_payloads]
    assert len(long_outputs) == len(long_pieces)
    assert scores[0].contradiction == pytest.approx(max(out[2] for out in long_outputs))  # any window counts


def test_auto_dtype_on_cpu_is_bfloat16_only_where_amx_makes_it_fast(model_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from consistency.runtime.device import CPU_BF16_ENV, cpu_has_fast_bfloat16, torch_dtype

    monkeypatch.setenv(CPU_BF16_ENV, "1")
    assert cpu_has_fast_bfloat16()
    assert torch_dtype("auto", "cpu") is torch.bfloat16
    assert torch_dtype(None, "cpu") is torch.bfloat16
    assert torch_dtype("float32", "cpu") is torch.float32  # an explicit dtype always wins
    assert torch_dtype("auto", "cuda") is torch.float16
    nli = TransformersNLI(str(model_dir), device="cpu")
    assert next(nli.model.parameters()).dtype is torch.bfloat16
    (score,) = nli.predict([("a cat sleeps", "a dog sleeps")])
    assert score.entailment + score.neutral + score.contradiction == pytest.approx(1.0, abs=1e-3)

    monkeypatch.setenv(CPU_BF16_ENV, "0")
    assert not cpu_has_fast_bfloat16()
    assert torch_dtype("auto", "cpu") is torch.float32
    assert next(TransformersNLI(str(model_dir), device="cpu").model.parameters()).dtype is torch.float32

    monkeypatch.delenv(CPU_BF16_ENV)  # detection: whatever this CPU says, the answer is a bool, never an error
    assert isinstance(cpu_has_fast_bfloat16(), bool)


def test_first_line_quotes_one_line_of_a_loader_error_without_its_full_stop() -> None:
    from consistency.errors import first_line

    assert first_line(OSError("We couldn't connect to the hub.\nDetails follow.")) == "We couldn't connect to the hub"
    assert first_line(ValueError()) == "ValueError"
    assert first_line(OSError("x" * 300), limit=20) == "x" * 20


def test_loading_hides_hub_connection_warnings_and_restores_the_logger() -> None:
    # Offline, an uncached id made huggingface_hub log "... thrown while requesting HEAD https://..." before
    # the checker's own one-line error; the hub's warnings are hidden while a model loads, errors are not.
    from consistency.runtime.device import quiet_loading

    hub = logging.getLogger("huggingface_hub.utils._http")
    level_before = logging.getLogger("huggingface_hub").level
    assert hub.isEnabledFor(logging.WARNING)
    with quiet_loading():
        assert not hub.isEnabledFor(logging.WARNING) and hub.isEnabledFor(logging.ERROR)
    assert hub.isEnabledFor(logging.WARNING) and logging.getLogger("huggingface_hub").level == level_before


def test_auto_dtype_is_logged_once_per_process_not_per_model(monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    # The checker loads two models (NLI and embedding); "dtype: float32 (auto, CPU)" twice was noise.
    from consistency.runtime.device import CPU_BF16_ENV, _log_auto_dtype_once, torch_dtype

    monkeypatch.setenv(CPU_BF16_ENV, "0")
    _log_auto_dtype_once.cache_clear()
    with caplog.at_level(logging.INFO, logger="consistency.runtime.device"):
        torch_dtype("auto", "cpu")
        torch_dtype(None, "cpu")
    assert [r.getMessage() for r in caplog.records].count("dtype: float32 (auto, CPU)") == 1


def test_long_text_raises_no_false_truncation_warning(model_dir: Path) -> None:
    # Long texts are windowed, so transformers' "sequence length is longer than the specified maximum
    # ... indexing errors" warning (logged when the text is first tokenised) would mislead users.
    import logging

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    transformers_logger = logging.getLogger("transformers")  # propagate is off: listen on it directly
    handler = Collect()
    transformers_logger.addHandler(handler)
    try:
        nli = TransformersNLI(str(model_dir), device="cpu", max_length=16)
        nli.tokenizer.model_max_length = 16
        pieces = nli.prepare([(" ".join(FILLER[:40]), "the dog is sleeping")])
    finally:
        transformers_logger.removeHandler(handler)
    assert len(pieces) > 1
    assert not [m for m in messages if "indexing errors" in m], messages


def test_long_hypothesis_is_split_into_parts(model_dir: Path) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu", max_length=16)
    hypothesis = " ".join(FILLER[:30])
    pieces = nli.prepare([("a cat", hypothesis)])
    parts = sorted({p.hypothesis_part for p in pieces})
    assert parts == list(range(len(parts))) and len(parts) > 1
    covered = {token for p in pieces for token in p.payload["input_ids"]}
    assert set(nli.tokenizer(hypothesis, add_special_tokens=False)["input_ids"]) <= covered
    assert all(p.length <= 16 for p in pieces)
    (score,) = nli.predict([("a cat", hypothesis)])
    assert score.entailment + score.neutral + score.contradiction == pytest.approx(1.0, abs=1e-5)


def test_explicit_window_longer_than_the_positions_is_refused(model_dir: Path) -> None:
    with pytest.raises(ModelError, match=f"longer than the {POSITIONS} positions.*use at most {POSITIONS}"):
        TransformersNLI(str(model_dir), device="cpu", max_length=POSITIONS * 2)
    assert TransformersNLI(str(model_dir), device="cpu", max_length=32).max_length == 32


def test_default_window_respects_position_embeddings(model_dir: Path) -> None:
    nli = TransformersNLI(str(model_dir), device="cpu")
    assert nli.max_length == POSITIONS  # the tokenizer allows more; the model has 64 positions
    premise = " ".join(FILLER[:100])
    pieces = nli.prepare([(premise, "a dog")])
    assert len(pieces) > 1 and all(p.length <= POSITIONS for p in pieces)
    assert len(nli.predict([(premise, "a dog")])) == 1


def test_two_label_model_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_model(tmp_path, id2label={0: "entailment", 1: "not_entailment"})
    with pytest.raises(ModelError, match="has no contradiction label"):
        TransformersNLI(str(tmp_path), device="cpu")
    # ... from its config, before the weights load (a researcher's walk: a sentence-embedding folder printed
    # transformers' 8-line report on the weights it lacks before the one-line error)
    import transformers

    def no_weights(*args: object, **kwargs: object) -> None:
        raise AssertionError("the weights were loaded")

    monkeypatch.setattr(transformers.AutoModelForSequenceClassification, "from_pretrained", no_weights)
    with pytest.raises(ModelError, match="has no contradiction label"):
        TransformersNLI(str(tmp_path), device="cpu")


def test_a_model_without_entailment_or_neutral_labels_loads_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A contradiction / not_contradiction model was scored 3-way (accuracy 0.267) without a word.
    build_model(tmp_path, id2label={0: "contradiction", 1: "not_contradiction"})
    with caplog.at_level(logging.WARNING, logger="consistency.runtime.nli"):
        nli = TransformersNLI(str(tmp_path), device="cpu")
    assert nli.indices == {Label.CONTRADICTION: 0}
    assert ("has no entailment or neutral label (config.id2label: 0=contradiction, 1=not_contradiction): it gives "
            "them probability 0") in caplog.text


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        TransformersNLI(str(tmp_path / "nope"), device="cpu")


def test_directory_without_config(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="has no config.json"):
        TransformersNLI(str(tmp_path), device="cpu")


def test_a_model_without_its_own_tokenizer_is_refused(tmp_path: Path) -> None:
    # A user saved the model and forgot the tokenizer: transformers then builds an empty tokenizer that reads
    # every word as [UNK], and every pair got the same meaningless score without a word of warning.
    directory = build_model(tmp_path / "model")
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        (directory / name).unlink(missing_ok=True)
    with pytest.raises(ModelError, match=r"has no tokenizer files .*tokenizer.save_pretrained\(DIR\)$"):
        TransformersNLI(str(directory), device="cpu")
    # a tokenizer that is not the model's: 20 tokens for a model with 141 token embeddings
    (directory / "vocab.txt").write_text("\n".join(SPECIAL + [f"x{i}" for i in range(15)]) + "\n", encoding="utf-8")
    with pytest.raises(ModelError, match="its tokenizer has 20 tokens but the model has 141 token embeddings"):
        TransformersNLI(str(directory), device="cpu")


def test_temperature_from_config(tmp_path: Path) -> None:
    directory = build_model(tmp_path, temperature=2.0)
    calibrated = TransformersNLI(str(directory), device="cpu")
    plain = TransformersNLI(str(directory), device="cpu", temperature=1.0)
    assert calibrated.temperature == 2.0
    assert plain.temperature == 1.0
    assert_matches_reference(calibrated.predict(PAIRS), reference_probabilities(directory, PAIRS, temperature=2.0))
    assert_matches_reference(plain.predict(PAIRS), reference_probabilities(directory, PAIRS, temperature=1.0))
    for hot, cold in zip(calibrated.predict(PAIRS), plain.predict(PAIRS), strict=True):
        top = max(cold.entailment, cold.neutral, cold.contradiction)
        assert max(hot.entailment, hot.neutral, hot.contradiction) < top  # a higher temperature flattens


# --- merge_pieces ------------------------------------------------------------------------------


def piece(owner: int, part: int = 0) -> Piece:
    return Piece(owner, part, None, 1)


def test_merge_one_piece_per_pair_is_identity() -> None:
    merged = merge_pieces([piece(0), piece(1)], [(0.7, 0.2, 0.1), (0.1, 0.3, 0.6)], 2)
    assert [(m.entailment, m.neutral, m.contradiction) for m in merged] == [
        pytest.approx((0.7, 0.2, 0.1)), pytest.approx((0.1, 0.3, 0.6))]
    assert all(isinstance(m, NLIScores) for m in merged)


def test_merge_premise_windows_take_the_maximum() -> None:
    (merged,) = merge_pieces([piece(0), piece(0)], [(0.3, 0.6, 0.1), (0.1, 0.5, 0.4)], 1)
    assert (merged.entailment, merged.contradiction) == pytest.approx((0.3, 0.4))
    assert merged.neutral == pytest.approx(0.3)


def test_merge_hypothesis_parts_need_every_part_entailed() -> None:
    (merged,) = merge_pieces([piece(0, 0), piece(0, 1)], [(0.9, 0.05, 0.05), (0.2, 0.7, 0.1)], 1)
    assert merged.entailment == pytest.approx(0.2)  # min over parts
    assert merged.contradiction == pytest.approx(0.1)  # max over parts
    assert merged.neutral == pytest.approx(0.7)


def test_merge_keeps_a_contradiction_over_an_entailment_elsewhere() -> None:
    (merged,) = merge_pieces([piece(0), piece(0)], [(0.9, 0.05, 0.05), (0.05, 0.05, 0.9)], 1)
    assert merged.contradiction == pytest.approx(0.9)
    assert merged.entailment == pytest.approx(0.1)
    assert merged.neutral == pytest.approx(0.0)


def test_merge_interleaved_owners() -> None:
    pieces = [piece(1), piece(0), piece(1), piece(0)]
    probabilities = [(0.1, 0.1, 0.8), (0.6, 0.3, 0.1), (0.2, 0.7, 0.1), (0.5, 0.3, 0.2)]
    first, second = merge_pieces(pieces, probabilities, 2)
    assert (first.entailment, first.contradiction) == pytest.approx((0.6, 0.2))
    assert (second.entailment, second.contradiction) == pytest.approx((0.2, 0.8))


def test_merge_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        merge_pieces([piece(0), piece(0)], [(1.0, 0.0, 0.0)], 1)


# --- Hugging Face ids: from the cache, never fetched unless allowed ----------------------------------------

def fake_hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_id: str = "org/tiny-nli") -> None:
    """A Hugging Face cache under ``tmp_path`` holding a tiny NLI model as ``repo_id``."""
    import shutil

    import huggingface_hub.constants

    model = build_model(tmp_path / "src")
    repo = tmp_path / "hub" / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    for file in model.iterdir():
        shutil.copy(file, snapshot / file.name)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0" * 40)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))


def test_a_cached_hub_id_loads_without_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_hub_cache(tmp_path, monkeypatch)
    monkeypatch.delenv("CONSISTENCY_ALLOW_DOWNLOAD", raising=False)
    assert local_files_only("org/tiny-nli", "NLI model") is True
    (scores,) = TransformersNLI("org/tiny-nli", device="cpu").predict([("a man sleeps", "a man is awake")])
    assert scores.entailment + scores.neutral + scores.contradiction == pytest.approx(1.0)


def test_a_cached_hub_id_is_looked_up_once_per_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub
    import huggingface_hub.constants

    fake_hub_cache(tmp_path, monkeypatch)
    monkeypatch.delenv("CONSISTENCY_ALLOW_DOWNLOAD", raising=False)
    calls: list[str] = []
    real = huggingface_hub.try_to_load_from_cache

    def counting(repo: str, filename: str) -> object:
        calls.append(repo)
        return real(repo, filename)

    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", counting)
    assert local_files_only("org/tiny-nli", "NLI model") is True
    assert local_files_only("org/tiny-nli", "NLI model") is True  # the loader's check after check_available
    assert calls == ["org/tiny-nli"]
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "elsewhere"))
    with pytest.raises(ModelError, match="neither a folder nor in your Hugging Face cache"):
        local_files_only("org/tiny-nli", "NLI model")  # another cache folder is looked up again


def test_an_uncached_hub_id_fails_at_once_unless_downloads_are_allowed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake_hub_cache(tmp_path, monkeypatch)
    monkeypatch.delenv("CONSISTENCY_ALLOW_DOWNLOAD", raising=False)
    with pytest.raises(ModelError) as info:
        TransformersNLI("org/absent-nli", device="cpu")
    assert str(info.value) == (
        "NLI model 'org/absent-nli' is neither a folder nor in your Hugging Face cache; pass a model directory, "
        "fetch it once with 'hf download org/absent-nli', or set CONSISTENCY_ALLOW_DOWNLOAD=1 to let this run "
        "download it")
    with pytest.raises(ModelError, match="not a valid Hugging Face id"):
        local_files_only("two words", "NLI model")
    assert local_files_only(str(tmp_path / "src"), "NLI model") is True  # a folder needs no cache
    monkeypatch.setenv("CONSISTENCY_ALLOW_DOWNLOAD", "1")
    assert local_files_only("org/absent-nli", "NLI model") is False  # the hub may be asked


def test_a_failed_allowed_download_does_not_say_downloads_are_off(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake_hub_cache(tmp_path, monkeypatch)
    monkeypatch.setenv("CONSISTENCY_ALLOW_DOWNLOAD", "1")

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    monkeypatch.setattr(AutoTokenizer, "from_pretrained", unreachable)
    with pytest.raises(ModelError) as info:
        TransformersNLI("org/absent-nli", device="cpu")
    message = str(info.value)
    assert "\n" not in message and "the download was allowed but failed" in message
    assert "downloads nothing unless" not in message


def test_a_wrong_embedding_name_fails_before_the_nli_model_loads(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from consistency.runtime.spec import ModelSpec

    fake_hub_cache(tmp_path, monkeypatch)
    monkeypatch.delenv("CONSISTENCY_ALLOW_DOWNLOAD", raising=False)

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the NLI model was loaded")

    monkeypatch.setattr("consistency.runtime.spec.TransformersNLI", no_load)
    with pytest.raises(ModelError, match="^embedding model 'org/absent-embedder' is neither a folder nor"):
        ModelSpec("org/tiny-nli", "org/absent-embedder").load_nli()


@pytest.mark.parametrize(("pairs", "message"), [
    (("The man sleeps.", "The man is awake."), r"pairs\[0\] is a str, not a \(premise, hypothesis\) pair"),
    (["ab"], r"pairs\[0\] is a str"),
    ([("a", "b", "c")], r"pairs\[0\] is a tuple of 3 \(str, str, str\)"),
    ([("a", None)], r"pairs\[0\] is a tuple of 2 \(str, NoneType\)"),
    ("a b", r"takes a list of \(premise, hypothesis\) pairs, not a str"),
])
def test_predict_refuses_what_is_not_a_list_of_string_pairs(pairs: object, message: str) -> None:
    # One pair passed alone was unpacked letter by letter ("too many values to unpack"), and ["ab"] was
    # silently scored as premise "a" against hypothesis "b".
    with pytest.raises(TypeError, match=message):
        FakeNLI().predict(pairs)  # type: ignore[arg-type]


def test_progress_counts_work_by_length_so_an_early_time_estimate_holds() -> None:
    # A 15k-word article said "about 23 min" and took 11: batches ran longest first, and progress counted
    # inputs, so the first measured seconds per input were the slowest.
    pairs = [("w " * n, "a dog") for n in (1, 9, 3, 7, 5, 2)]
    nli = FakeNLI(batch_size=2)
    done: list[int] = []
    scores = nli.predict(pairs, progress=done.append)
    assert scores == [FakeNLI(batch_size=1).predict([pair])[0] for pair in pairs]  # results in the caller's order
    lengths = [[len(p.split()) for p, _ in batch] for batch in nli.batches]
    assert lengths == [[9, 7], [2, 1], [5, 3]]
    assert done[0] == 0  # the work begins: tokenising is set-up, not extrapolated
    assert sum(done) == len(pairs) and done[1] > done[3] > done[2]  # progress counts work: long inputs weigh more


def test_reports_name_the_model_files_by_a_fingerprint(model_dir: Path) -> None:
    # A researcher's walk: every saved result named the model "builtin" through phases 2-6.
    from consistency.checker import nli_names

    names = nli_names(TransformersNLI(str(model_dir), device="cpu"))
    assert names["nli"] == str(model_dir) and names["nli_key"].startswith(f"{model_dir}@")
    assert "nli_key" not in nli_names(FakeNLI())  # a backend without model files has its name only
