"""Shared fixtures: deterministic fake NLI and embedding backends that record how they were called."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from consistency.embedding import Embedder
from consistency.nli import CPU_BF16_ENV, NLIBackend

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SEED_ARTICLE = REPO_ROOT / "seeds" / "prigozhin_2023-07-10.txt"


@pytest.fixture(autouse=True)
def _float32_on_every_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CPU's auto dtype is bfloat16 on AMX machines (``cpu_has_fast_bfloat16``); tests compare against
    float32 references, so they pin float32 whatever CPU CI runs on. Tests of the detection override it."""
    monkeypatch.setenv(CPU_BF16_ENV, "0")


_WORD = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_NEGATIONS = {"not", "no", "never", "nobody", "none", "neither", "nor", "without"}
_STOP = {"the", "a", "an", "of", "in", "on", "to", "and", "is", "was", "were", "are", "he", "she", "it", "that",
         "said", "by", "for", "with", "at", "as", "has", "had", "have", "be", "been", "his", "her", "they"}


def _content(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(text.replace("n't", " not"))}
    return words - _STOP - _NEGATIONS


def _negated(text: str) -> bool:
    words = {w.lower() for w in _WORD.findall(text.replace("n't", " not"))}
    return bool(words & _NEGATIONS)


def _numbers(text: str) -> set[str]:
    return {w for w in _WORD.findall(text) if w[0].isdigit()}


def fake_nli_scores(premise: str, hypothesis: str) -> tuple[float, float, float]:
    """Deterministic rule: shared content + (negation mismatch or differing numbers) = contradiction;
    hypothesis words all in the premise = entailment; otherwise neutral."""
    p, h = _content(premise), _content(hypothesis)
    overlap = len(p & h) / max(1, min(len(p), len(h)))
    if overlap >= 0.5 and (_negated(premise) != _negated(hypothesis)):
        return (0.03, 0.05, 0.92)
    pn, hn = _numbers(premise), _numbers(hypothesis)
    if overlap >= 0.5 and pn and hn and pn != hn:
        return (0.05, 0.1, 0.85)
    if h and h <= p and _negated(premise) == _negated(hypothesis):
        return (0.9, 0.08, 0.02)
    return (0.1, 0.85, 0.05)


class FakeNLI(NLIBackend):
    """Deterministic NLI backend; records every batch it was given."""

    name = "fake-nli"

    def __init__(self, batch_size: int = 4) -> None:
        self.batch_size = batch_size
        self.batches: list[list[tuple[str, str]]] = []

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        self.batches.append([tuple(p) for p in payloads])
        return [fake_nli_scores(p, h) for p, h in payloads]

    @property
    def calls(self) -> int:
        return len(self.batches)

    @property
    def seen(self) -> list[tuple[str, str]]:
        return [pair for batch in self.batches for pair in batch]


class FakeEmbedder(Embedder):
    """Bag-of-words hashing embedder: texts sharing words get similar vectors. Records batches."""

    name = "fake-embedder"

    def __init__(self, dim: int = 64, batch_size: int = 8) -> None:
        self.dim = dim
        self.batch_size = batch_size
        self.batches: list[list[str]] = []

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _content(text) or {"<empty>"}:
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
        return out


@pytest.fixture
def fake_nli() -> FakeNLI:
    return FakeNLI()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def shared_data_or_skip(relative: str) -> Path:
    """Path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: place the shared data beside the checkout (../shared/data) to run this test")
    return path
