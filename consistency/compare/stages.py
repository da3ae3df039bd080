"""Cross-article comparison: which claims of different articles contradict each other.

The pipeline is a chain of batch functions over records, so that each stage can be run by an
existing distributed engine (one call per partition) as well as here:

``segment_articles`` (articles -> :class:`ArticleClaims`, embarrassingly parallel)
-> ``embed_claims`` (claim texts -> vectors; identical texts embedded once)
-> ``cross_candidate_pairs`` (vectors -> pairs: nearest neighbours from other articles through
:class:`~consistency.vector_index.VectorIndex`, plus claims sharing an entity or a number slot among
a wider neighbour list; optionally the within-article pairs of ``check``)
-> ``score_candidates`` (pairs -> findings: NLI in both directions; identical text pairs scored once)
-> ``build_report`` (findings -> :class:`CompareReport`: findings per article pair, a conflict
matrix, clusters of claims showing which articles agree and which dissent).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from consistency.compare.articles import Article, LoadProblem
from consistency.compare.records import ArticleClaims, CompareSettings
from consistency.compare.report import CompareReport, build_report
from consistency.compare.vector_index import VectorIndex
from consistency.defaults import SAME_ARTICLE_MARGIN
from consistency.errors import InputError
from consistency.pairing import PairingSettings, candidate_pairs, entity_keys, slot_keys
from consistency.runtime.embedding import Embedder
from consistency.runtime.nli import NLIBackend
from consistency.scoring import ScoringSettings, score_pairs
from consistency.text.stories import same_named_story
from consistency.types import CandidatePair, Claim, Finding

if TYPE_CHECKING:
    from consistency.checker import Checker


# --- stage 1: segment -----------------------------------------------------------------------------

def segment_articles(articles: Sequence[Article], english_only: bool = True) -> list[ArticleClaims]:
    """Split each article into claims tagged with the article id and, in a digest, their story (with
    ``english_only``, a sentence in another language is skipped: :func:`~consistency.text.segment.segment`).
    Independent per article."""
    from consistency.text.segment import segment
    from consistency.text.stories import stories_of

    out = []
    for article in articles:
        segmentation = segment(article.text, english_only)
        named = stories_of(segmentation.claims, article.text)[2]  # a digest's claims name their story ("Item 3")
        claims = tuple(replace(claim, article=article.id) for claim in named)
        out.append(ArticleClaims(article, claims, segmentation.skipped))
    return out


def flatten(records: Sequence[ArticleClaims]) -> list[Claim]:
    """All claims of all records, in record order (positions in this list are what pairs refer to)."""
    return [claim for record in records for claim in record.claims]


# --- stage 2: embed -------------------------------------------------------------------------------

def embed_claims(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """L2-normalised float32 rows for ``texts``; a text that occurs several times is embedded once."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    unique: dict[str, int] = {}
    for text in texts:
        unique.setdefault(text, len(unique))
    vectors = embedder.embed(list(unique))
    return np.ascontiguousarray(vectors[[unique[t] for t in texts]], dtype=np.float32)


# --- stage 3: pair --------------------------------------------------------------------------------

def claim_keys(text: str) -> frozenset[str]:
    """Named-entity and number/date-slot keys of a claim ('entity:wagner', 'slot:count:people')."""
    return frozenset({f"entity:{k}" for k in entity_keys(text)} | {f"slot:{k}" for k in slot_keys(text)})


def neighbour_pairs(
    groups: np.ndarray,
    sims: np.ndarray,
    ids: np.ndarray,
    query_rows: np.ndarray,
    keys: Callable[[int], frozenset[str]],
    settings: PairingSettings,
    wide: int,
) -> dict[tuple[int, int], set[str]]:
    """Pairs from a neighbour search: for query row ``query_rows[r]`` with neighbours ``ids[r]``,
    its ``top_k`` most similar claims of other groups above the similarity floor ("similar"), and
    among its ``wide`` nearest claims of other groups, up to ``slot_pairs_per_claim`` that share a
    named entity ("entity") or a number/date slot ("slot") with it above the lower slot floor.

    ``groups[i]`` is the article (as an integer) of row i; pairs are (low row, high row).
    """
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    if ids.size == 0:
        return reasons
    valid = ids >= 0
    safe = np.where(valid, ids, 0)
    other = valid & (groups[safe] != groups[query_rows][:, None])
    rank = np.cumsum(other, axis=1)  # 1-based rank among other-article neighbours
    similar = other & (rank <= settings.top_k) & (sims >= settings.min_similarity)
    for r, c in zip(*np.nonzero(similar), strict=True):
        i, j = int(query_rows[r]), int(ids[r, c])
        reasons[(min(i, j), max(i, j))].add("similar")
    slot_candidates = other & (rank <= wide) & (sims >= settings.slot_min_similarity)
    for r in range(ids.shape[0]):
        columns = np.flatnonzero(slot_candidates[r])
        if columns.size == 0:
            continue
        i = int(query_rows[r])
        mine = keys(i)
        if not mine:
            continue
        taken = 0
        for c in columns:
            j = int(ids[r, c])
            shared = mine & keys(j)
            if not shared:
                continue
            kind = "entity" if any(key.startswith("entity:") for key in shared) else "slot"
            reasons[(min(i, j), max(i, j))].add(kind)
            taken += 1
            if taken >= settings.slot_pairs_per_claim:
                break
    return reasons


def cross_candidate_pairs(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    settings: CompareSettings | None = None,
    index: VectorIndex | None = None,
) -> list[CandidatePair]:
    """Candidate pairs between claims of different articles (plus, with ``settings.within``, the
    pairs ``check`` would make inside each article). ``pair.a``/``pair.b`` are positions in ``claims``.

    Each claim queries the vector index once for its nearest neighbours (approximate above
    ``settings.exact_below`` claims), so the cost grows as n log n, not n^2.
    """
    settings = settings or CompareSettings()
    n = len(claims)
    if n < 2:
        return []
    article_numbers: dict[str | None, int] = {}
    groups = np.array([article_numbers.setdefault(c.article, len(article_numbers)) for c in claims], dtype=np.int64)
    per_article = np.bincount(groups)
    index = index or VectorIndex.build(vectors, exact_below=settings.exact_below)
    want = max(settings.pairing.top_k, settings.wide_neighbours)
    k = min(n, want + 1 + min(int(per_article.max()), SAME_ARTICLE_MARGIN))
    key_cache: dict[int, frozenset[str]] = {}

    def keys(i: int) -> frozenset[str]:
        if i not in key_cache:
            key_cache[i] = claim_keys(claims[i].text)
        return key_cache[i]

    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    block = 4096
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        sims, ids = index.search(vectors[rows], k)
        for key, why in neighbour_pairs(groups, sims, ids, rows, keys, settings.pairing,
                                        settings.wide_neighbours).items():
            reasons[key] |= why
    if possible_cross_pairs(groups) <= settings.all_pairs_up_to:
        for a in range(n):
            for b in range(a + 1, n):
                if groups[a] != groups[b]:
                    reasons[(a, b)].add("all-pairs")
    if settings.within:
        for key, why in within_pairs(claims, vectors, groups, settings.pairing).items():
            reasons[key] |= why
    return [
        CandidatePair(a, b, float(vectors[a] @ vectors[b]), tuple(sorted(why)))
        for (a, b), why in sorted(reasons.items())
    ]


def possible_cross_pairs(groups: np.ndarray) -> int:
    """How many pairs of claims from different articles there are (``groups``: each claim's article number)."""
    per_article = np.bincount(groups).astype(np.int64)
    total = int(per_article.sum())
    return (total * total - int((per_article * per_article).sum())) // 2


def within_pairs(
    claims: Sequence[Claim], vectors: np.ndarray, groups: np.ndarray, settings: PairingSettings
) -> dict[tuple[int, int], set[str]]:
    """The pairs ``check`` makes inside each article, as positions in ``claims``: in a digest, only within one
    of its stories (``Claim.story``), as ``check`` pairs them (a QA walk saw compare --within score the others)."""
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
    for group in np.unique(groups):
        positions = np.flatnonzero(groups == group)
        local = [claims[int(p)] for p in positions]
        allowed = (lambda i, j: same_named_story(local[i], local[j])) if any(c.story for c in local) else None
        for pair in candidate_pairs(local, vectors[positions], settings, allowed=allowed):
            a, b = int(positions[pair.a]), int(positions[pair.b])
            reasons[(min(a, b), max(a, b))].update(pair.reasons)
    return reasons


# --- stage 4: score -------------------------------------------------------------------------------

def score_candidates(
    claims: Sequence[Claim], pairs: Sequence[CandidatePair], nli: NLIBackend,
    settings: ScoringSettings | None = None, progress: bool = False,
) -> list[Finding]:
    """Classify each candidate pair in both directions; one (possibly low-scoring) finding per pair. The
    path of ``check`` (:func:`consistency.scoring.score_pairs`): each claim is read in its own article's
    context, so a pair inside one article (``--within``) scores as ``check`` scores it."""
    return score_pairs(claims, pairs, nli, settings, progress=progress)


# --- the whole chain ------------------------------------------------------------------------------

def settings_of(checker: Checker) -> CompareSettings:
    """A comparison's settings that decide as ``checker`` does: its threshold, near-miss margin, pairing and
    scoring; the rest as :class:`CompareSettings` sets them."""
    own = checker.settings
    return CompareSettings(threshold=own.threshold, near_miss_margin=own.near_miss_margin, pairing=own.pairing,
                           scoring=own.scoring, english_only=own.lang_check != "off")


def compare_articles(
    articles: Sequence[Article],
    checker: Checker,
    settings: CompareSettings | None = None,
    problems: Sequence[LoadProblem] = (),
    progress: bool = False,
) -> CompareReport:
    """Compare ``articles`` with each other using ``checker``'s models (loaded on first use). Article ids must be
    unique (a repeated id would merge two articles' claims into one and hide their conflicts). Without
    ``settings``, the checker's own decide: its threshold, near-miss margin, pairing and scoring (an evaluator's
    ``Checker(threshold=0.9)`` reported at 0.5 here); given ``settings`` are used as they are."""
    repeated = sorted(article_id for article_id, n in Counter(a.id for a in articles).items() if n > 1)
    if repeated:
        raise InputError(f"article ids must be unique: {', '.join(map(repr, repeated))} used more than once; "
                         "give each article its own id")
    settings = settings or settings_of(checker)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    records = segment_articles(articles, settings.english_only)
    claims = flatten(records)
    timings["segment"] = time.perf_counter() - clock

    clock = time.perf_counter()
    vectors = embed_claims([c.text for c in claims], checker.embedder)
    timings["embed"] = time.perf_counter() - clock

    clock = time.perf_counter()
    index = VectorIndex.build(vectors, exact_below=settings.exact_below) if len(claims) > 1 else None
    pairs = cross_candidate_pairs(claims, vectors, settings, index=index)
    timings["pair"] = time.perf_counter() - clock

    clock = time.perf_counter()
    scored = score_candidates(claims, pairs, checker.nli, settings.scoring, progress=progress)
    timings["nli"] = time.perf_counter() - clock

    clock = time.perf_counter()
    cross = sum(1 for p in pairs if claims[p.a].article != claims[p.b].article)
    groups = np.array([r for r, record in enumerate(records) for _ in record.claims], dtype=np.int64)
    report = build_report(
        records, scored, settings, pairs_checked=len(pairs), models=checker.model_names(), timings=timings,
        problems=problems,
        stats={"cross_pairs": cross, "within_pairs": len(pairs) - cross,
               "possible_cross_pairs": possible_cross_pairs(groups) if len(groups) else 0,
               "index": index.backend if index is not None else "none"},
    )
    timings["report"] = time.perf_counter() - clock
    return report
