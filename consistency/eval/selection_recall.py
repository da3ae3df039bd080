"""Recall of compare's pair selection (nearest neighbours plus slot pairs) against checking every cross-article
pair, at a corpus size where every pair can still be enumerated.

No CPU scores every cross-article pair of 100 articles (~1.5 million) with a real model, so two measures:

* **planted conflicts, exact**: ``planted`` claims of random articles are copied, with one number changed or
  the verb negated, into the end of another random article (as a wire rewrite would); every planted pair is
  scored through the one scoring path. Checking all pairs finds those that reach the threshold; recall is
  the share of them that the selection also pairs.
* **everything else, estimated** (when a real model is given): the model scores every selected pair and a
  uniform random sample of the pairs left out; the findings left out are extrapolated from the sample (95%
  Wilson interval). Their mean similarity is reported beside that of the selected findings: findings between
  claims that share nothing are mostly false alarms (topic, negation cues), which the selection is meant to
  leave out.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from consistency.compare.articles import Article
from consistency.runtime.embedding import Embedder
from consistency.runtime.nli import NLIBackend
from consistency.scoring import score_pairs
from consistency.types import CandidatePair, Claim

RECALL_MAX_ARTICLES = 200  # beyond this, enumerating every cross-article pair costs more than it tells
PLANTED = 100
MODEL_SAMPLE = 2000
_NUMBER = re.compile(r"(?<![\w.,])\d{1,6}(?![\w.,]\d)")
_AUXILIARY = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|did)\b(?! not\b)")
_SENTENCE = re.compile(r"[A-Z][^.!?\n]{40,220}[.!?]")


@dataclass(frozen=True)
class Planted:
    """A conflict planted across two articles: ``original`` of ``source`` and ``variant`` at the end of ``target``."""

    original: str
    variant: str
    source: str
    target: str


def conflicting_variant(sentence: str) -> str | None:
    """``sentence`` with its first number changed (n -> 2n + 3), else its first auxiliary negated; None if neither."""
    number = _NUMBER.search(sentence)
    if number:
        return sentence[: number.start()] + str(2 * int(number.group()) + 3) + sentence[number.end():]
    auxiliary = _AUXILIARY.search(sentence)
    if auxiliary:
        return sentence[: auxiliary.end()] + " not" + sentence[auxiliary.end():]
    return None


def plant_conflicts(articles: Sequence[Article], count: int, seed: int = 0) -> tuple[list[Article], list[Planted]]:
    """A copy of ``articles`` with ``count`` conflicts planted (see the module docstring)."""
    rng = random.Random(seed)
    texts = {a.id: a.text for a in articles}
    planted: list[Planted] = []
    for _ in range(count * 20):
        if len(planted) == count or len(articles) < 2:
            break
        source, target = rng.sample(list(articles), 2)
        sentences = _SENTENCE.findall(source.text)
        original = rng.choice(sentences) if sentences else ""
        variant = conflicting_variant(original) if original else None
        if variant and all(p.original != original for p in planted):
            texts[target.id] += "\n\n" + variant
            planted.append(Planted(original, variant, source.id, target.id))
    return [replace(a, text=texts[a.id]) for a in articles], planted


def _cross_pairs(claims: Sequence[Claim]) -> Iterator[tuple[int, int]]:
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if claims[i].article != claims[j].article:
                yield i, j


def _flagged(claims: Sequence[Claim], keys: Sequence[tuple[int, int]], vectors: np.ndarray, nli: NLIBackend,
             settings: Any) -> set[tuple[int, int]]:
    """The pairs among ``keys`` whose score reaches the threshold of ``settings`` (a CompareSettings)."""
    pairs = [CandidatePair(i, j, float(vectors[i] @ vectors[j])) for i, j in keys]
    findings = score_pairs(claims, pairs, nli, settings.scoring) if pairs else []
    return {(p.a, p.b) for p, f in zip(pairs, findings, strict=True) if f.score >= settings.threshold}


def _locate(claims: Sequence[Claim], planted: Sequence[Planted]) -> list[tuple[int, int]]:
    """The (original, variant) claim positions of each planted conflict that segmentation kept whole."""
    where = {(c.article, c.text.strip()): i for i, c in enumerate(claims)}
    found = []
    for p in planted:
        a, b = where.get((p.source, p.original.strip())), where.get((p.target, p.variant.strip()))
        if a is not None and b is not None:
            found.append((min(a, b), max(a, b)))
    return found


def wilson_interval(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def selection_recall(articles: Sequence[Article], embedder: Embedder, settings: Any, nli: NLIBackend,
                     model_sample: bool = False, planted: int = PLANTED, sample: int = MODEL_SAMPLE, seed: int = 0
                     ) -> dict[str, Any]:
    """Both measures (module docstring) for one corpus; ``model_sample`` when ``nli`` is a real model."""
    from consistency.compare import cross_candidate_pairs, embed_claims, flatten, segment_articles

    corpus, conflicts = plant_conflicts(articles, planted, seed)
    claims = flatten(segment_articles(corpus))
    vectors = embed_claims([c.text for c in claims], embedder)
    chosen = {(min(p.a, p.b), max(p.a, p.b)) for p in cross_candidate_pairs(claims, vectors, settings)}
    located = _locate(claims, conflicts)
    found_all = _flagged(claims, located, vectors, nli, settings)
    found_selected = found_all & chosen
    every = list(_cross_pairs(claims))
    out: dict[str, Any] = {
        "cross_pairs_all": len(every), "cross_pairs_selected": len(chosen),
        "planted": len(conflicts), "planted_located": len(located),
        "planted_selected": sum(1 for key in located if key in chosen),
        "planted_found_all_pairs": len(found_all), "planted_found_selected": len(found_selected),
        "planted_recall": round(len(found_selected) / len(found_all), 4) if found_all else None,
    }
    if model_sample:
        out.update(_left_out_estimate(claims, vectors, chosen, every, nli, settings, sample, seed))
    return out


def _left_out_estimate(claims: Sequence[Claim], vectors: np.ndarray, chosen: set[tuple[int, int]],
                       every: list[tuple[int, int]], nli: NLIBackend, settings: Any, sample: int, seed: int
                       ) -> dict[str, Any]:
    """Model findings among the selected pairs, and an estimate of those among the pairs left out."""
    left_out = [key for key in every if key not in chosen]
    drawn = random.Random(seed).sample(left_out, min(sample, len(left_out)))
    found = _flagged(claims, sorted(chosen), vectors, nli, settings)
    missed = _flagged(claims, drawn, vectors, nli, settings)
    rate = len(missed) / max(1, len(drawn))
    low, high = wilson_interval(len(missed), len(drawn))

    def recall(outside: float) -> float | None:
        return round(len(found) / (len(found) + outside), 4) if found or outside else None

    return {
        "model_findings_selected": len(found), "model_sample_left_out": len(drawn),
        "model_sample_findings": len(missed), "model_findings_left_out_estimated": round(rate * len(left_out), 1),
        "model_recall_estimated": recall(rate * len(left_out)),
        "model_recall_interval": [recall(high * len(left_out)), recall(low * len(left_out))],
        "similarity_selected_findings": _mean_similarity(found, vectors),
        "similarity_left_out_findings": _mean_similarity(missed, vectors),
    }


def _mean_similarity(keys: set[tuple[int, int]], vectors: np.ndarray) -> float | None:
    if not keys:
        return None
    return round(float(np.mean([float(vectors[i] @ vectors[j]) for i, j in keys])), 3)
