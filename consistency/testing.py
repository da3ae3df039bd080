"""Deterministic stand-in backends: a word-rule NLI model and a bag-of-words hashing embedder.

The tests use them (with the defaults) so that batching, ordering and scoring can be asserted without a
model; the corpus benchmark uses them (with its own settings) where real models would take hours at scale.
Both record the batches they were given unless ``record=False``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from consistency.runtime.embedding import Embedder
from consistency.runtime.nli import NLIBackend

WORD = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "neither", "nor", "without"})
STOP_WORDS = frozenset({"the", "a", "an", "of", "in", "on", "to", "and", "is", "was", "were", "are", "he", "she",
                        "it", "that", "said", "by", "for", "with", "at", "as", "has", "had", "have", "be", "been",
                        "his", "her", "they"})

CONTRADICTION_NEGATION = (0.03, 0.05, 0.92)
CONTRADICTION_NUMBERS = (0.05, 0.1, 0.85)
ENTAILMENT = (0.9, 0.08, 0.02)
NEUTRAL = (0.1, 0.85, 0.05)


def words(text: str) -> set[str]:
    """Lower-cased words and numbers, with "n't" read as "not"."""
    return {w.lower() for w in WORD.findall(text.replace("n't", " not"))}


def content_words(text: str, stop_words: frozenset[str] = STOP_WORDS) -> set[str]:
    """The words that carry content: no stop words, no negations."""
    return words(text) - stop_words - NEGATIONS


def negated(text: str) -> bool:
    return bool(words(text) & NEGATIONS)


def numbers(text: str) -> set[str]:
    return {w for w in WORD.findall(text) if w[0].isdigit()}


def fake_nli_scores(
    premise: str,
    hypothesis: str,
    *,
    min_overlap: float = 0.5,
    stop_words: frozenset[str] = STOP_WORDS,
    disjoint_numbers: bool = False,
    entailment_keeps_polarity: bool = True,
) -> tuple[float, float, float]:
    """(entailment, neutral, contradiction) by rule: shared content and a negation mismatch or differing
    numbers (``disjoint_numbers``: no number in common) is a contradiction; a hypothesis whose content words
    are all in the premise is entailed (``entailment_keeps_polarity``: only with the same negation); else neutral."""
    p, h = content_words(premise, stop_words), content_words(hypothesis, stop_words)
    overlap = len(p & h) / max(1, min(len(p), len(h)))
    if overlap >= min_overlap and negated(premise) != negated(hypothesis):
        return CONTRADICTION_NEGATION
    pn, hn = numbers(premise), numbers(hypothesis)
    differ = pn.isdisjoint(hn) if disjoint_numbers else pn != hn
    if overlap >= min_overlap and pn and hn and differ:
        return CONTRADICTION_NUMBERS
    if h and h <= p and (not entailment_keeps_polarity or negated(premise) == negated(hypothesis)):
        return ENTAILMENT
    return NEUTRAL


class FakeNLI(NLIBackend):
    """Deterministic NLI backend (:func:`fake_nli_scores`); records every batch it was given."""

    def __init__(self, batch_size: int = 4, *, name: str = "fake-nli", record: bool = True, **rule: Any) -> None:
        self.name = name
        self.batch_size = batch_size
        self.record = record
        self.rule = rule
        self.batches: list[list[tuple[str, str]]] = []

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        if self.record:
            self.batches.append([tuple(p) for p in payloads])
        return [fake_nli_scores(p, h, **self.rule) for p, h in payloads]

    @property
    def calls(self) -> int:
        return len(self.batches)

    @property
    def seen(self) -> list[tuple[str, str]]:
        return [pair for batch in self.batches for pair in batch]


class FakeEmbedder(Embedder):
    """Bag-of-words hashing embedder: texts sharing content words get similar vectors. Records batches.

    ``hash_hex_digits`` buckets a word by that many leading hex digits of its MD5 (None: all of them)."""

    def __init__(self, dim: int = 64, batch_size: int = 8, *, name: str = "fake-embedder", record: bool = True,
                 stop_words: frozenset[str] = STOP_WORDS, hash_hex_digits: int | None = None) -> None:
        self.name = name
        self.dim = dim
        self.batch_size = batch_size
        self.record = record
        self.stop_words = stop_words
        self.hash_hex_digits = hash_hex_digits
        self.batches: list[list[str]] = []

    def _bucket(self, word: str) -> int:
        digest = hashlib.md5(word.encode()).hexdigest()
        return int(digest[: self.hash_hex_digits], 16) % self.dim

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if self.record:
            self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in content_words(text, self.stop_words) or {"<empty>"}:
                out[row, self._bucket(word)] += 1.0
        return out


__all__ = ["FakeEmbedder", "FakeNLI", "content_words", "fake_nli_scores"]
