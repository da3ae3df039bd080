"""The vector index of the claims paired under one embedding model, kept in step with the store.

Above :data:`~consistency.compare.vector_index.EXACT_BELOW` claims the faiss index is saved beside the
database (``DB.<model>.faiss``, written atomically) and only the claims added since are inserted on the next
run; it is rewritten once that tail exceeds a tenth of it, so the cost stays amortised.
"""

from __future__ import annotations

import glob
import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.compare.vector_index import SIMILARITY_DECIMALS, VectorIndex

logger = logging.getLogger(__name__)

INDEX_REWRITE_FRACTION = 0.1
INDEX_REWRITE_MIN = 1000
RECENT_MAX = 2048  # claims kept in the exact buffer before they are inserted into the HNSW graph in bulk


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80]


def index_file(db: Path, emb_key: str) -> Path:
    """Where the faiss index of the claims paired under ``emb_key`` is saved: ``DB.<model>.faiss``."""
    return db.with_name(f"{db.name}.{_slug(emb_key)}.faiss")


def saved_index_files(db: Path) -> list[Path]:
    """Every saved faiss index beside ``db`` (of any embedding model)."""
    return list(db.parent.glob(f"{glob.escape(db.name)}.*.faiss"))


class StoredIndex:
    """The vector index of the claims paired under one embedding model, kept in step with the store."""

    def __init__(self, store: Any, emb_key: str) -> None:
        self.store = store
        self.emb_key = emb_key
        self.file = index_file(store.path, emb_key)
        self.index: VectorIndex | None = None
        self.vectors: dict[int, np.ndarray] = {}
        self.present: set[int] = set()
        self.highest = 0  # the highest claim id in the index: where catch_up reads on from
        self.unsaved = 0
        self.recent: VectorIndex | None = None  # claims added since the HNSW graph was last extended
        self._radius: dict[int, tuple[float, float]] = {}
        self._load()

    def _rows(self, above: int) -> Iterator[tuple[int, np.ndarray]]:
        for cid, blob in self.store.db.execute(
                "SELECT c.id, e.vector FROM claims c "
                "JOIN article_models m ON m.article_id=c.article_id AND m.embedding_model=? "
                "JOIN embeddings e ON e.text_hash=c.text_hash AND e.model=? WHERE c.id > ? ORDER BY c.id",
                (self.emb_key, self.emb_key, above)):
            yield int(cid), np.frombuffer(blob, dtype=np.float32)

    def _load(self) -> None:
        watermark = 0
        if self.file.exists():
            try:
                self.index = VectorIndex.load(self.file)
                ids = self.index.ids()
                watermark = int(ids.max()) if ids.size else 0
                self.present = set(ids.tolist())
                self.highest = watermark
            except Exception as exc:  # a damaged or foreign file: rebuild from the database
                logger.warning("vector index '%s' is unreadable (%s); rebuilding it from the database", self.file, exc)
                self.index, watermark, self.present, self.highest = None, 0, set(), 0
        rows = list(self._rows(watermark))
        for cid, vector in rows:
            self.vectors[cid] = vector
            self.present.add(cid)
            self.highest = max(self.highest, cid)
        if self.index is None:
            ids = np.array([cid for cid, _ in rows], dtype=np.int64)
            matrix = np.stack([v for _, v in rows]) if rows else np.zeros((0, 0), dtype=np.float32)
            self.index = VectorIndex.build(matrix, ids, exact_below=self.store.settings.exact_below)
            self.unsaved = len(rows)
        elif rows:
            self.index.add(np.stack([v for _, v in rows]), np.array([cid for cid, _ in rows], dtype=np.int64))
            self.unsaved = len(rows)

    def catch_up(self) -> None:
        """Add the claims that another process paired under this model since this index was loaded."""
        rows = list(self._rows(self.highest))
        if rows:
            self.add_committed(np.array([cid for cid, _ in rows], dtype=np.int64), np.stack([v for _, v in rows]))

    def __len__(self) -> int:
        return (len(self.index) if self.index is not None else 0) + (len(self.recent) if self.recent else 0)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Neighbours in the main index and in the recent buffer, merged (best first, ties by lower id)."""
        assert self.index is not None
        sims, ids = self.index.search(queries, k)
        if self.recent is None or not len(self.recent):
            return sims, ids
        recent_sims, recent_ids = self.recent.search(queries, k)
        all_sims = np.concatenate([sims, recent_sims], axis=1)
        all_ids = np.concatenate([ids, recent_ids], axis=1)
        order = np.lexsort((np.where(all_ids < 0, np.iinfo(np.int64).max, all_ids),
                            -np.round(np.where(all_ids < 0, -np.inf, all_sims), SIMILARITY_DECIMALS)), axis=1)[:, :k]
        return np.take_along_axis(all_sims, order, axis=1), np.take_along_axis(all_ids, order, axis=1)

    def radii(self, claim_ids: Sequence[int], floor: float) -> list[tuple[float, float]]:
        """Each claim's stored radii (the floor when none are stored: it is then always queried again)."""
        missing = [cid for cid in claim_ids if cid not in self._radius]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            for cid, similar, slot in self.store.db.execute(
                    f"SELECT claim_id, radius_similar, radius_slot FROM claim_radius WHERE embedding_model=? "
                    f"AND claim_id IN ({','.join('?' * len(chunk))})", (self.emb_key, *chunk)):
                self._radius[int(cid)] = (float(similar), float(slot))
        return [self._radius.get(cid, (floor, floor)) for cid in claim_ids]

    def note_radii(self, radii: dict[int, tuple[float, float]], position_ids: Sequence[int]) -> None:
        """Remember radii that were just committed."""
        for key, value in radii.items():
            self._radius[int(position_ids[key]) if key >= 0 else -key - 1] = value

    def vectors_of(self, claim_ids: Sequence[int]) -> np.ndarray:
        missing = [cid for cid in claim_ids if cid not in self.vectors]
        if missing:
            for cid, blob in self.store.db.execute(
                    "SELECT c.id, e.vector FROM claims c JOIN embeddings e ON e.text_hash=c.text_hash AND e.model=? "
                    f"WHERE c.id IN ({','.join('?' * len(missing))})", (self.emb_key, *missing)):
                self.vectors[int(cid)] = np.frombuffer(blob, dtype=np.float32)
        return np.stack([self.vectors[cid] for cid in claim_ids])

    def add_committed(self, claim_ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add claims whose transaction has committed."""
        assert self.index is not None
        fresh = [i for i, cid in enumerate(claim_ids.tolist()) if cid not in self.present]
        if not fresh:
            return
        for i in fresh:
            self.vectors[int(claim_ids[i])] = vectors[i]
            self.present.add(int(claim_ids[i]))
        self.highest = max(self.highest, int(claim_ids[fresh].max()))
        if self.index.backend == "faiss-hnsw":  # small additions go to an exact buffer, merged in bulk
            if self.recent is None:
                self.recent = VectorIndex(self.index.dim, exact_below=RECENT_MAX + 1)
            self.recent.add(vectors[fresh], claim_ids[fresh])
            if len(self.recent) >= RECENT_MAX:
                self._flush_recent()
        else:
            self.index.add(vectors[fresh], claim_ids[fresh])
        self.unsaved += len(fresh)
        self.maybe_save(final=False)

    def _flush_recent(self) -> None:
        assert self.index is not None
        if self.recent is not None and len(self.recent):
            ids = self.recent.ids()
            self.index.add(np.stack([self.vectors[int(cid)] for cid in ids]), ids)
            self.recent = None

    def maybe_save(self, final: bool) -> None:
        """Persist the faiss index once the unsaved tail is large (or at the end of a run when there is no
        file yet); below ``EXACT_BELOW`` claims rebuilding from the database is cheap, so nothing is saved."""
        if self.index is None or self.index.backend != "faiss-hnsw" or self.unsaved == 0:
            return
        limit = max(INDEX_REWRITE_MIN, int(INDEX_REWRITE_FRACTION * len(self.index)))
        if self.unsaved >= limit or (final and not self.file.exists()):
            self._flush_recent()
            self.index.save(self.file)
            self.unsaved = 0
