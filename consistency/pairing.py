"""Candidate pairs: which claims are worth sending to the NLI model.

Three sources of pairs, merged: every pair when the article is short; each claim's top-k most
similar claims above a similarity floor; and claims that share a named entity or a number/date
slot (e.g. both give a count of "people", both name a weekday), capped per claim so that an
entity named in every sentence does not make the work quadratic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from consistency.text.words import COUNT_WORDS, MONTH_ABBREVIATIONS, MONTHS, NUMBER_WORDS, WEEKDAYS, capitalised
from consistency.types import CandidatePair, Claim

_ENTITY = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w’'\-]*)*")
_NOT_ENTITIES = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our", "This",
    "That", "These", "Those", "On", "In", "At", "As", "After", "Before", "But", "And", "Or", "If", "When", "While",
    "Under", "Initially", "No", "Yes", "Its", "There", "Then", "For", "From", "By", "With", "Without", "Responding",
    "Briefing", "According", "However", "Meanwhile", "Also", "So", "Mr", "Mrs", "Ms", "Dr",
    # words that open a sentence before a count ("About 140 people stayed ...": a reporter read "about About")
    "About", "Around", "Approximately", "Roughly", "Nearly", "Almost", "Some", "Only", "Just", "Over", "More",
    "Fewer", "Less", "Up", "All", "Most", "Many", "Several",
    *capitalised(tuple(NUMBER_WORDS)),  # "One by one the prisoners ...": a number word opening a sentence
}
_MONTHS = MONTHS + tuple(MONTH_ABBREVIATIONS)
_COUNT = re.compile(
    r"\b(\d[\d,.]*|" + "|".join(COUNT_WORDS) + r")\s*(%|percent|per cent|[a-z]+)", re.IGNORECASE
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Words after a number that are not what it counts ("one of", "two who", "2023 that", "10 were"): as in
# verdict._numbers, a count needs a counted noun after it.
_NOT_UNITS = frozenset(
    "and the of to in on at or an as by for from with into over than that this these those who which while "
    "when where what then there but was were is are be been has have had will would could said says out per "
    "more other others another last new all also not his her its their they she he it we".split()
)


@dataclass(frozen=True)
class PairingSettings:
    """Knobs of pair selection (defaults suit news articles)."""

    top_k: int = 5
    min_similarity: float = 0.35
    all_pairs_below: int = 24  # an article with fewer claims is checked exhaustively
    slot_pairs_per_claim: int = 5
    slot_min_similarity: float = 0.15


def entity_keys(text: str) -> set[str]:
    """Lower-cased tokens of capitalised names in ``text`` (sentence-initial function words excluded)."""
    keys: set[str] = set()
    for match in _ENTITY.finditer(text):
        words = [w for w in re.split(r"\s+", match.group(0)) if w not in _NOT_ENTITIES and w.lower() != "of"]
        for word in words:
            word = word.strip("’'-").removesuffix("’s").removesuffix("'s")
            if len(word) > 1 and word.lower() not in _MONTHS and word.lower() not in WEEKDAYS:
                keys.add(word.lower())
    return keys


def slot_keys(text: str) -> set[str]:
    """Number/date slots: 'count:people', 'count:hours', 'month', 'weekday', 'year', 'percent'."""
    lowered = text.lower()
    keys: set[str] = set()
    for number, unit in _COUNT.findall(lowered):
        unit = unit.strip()
        if unit in ("%", "percent", "per cent"):
            keys.add("percent")
        elif unit.isalpha() and len(unit) > 2 and unit not in _NOT_UNITS:
            keys.add("count:" + unit.rstrip("s"))
    words = set(re.findall(r"[a-z]+", lowered))
    if words & set(_MONTHS[:12]) or re.search(r"\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.", lowered):
        keys.add("month")
    if words & set(WEEKDAYS):
        keys.add("weekday")
    if _YEAR.search(text):
        keys.add("year")
    return keys


def top_k_neighbours(
    vectors: np.ndarray, k: int, floor: float, block: int = 1024
) -> list[tuple[int, int, float]]:
    """For each row, its k most similar other rows with cosine >= floor; blocked to bound memory."""
    n = vectors.shape[0]
    out: list[tuple[int, int, float]] = []
    if n < 2 or k <= 0:
        return out
    k = min(k, n - 1)
    for start in range(0, n, block):
        sims = vectors[start : start + block] @ vectors.T
        for row in range(sims.shape[0]):
            sims[row, start + row] = -np.inf
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.argsort(-sims, axis=1)[:, :k]
        for row in range(sims.shape[0]):
            for j in idx[row]:
                score = float(sims[row, j])
                if score >= floor:
                    out.append((start + row, int(j), score))
    return out


def candidate_pairs(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    settings: PairingSettings | None = None,
    allowed: Callable[[int, int], bool] | None = None,
) -> list[CandidatePair]:
    """Pairs (a < b) worth classifying, each with its cosine similarity and why it was chosen."""
    settings = settings or PairingSettings()
    n = len(claims)
    reasons: dict[tuple[int, int], set[str]] = defaultdict(set)

    def similarity(i: int, j: int) -> float:
        return float(vectors[i] @ vectors[j])

    def add(i: int, j: int, reason: str) -> None:
        if i == j:
            return
        key = (min(i, j), max(i, j))
        if allowed is None or allowed(*key):
            reasons[key].add(reason)

    if n < settings.all_pairs_below:
        for i in range(n):
            for j in range(i + 1, n):
                add(i, j, "all-pairs")
    else:
        for i, j, _score in top_k_neighbours(vectors, settings.top_k, settings.min_similarity):
            add(i, j, "similar")
        add_slot_pairs(claims, vectors, settings, add)

    return sorted(
        (CandidatePair(a, b, similarity(a, b), tuple(sorted(why))) for (a, b), why in reasons.items()),
        key=lambda p: (p.a, p.b),
    )


def add_slot_pairs(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    settings: PairingSettings,
    add: Callable[[int, int, str], None],
) -> None:
    """Pair claims sharing an entity or a number/date slot: per claim, the most similar few of those."""
    by_key: dict[str, list[int]] = defaultdict(list)
    keys_of: list[set[str]] = []
    for position, claim in enumerate(claims):
        keys = {f"entity:{k}" for k in entity_keys(claim.text)} | {f"slot:{k}" for k in slot_keys(claim.text)}
        keys_of.append(keys)
        for key in keys:
            by_key[key].append(position)
    for i, keys in enumerate(keys_of):
        partners: dict[int, str] = {}
        for key in sorted(keys):
            for j in by_key[key]:
                if j != i and j not in partners:
                    partners[j] = key
        if not partners:
            continue
        ranked = sorted(partners, key=lambda j: -float(vectors[i] @ vectors[j]))
        for j in ranked[: settings.slot_pairs_per_claim]:
            if float(vectors[i] @ vectors[j]) >= settings.slot_min_similarity:
                add(i, j, partners[j].split(":", 1)[0])
