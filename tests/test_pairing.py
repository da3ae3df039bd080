"""Candidate pairs: all pairs for short articles, top-k + entity/slot pairs for long ones, key extraction,
and the blocked nearest-neighbour search against a brute-force reference."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.pairing import (
    PairingSettings,
    candidate_pairs,
    entity_keys,
    slot_keys,
    top_k_neighbours,
)
from consistency.types import CandidatePair, Claim

PESKOV = (
    "Kremlin spokesman Dmitry Peskov said that the meeting took place on June 29, in which 35 people were invited"
)
ANIMALS = (
    "otter badger heron stoat weasel marten beaver lynx ferret hedgehog vole shrew mole hare rabbit squirrel "
    "kestrel buzzard falcon owl raven magpie jackdaw rook crow starling thrush blackbird robin wren finch"
).split()


def make_claims(texts: Sequence[str]) -> list[Claim]:
    claims, start = [], 0
    for index, text in enumerate(texts):
        claims.append(Claim(index=index, text=text, start=start, end=start + len(text), paragraph=0))
        start += len(text) + 1
    return claims


def filler(i: int) -> str:
    """A sentence with no capitalised name and no number/date: it shares no entity or slot key."""
    return f"the {ANIMALS[i]} sat quietly near the old barn"


def unit(dim: int, *parts: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(dim, dtype=np.float32)
    for axis, value in parts:
        vector[axis] = value
    return vector / np.linalg.norm(vector)


def with_cosine(dim: int, base: int, own: int, cosine: float) -> np.ndarray:
    """A unit vector whose cosine with basis vector ``base`` is ``cosine`` (the rest on axis ``own``)."""
    return unit(dim, (base, cosine), (own, math.sqrt(1.0 - cosine * cosine)))


def as_tuples(pairs: Sequence[CandidatePair]) -> dict[tuple[int, int], tuple[str, ...]]:
    return {(p.a, p.b): p.reasons for p in pairs}


# --- short articles -------------------------------------------------------------------------------


def test_short_article_gets_every_pair() -> None:
    claims = make_claims([filler(i) for i in range(5)])
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = candidate_pairs(claims, vectors)
    assert [(p.a, p.b) for p in pairs] == list(combinations(range(5), 2))
    assert all(p.reasons == ("all-pairs",) for p in pairs)
    for pair in pairs:  # even dissimilar claims are paired, and the similarity is the cosine
        assert pair.similarity == pytest.approx(float(vectors[pair.a] @ vectors[pair.b]), abs=1e-6)


def test_short_article_boundary_is_all_pairs_below() -> None:
    texts = [filler(i) for i in range(24)]
    vectors = np.eye(24, dtype=np.float32)  # nothing similar, no shared keys
    assert len(candidate_pairs(make_claims(texts[:23]), vectors[:23])) == 23 * 22 // 2
    assert candidate_pairs(make_claims(texts), vectors) == []
    custom = PairingSettings(all_pairs_below=25)
    assert len(candidate_pairs(make_claims(texts), vectors, custom)) == 24 * 23 // 2


def test_zero_and_one_claim() -> None:
    assert candidate_pairs([], np.zeros((0, 0), dtype=np.float32)) == []
    assert candidate_pairs(make_claims(["Peskov spoke."]), np.ones((1, 4), dtype=np.float32) / 2) == []


def test_allowed_filters_short_article_pairs() -> None:
    claims = make_claims([filler(i) for i in range(6)])
    vectors = np.eye(6, dtype=np.float32)
    seen: list[tuple[int, int]] = []

    def allowed(a: int, b: int) -> bool:
        seen.append((a, b))
        return (a + b) % 2 == 1

    pairs = candidate_pairs(claims, vectors, allowed=allowed)
    assert [(p.a, p.b) for p in pairs] == [(a, b) for a, b in combinations(range(6), 2) if (a + b) % 2 == 1]
    assert all(p.reasons == ("all-pairs",) for p in pairs)
    assert all(a < b for a, b in seen)  # the filter is always asked with a < b


# --- long articles --------------------------------------------------------------------------------


def long_article() -> tuple[list[Claim], np.ndarray]:
    """30 claims: unrelated fillers plus a few planted pairs, vectors built by hand (dim 64)."""
    n, dim = 30, 64
    texts = [filler(i) for i in range(n)]
    vectors = np.stack([unit(dim, (i, 1.0)) for i in range(n)])
    vectors[1] = with_cosine(dim, 0, 1, 0.9)  # (0, 1): similar
    vectors[3] = with_cosine(dim, 2, 3, 0.5)  # (2, 3): similar
    vectors[5] = with_cosine(dim, 4, 5, 0.3)  # (4, 5): below the 0.35 floor, no shared key -> not paired
    texts[10] = "Peskov said the talks went well"
    texts[11] = "the talks, according to Peskov, went badly"
    vectors[11] = with_cosine(dim, 10, 11, 0.2)  # shared entity, cosine above the 0.15 slot floor
    texts[12] = "Lukashenko made an offer"
    texts[13] = "the base was offered by Lukashenko"
    vectors[13] = with_cosine(dim, 12, 13, 0.1)  # shared entity, but below the slot floor
    texts[14] = "the meeting was attended by 35 people"
    texts[15] = "only 40 people were at the meeting"
    vectors[15] = with_cosine(dim, 14, 15, 0.2)  # shared slot count:people
    texts[16] = "Wagner fighters left the city"
    texts[17] = "Wagner fighters stayed in the city"
    vectors[17] = with_cosine(dim, 16, 17, 0.8)  # similar and shared entity
    return make_claims(texts), vectors


def test_long_article_fillers_share_no_keys() -> None:
    for i in range(30):
        assert entity_keys(filler(i)) == set()
        assert slot_keys(filler(i)) == set()


def test_long_article_gets_only_similar_and_key_pairs() -> None:
    claims, vectors = long_article()
    pairs = candidate_pairs(claims, vectors)
    assert as_tuples(pairs) == {
        (0, 1): ("similar",),
        (2, 3): ("similar",),
        (10, 11): ("entity",),
        (14, 15): ("slot",),
        (16, 17): ("entity", "similar"),
    }
    by_key = {(p.a, p.b): p for p in pairs}
    assert by_key[(0, 1)].similarity == pytest.approx(0.9, abs=1e-6)
    assert by_key[(10, 11)].similarity == pytest.approx(0.2, abs=1e-6)
    assert [(p.a, p.b) for p in pairs] == sorted(by_key)


def test_long_article_floors_come_from_settings() -> None:
    claims, vectors = long_article()
    lenient = PairingSettings(min_similarity=0.25, slot_min_similarity=0.05)
    pairs = as_tuples(candidate_pairs(claims, vectors, lenient))
    assert pairs[(4, 5)] == ("similar",)
    assert pairs[(12, 13)] == ("entity",)
    strict = PairingSettings(min_similarity=0.95, slot_min_similarity=0.5)
    assert as_tuples(candidate_pairs(claims, vectors, strict)) == {(16, 17): ("entity",)}


def test_long_article_allowed_filter() -> None:
    claims, vectors = long_article()
    pairs = candidate_pairs(claims, vectors, allowed=lambda a, b: (a, b) not in {(0, 1), (14, 15)})
    assert set(as_tuples(pairs)) == {(2, 3), (10, 11), (16, 17)}


def test_long_article_top_k_limits_similar_pairs() -> None:
    # Claim 0 is similar (>= floor) to claims 1..6 with decreasing cosine; with top_k=2 it keeps 1 and 2.
    n, dim = 30, 64
    claims = make_claims([filler(i) for i in range(n)])
    vectors = np.stack([unit(dim, (i, 1.0)) for i in range(n)])
    for j, cosine in zip(range(1, 7), (0.9, 0.8, 0.7, 0.6, 0.5, 0.4), strict=True):
        vectors[j] = with_cosine(dim, 0, j, cosine)
    pairs = candidate_pairs(claims, vectors, PairingSettings(top_k=2))
    # Claims 1..6 each also pick claim 0 (their most similar) and one another: all above the floor.
    got = set(as_tuples(pairs))
    assert {(0, 1), (0, 2)} <= got
    for j in range(3, 7):  # 0 did not pick them, but they picked 0 (their best neighbour)
        assert (0, j) in got
    rows = vectors @ vectors.T
    for a, b in got:
        assert rows[a, b] >= 0.35
    assert all(p.reasons == ("similar",) for p in pairs)
    assert len(got) < n * (n - 1) // 2


def test_entity_pairs_are_capped_per_claim() -> None:
    """40 claims all naming Peskov: each claim adds only its `slot_pairs_per_claim` most similar partners."""
    n, cap = 40, 3
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(n, 96)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    claims = make_claims([f"Peskov said the {ANIMALS[i % len(ANIMALS)]} was seen {'again ' * (i // 30)}"
                          for i in range(n)])
    custom = PairingSettings(top_k=1, min_similarity=0.99, slot_pairs_per_claim=cap, slot_min_similarity=-1.0)
    pairs = candidate_pairs(claims, vectors, custom)
    got = set(as_tuples(pairs))
    assert all(p.reasons == ("entity",) for p in pairs)
    assert len(got) <= n * cap < n * (n - 1) // 2
    sims = vectors @ vectors.T
    chosen = set()
    for i in range(n):
        order = [j for j in np.argsort(-sims[i]) if j != i][:cap]
        chosen |= {(min(i, int(j)), max(i, int(j))) for j in order}
    assert got == chosen  # exactly the union of each claim's top-`cap` partners


def test_slot_pairs_need_a_shared_slot_not_just_any_number() -> None:
    n, dim = 26, 64
    texts = [filler(i) for i in range(n)]
    texts[0] = "the meeting lasted three hours"
    texts[1] = "the meeting lasted five hours"
    texts[2] = "the meeting was attended by 35 people"
    vectors = np.stack([unit(dim, (i, 1.0)) for i in range(n)])
    vectors[1] = with_cosine(dim, 0, 1, 0.2)
    vectors[2] = unit(dim, (0, 0.2), (1, 0.2), (2, 0.96))
    pairs = as_tuples(candidate_pairs(make_claims(texts), vectors))
    assert pairs == {(0, 1): ("slot",)}


def test_duplicate_claim_indices_do_not_lose_key_pairs() -> None:
    """Claims of two articles are both numbered from 0; pairing works on positions, not Claim.index."""
    n, dim = 26, 64
    texts = [filler(i) for i in range(n)]
    texts[5] = "Peskov said the talks went well"
    texts[20] = "the talks, according to Peskov, went badly"
    claims = [Claim(index=i % 13, text=t, start=0, end=len(t), paragraph=0) for i, t in enumerate(texts)]
    vectors = np.stack([unit(dim, (i, 1.0)) for i in range(n)])
    vectors[20] = with_cosine(dim, 5, 20, 0.3)
    vectors[18] = with_cosine(dim, 5, 18, 0.3)  # claim 18 has index 5 too, but names no one
    assert as_tuples(candidate_pairs(claims, vectors)) == {(5, 20): ("entity",)}


# --- keys -------------------------------------------------------------------------------------------


def test_entity_keys_of_a_news_sentence() -> None:
    assert entity_keys(PESKOV) == {"kremlin", "dmitry", "peskov"}


def test_entity_keys_skip_function_words_months_weekdays_and_possessives() -> None:
    text = (
        "Russian President Vladimir Putin met the Wagner mercenary group\u2019s chief Yevgeny Prigozhin "
        "five days after the failed coup attempt, the Kremlin said on Monday."
    )
    keys = entity_keys(text)
    assert {"putin", "vladimir", "wagner", "yevgeny", "prigozhin", "kremlin"} <= keys
    assert "monday" not in keys and "the" not in keys
    assert entity_keys("On Thursday, Lukashenko\u2019s office said in June that He was away.") == {"lukashenko"}
    assert entity_keys("Putin's spokesman said") == {"putin"}
    assert entity_keys("the Bank of England raised rates") == {"bank", "england"}
    assert entity_keys("no names here at all") == set()
    # a word that opens a sentence before a count is no name (a reporter read "about About, Alder Bend")
    assert entity_keys("About 140 people stayed at the Alder Bend shelter.") == {"alder", "bend"}
    assert entity_keys("Nearly 40 were hurt; Only 3 left.") == set()
    # a number word opening a sentence is not a name ("about one" read oddly in a finding's reason)
    assert entity_keys("One by one the prisoners were freed") == set()
    assert entity_keys("Three Mile Island was shut") == {"mile", "island"}


def test_slot_keys_of_a_news_sentence() -> None:
    assert slot_keys(PESKOV) == {"month", "count:people"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He further said that the meeting lasted three hours.", {"count:hour"}),
        ("Prices rose 5% in 2023.", {"percent", "year"}),
        ("Inflation was 2 per cent.", {"percent"}),
        ("Unemployment fell 3.5 percent on Tuesday.", {"percent", "weekday"}),
        ("The vote was on Jan. 5.", {"month"}),
        ("Two soldiers and 1,200 tanks moved.", {"count:soldier", "count:tank"}),
        ("He said it was fine.", set()),
        # a number followed by a function word counts nothing (found pairing unrelated FRANK sentences)
        ("Rostov-on-Don, one of Russia's largest cities, fell.", set()),
        ("She has one with him and one that is older.", set()),
        ("Two more victims came forward and nine other cases were dropped.", set()),
        ("Two who fled in 2013 were caught.", {"year"}),
    ],
)
def test_slot_keys(text: str, expected: set[str]) -> None:
    assert slot_keys(text) == expected


# --- nearest neighbours ---------------------------------------------------------------------------


def brute_force(vectors: np.ndarray, k: int, floor: float) -> set[tuple[int, int]]:
    n = vectors.shape[0]
    sims = vectors @ vectors.T
    out = set()
    for i in range(n):
        others = sorted((j for j in range(n) if j != i), key=lambda j: -sims[i, j])[:k]
        out |= {(i, j) for j in others if sims[i, j] >= floor}
    return out


def random_unit(n: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize("block", [1, 2, 7, 16, 49, 50, 1024])
@pytest.mark.parametrize(("k", "floor"), [(1, -2.0), (5, -2.0), (5, 0.1), (49, -2.0), (80, 0.0)])
def test_top_k_neighbours_matches_brute_force(block: int, k: int, floor: float) -> None:
    vectors = random_unit(50, 12, seed=block * 100 + k)
    got = top_k_neighbours(vectors, k, floor, block=block)
    assert len(got) == len({(i, j) for i, j, _ in got})  # no duplicates
    assert {(i, j) for i, j, _ in got} == brute_force(vectors, k, floor)
    sims = vectors @ vectors.T
    for i, j, score in got:
        assert i != j
        assert score == pytest.approx(float(sims[i, j]), abs=1e-6)
    if floor < -1:
        assert len(got) == 50 * min(k, 49)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=30),
    k=st.integers(min_value=0, max_value=35),
    block=st.integers(min_value=1, max_value=40),
    floor=st.floats(min_value=-1.0, max_value=1.0),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_top_k_neighbours_property(n: int, k: int, block: int, floor: float, seed: int) -> None:
    vectors = random_unit(n, 6, seed) if n else np.zeros((0, 6), dtype=np.float32)
    got = {(i, j) for i, j, _ in top_k_neighbours(vectors, k, floor, block=block)}
    expected = brute_force(vectors, k, floor) if n >= 2 and k > 0 else set()
    assert got == expected


def test_top_k_neighbours_trivial_inputs() -> None:
    assert top_k_neighbours(np.zeros((0, 4), dtype=np.float32), 5, 0.0) == []
    assert top_k_neighbours(random_unit(1, 4, 0), 5, -2.0) == []
    assert top_k_neighbours(random_unit(5, 4, 0), 0, -2.0) == []
