"""Incremental pairing: which stored claims a new article's claims are paired with, without re-pairing the corpus.

Both directions of the batch rule are applied: a stored claim is paired with a new one when it is among the
new claim's neighbours (forward), and when the new claim enters the stored claim's own neighbour list
(reverse). For the reverse direction each claim keeps two *radii*: the similarity a newcomer must reach to
enter its ``top_k`` similar claims, and the one it must reach to become one of its entity/slot partners (the
``wide_neighbours``-th neighbour, or the last partner when it has all it may have). Only stored claims that
a new claim reaches (sharing a key, for the second) are queried again, their lists merged with the new
claims. So the stored pairs contain those ``compare`` would make on the whole corpus (up to the approximate
search), plus pairs that were neighbours when they arrived and were later outranked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from consistency.compare import CompareSettings, claim_keys, neighbour_pairs, within_pairs
from consistency.compare.vector_index import SIMILARITY_DECIMALS
from consistency.defaults import SAME_ARTICLE_MARGIN
from consistency.types import CandidatePair, Claim

Radii = dict[int, tuple[float, float]]


class NeighbourIndex(Protocol):
    """What planning needs of the stored vector index (:class:`~consistency.store.index.StoredIndex`)."""

    def __len__(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def radii(self, claim_ids: Sequence[int], floor: float) -> list[tuple[float, float]]: ...

    def vectors_of(self, claim_ids: Sequence[int]) -> np.ndarray: ...


@dataclass(frozen=True)
class Plan:
    """The pairs of one article (``b >= len(claims)`` means ``others[b - len(claims)]``), the stored claims
    they reach, and the radii to store: keyed by local row for new claims, by ``-id - 1`` for stored ones."""

    pairs: list[CandidatePair]
    others: list[Claim]
    radii: Radii


def article_group(claim: Claim) -> int:
    """The article row id of a stored claim ("#12" -> 12); -1 for a claim not stored yet."""
    article = str(claim.article)
    return int(article[1:]) if article.startswith("#") else -1


class PairPlanner:
    """Plans the pairs of one article's ``claims`` (with their ``vectors``) against the stored claims in
    ``index``. ``fetch(ids)`` reads stored claims (``Claim.index`` is the claim id, ``Claim.article`` "#row");
    ``stored_keys`` has the entity/slot keys of every claim fetched. Claims the search returns that are gone
    from the database are ignored, and so are those of ``replacing``, the stored version of the article."""

    def __init__(self, claims: Sequence[Claim], vectors: np.ndarray, index: NeighbourIndex,
                 fetch: Callable[[Sequence[int]], Mapping[int, Claim]], stored_keys: Mapping[int, frozenset[str]],
                 settings: CompareSettings, replacing: int | None = None) -> None:
        self.claims, self.vectors, self.index = claims, vectors, index
        self.fetch, self.stored_keys, self.settings = fetch, stored_keys, settings
        self.n = len(claims)
        self.own = replacing if replacing is not None else article_group(claims[0]) if claims else -1
        self.others: list[Claim] = []
        self.local: dict[int, int] = {}  # claim id -> row (n + position in others)
        self.pairs: dict[tuple[int, int], set[str]] = {}
        self.radii: Radii = {}
        self._keys: dict[int, frozenset[str]] = {}
        pairing = settings.pairing
        self.floor = min(pairing.min_similarity, pairing.slot_min_similarity)
        margin = min(self.n, SAME_ARTICLE_MARGIN) if self.own >= 0 else 0  # the article's own stored claims
        self.k = max(pairing.top_k, settings.wide_neighbours) + margin

    def plan(self) -> Plan:
        """Forward, then reverse, then (with ``settings.within``) the article's own pairs."""
        if self.n and len(self.index):
            sims, ids = self.forward()
            reached = self.reached_stored_rows(sims, ids)
            if reached.size:
                self.reverse(reached)
        if self.settings.within and self.n > 1:
            self.merge(within_pairs(self.claims, self.vectors, np.zeros(self.n, dtype=np.int64),
                                    self.settings.pairing), keep_stored_pairs=True)
        vectors = self.vectors
        if self.others:
            vectors = np.concatenate([vectors, self.index.vectors_of([c.index for c in self.others])])
        pairs = [CandidatePair(a, b, float(vectors[a] @ vectors[b]), tuple(sorted(why)))
                 for (a, b), why in sorted(self.pairs.items())]
        return Plan(pairs, self.others, self.radii)

    # --- the steps ------------------------------------------------------------------------------------

    def forward(self) -> tuple[np.ndarray, np.ndarray]:
        """Pair each new claim with its neighbours among the stored claims; note its radii. Returns the
        search's similarities and local rows."""
        sims, found = self.index.search(self.vectors, self.k)
        ids = self.localise(sims, found)
        rows = np.arange(self.n)
        groups = self.groups()
        self.merge(neighbour_pairs(groups, sims, ids, rows, self.keys, self.settings.pairing,
                                   self.settings.wide_neighbours), keep_stored_pairs=True)
        for row, value in enumerate(self.radius_of(groups, sims, ids, rows)):
            self.radii[row] = value
        return sims, ids

    def reached_stored_rows(self, sims: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Rows of stored claims (of other articles) that some new claim reaches within their radii."""
        n = self.n
        rows = np.array([r for r in np.unique(ids[ids >= n]) if article_group(self.others[r - n]) != self.own],
                        dtype=np.int64)
        if not rows.size:
            return rows
        known = self.index.radii([self.others[r - n].index for r in rows], self.floor)
        position = {int(r): p for p, r in enumerate(rows)}
        reached = np.zeros(len(rows), dtype=bool)
        min_similar = self.settings.pairing.min_similarity
        for r, c in zip(*np.nonzero(ids >= n), strict=True):
            p = position.get(int(ids[r, c]))
            if p is None or reached[p]:
                continue
            sim = float(sims[r, c])
            similar, slot = known[p]
            reached[p] = (sim >= max(similar, min_similar)) or (
                sim >= slot and bool(self.keys(int(r)) & self.keys(int(ids[r, c]))))
        return rows[reached]

    def reverse(self, stored_rows: np.ndarray) -> None:
        """Query the reached stored claims again, their neighbour lists merged with the new claims; keep the
        new pairs (not stored-stored ones) and their new radii."""
        n = self.n
        stored_vectors = self.index.vectors_of([self.others[r - n].index for r in stored_rows])
        old_sims, old_found = self.index.search(stored_vectors, self.k)
        old_ids = self.localise(old_sims, old_found)
        all_sims = np.concatenate([old_sims, stored_vectors @ self.vectors.T], axis=1)
        all_ids = np.concatenate([old_ids, np.tile(np.arange(n, dtype=np.int64), (len(stored_rows), 1))], axis=1)
        order = np.lexsort((self.tie_break_ids(old_ids, len(stored_rows)),
                            -np.round(all_sims, SIMILARITY_DECIMALS)), axis=1)
        all_sims = np.take_along_axis(all_sims, order, axis=1)
        all_ids = np.take_along_axis(all_ids, order, axis=1)
        groups = self.groups()
        self.merge(neighbour_pairs(groups, all_sims, all_ids, stored_rows, self.keys, self.settings.pairing,
                                   self.settings.wide_neighbours), keep_stored_pairs=False)
        for row, value in zip(stored_rows, self.radius_of(groups, all_sims, all_ids, stored_rows), strict=True):
            self.radii[-self.others[row - n].index - 1] = value

    def tie_break_ids(self, old_ids: np.ndarray, count: int) -> np.ndarray:
        """Claim ids that order equal similarities as the exact search does; new claims get ids after every
        stored one."""
        n = self.n
        newest = max(c.index for c in self.others) + 1
        claim_ids = np.array([0] + [c.index for c in self.others], dtype=np.int64)
        return np.concatenate([np.where(old_ids >= n, claim_ids[np.maximum(old_ids - n + 1, 0)], -1),
                               np.tile(np.arange(newest, newest + n, dtype=np.int64), (count, 1))], axis=1)

    # --- helpers ----------------------------------------------------------------------------------------

    def keys(self, row: int) -> frozenset[str]:
        """Entity/slot keys of a local row (a new claim, or a stored one in ``others``)."""
        if row >= self.n:
            return self.stored_keys[self.others[row - self.n].index]
        if row not in self._keys:
            self._keys[row] = claim_keys(self.claims[row].text)
        return self._keys[row]

    def localise(self, sims: np.ndarray, found: np.ndarray) -> np.ndarray:
        """Map claim ids to local rows (fetching claims seen for the first time); -1 when gone or below every
        similarity floor (such neighbours can never be paired, and rank after the rest)."""
        found = np.where(sims >= self.floor, found, -1)
        fresh = sorted(set(np.unique(found[found >= 0]).tolist()) - set(self.local))
        for claim_id, claim in self.fetch(fresh).items():
            self.local[claim_id] = self.n + len(self.others)
            self.others.append(claim)
        if not found.size or not self.local:
            return np.full(found.shape, -1, dtype=np.int64)
        known = np.array(sorted(self.local), dtype=np.int64)
        rows = np.array([self.local[int(x)] for x in known], dtype=np.int64)
        at = np.clip(np.searchsorted(known, found), 0, len(known) - 1)
        return np.where((found >= 0) & (known[at] == found), rows[at], -1)

    def groups(self) -> np.ndarray:
        """The article of every local row, as an integer."""
        return np.concatenate([np.full(self.n, self.own, dtype=np.int64),
                               np.array([article_group(c) for c in self.others], dtype=np.int64)])

    def radius_of(self, groups: np.ndarray, sims: np.ndarray, ids: np.ndarray, rows: np.ndarray
                  ) -> list[tuple[float, float]]:
        """Per query row: (similarity of its top_k-th neighbour of another article, similarity of its wide-th
        such neighbour or of its last allowed key-sharing partner); the floor where absent."""
        top_k, per_claim = self.settings.pairing.top_k, self.settings.pairing.slot_pairs_per_claim
        wide = self.settings.wide_neighbours
        valid = ids >= 0
        other = valid & (groups[np.where(valid, ids, 0)] != groups[rows][:, None])
        out = []
        for r, row in enumerate(rows):
            columns = np.flatnonzero(other[r])
            similar = float(sims[r, columns[top_k - 1]]) if len(columns) >= top_k else self.floor
            slot = float(sims[r, columns[wide - 1]]) if len(columns) >= wide else self.floor
            mine = self.keys(int(row))
            sharing = [c for c in columns[:wide] if mine & self.keys(int(ids[r, c]))]
            if len(sharing) >= per_claim:
                slot = max(slot, float(sims[r, sharing[per_claim - 1]]))
            out.append((similar, slot))
        return out

    def merge(self, found: Mapping[tuple[int, int], set[str]], keep_stored_pairs: bool) -> None:
        """Add pairs; pairs of two stored claims only when ``keep_stored_pairs``."""
        for key, why in found.items():
            if keep_stored_pairs or key[0] < self.n:
                self.pairs.setdefault(key, set()).update(why)
