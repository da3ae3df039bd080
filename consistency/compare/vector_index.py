"""Nearest-neighbour search over L2-normalised embeddings (cosine = inner product).

Small inputs use an exact numpy search (blocked matrix products: deterministic, no extra
dependency). From :data:`EXACT_BELOW` vectors on, the index is a faiss HNSW graph
(``IndexHNSWFlat`` with inner product, wrapped in an id map): building it costs about
O(n log n) and a query about O(log n), so pairing every claim with its neighbours stays
sub-quadratic as a corpus grows, where exact search is O(n^2).

Why faiss (``faiss-cpu``): it is maintained (Meta, regular releases), ships prebuilt abi3 wheels
for Linux, macOS and Windows, has exact, HNSW, IVF and product-quantised indexes behind one API
(so the index can be swapped for a compressed one when the vectors outgrow memory), and a GPU
build of the same API. hnswlib has had no release since 2023 and only source builds for recent
Pythons here; usearch is fine too but faiss has the wider range of index types and users.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from consistency.errors import ConsistencyError

logger = logging.getLogger(__name__)

EXACT_BELOW = 4096  # below this many vectors, exact search is both faster and exact
HNSW_M = 32  # graph degree: recall vs memory (M * 8 bytes per vector for links)
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
SIMILARITY_DECIMALS = 5  # exact search orders by (similarity rounded to this, id): ties break the same way
PARALLEL_QUERIES = 1024  # fewer queries than this run on one thread
_ID_SPAN = 1 << 40  # ids of one index must span less than this
_INSTALL_HINT = "run: pip install faiss-cpu"


def faiss_module() -> Any | None:
    """The faiss module, or None when it is not installed."""
    try:
        import faiss
    except ImportError:
        return None
    return faiss


class VectorIndex:
    """Inner-product k-nearest-neighbour index with integer ids; exact below a size, HNSW above.

    >>> index = VectorIndex.build(vectors, ids)       # doctest: +SKIP
    >>> sims, found = index.search(queries, k=5)      # doctest: +SKIP  (found is -1 where none)
    """

    def __init__(self, dim: int, approximate: bool = False, exact_below: int = EXACT_BELOW) -> None:
        self.dim = dim
        self.exact_below = exact_below
        self._faiss_index: Any | None = None  # IndexIDMap2 over self._hnsw
        self._hnsw: Any | None = None
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        if approximate:
            self._faiss_index, self._hnsw = _new_hnsw(dim)

    @classmethod
    def build(cls, vectors: np.ndarray, ids: np.ndarray | None = None, exact_below: int = EXACT_BELOW
              ) -> VectorIndex:
        """An index over ``vectors`` (rows); ``ids`` default to row numbers."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 0
        approximate = vectors.shape[0] >= exact_below and faiss_module() is not None
        if vectors.shape[0] >= exact_below and not approximate:
            logger.warning("faiss is not installed: exact search over %d vectors is quadratic; %s",
                           vectors.shape[0], _INSTALL_HINT)
        index = cls(dim, approximate=approximate, exact_below=exact_below)
        index.add(vectors, np.arange(vectors.shape[0], dtype=np.int64) if ids is None else ids)
        return index

    @property
    def backend(self) -> str:
        return "faiss-hnsw" if self._faiss_index is not None else "numpy-exact"

    def __len__(self) -> int:
        return int(self._faiss_index.ntotal) if self._faiss_index is not None else int(self._ids.shape[0])

    def add(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        """Add rows with their integer ids (ids must be new)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if vectors.shape[0] == 0:
            return
        if vectors.shape[0] != ids.shape[0]:
            raise ValueError(f"{vectors.shape[0]} vectors but {ids.shape[0]} ids")
        if self.dim == 0:
            self.dim = vectors.shape[1]
            self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ConsistencyError(f"vectors have {vectors.shape[1]} dimensions but the index has {self.dim}; "
                                   "embeddings from different models cannot share an index")
        if self._faiss_index is not None:
            self._faiss_index.add_with_ids(vectors, ids)
            return
        self._matrix = np.concatenate([self._matrix, vectors]) if len(self._ids) else vectors.copy()
        self._ids = np.concatenate([self._ids, ids])
        if len(self._ids) >= self.exact_below and faiss_module() is not None:  # grew out of exact search
            matrix, all_ids = self._matrix, self._ids
            self._faiss_index, self._hnsw = _new_hnsw(self.dim)
            self._faiss_index.add_with_ids(matrix, all_ids)
            self._matrix = np.zeros((0, self.dim), dtype=np.float32)
            self._ids = np.zeros(0, dtype=np.int64)

    def search(self, queries: np.ndarray, k: int, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` most similar rows for each query: (similarities, ids), best first; id -1 pads.

        Exact search breaks ties (similarities equal to :data:`SIMILARITY_DECIMALS` places) by the lower
        id, so the same vectors give the same neighbours however they were batched or added."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        n = queries.shape[0]
        k = max(0, min(k, len(self)))
        if n == 0 or k == 0:
            return np.zeros((n, k), dtype=np.float32), np.full((n, k), -1, dtype=np.int64)
        if self._faiss_index is not None:
            assert self._hnsw is not None
            self._hnsw.hnsw.efSearch = max(HNSW_EF_SEARCH, 2 * k)
            faiss = faiss_module()
            assert faiss is not None
            threads = faiss.omp_get_max_threads()
            if n < PARALLEL_QUERIES:  # OpenMP start-up costs more than it saves on a few queries
                faiss.omp_set_num_threads(1)
            try:
                sims, ids = self._faiss_index.search(queries, k)
            finally:
                faiss.omp_set_num_threads(threads)
            return sims.astype(np.float32), ids.astype(np.int64)
        out_sims = np.empty((n, k), dtype=np.float32)
        out_ids = np.empty((n, k), dtype=np.int64)
        for start in range(0, n, block):
            sims = queries[start : start + block] @ self._matrix.T
            # one integer key per candidate: rounded similarity first (descending), then the id (ascending)
            keys = (-np.round(sims.astype(np.float64) * 10**SIMILARITY_DECIMALS)).astype(np.int64) * _ID_SPAN
            keys += self._ids - self._ids.min()
            top = np.argpartition(keys, k - 1, axis=1)[:, :k] if k < keys.shape[1] else np.tile(
                np.arange(keys.shape[1]), (keys.shape[0], 1))
            order = np.argsort(np.take_along_axis(keys, top, axis=1), axis=1)
            chosen = np.take_along_axis(top, order, axis=1)
            out_sims[start : start + block] = np.take_along_axis(sims, chosen, axis=1)
            out_ids[start : start + block] = self._ids[chosen]
        return out_sims, out_ids

    def ids(self) -> np.ndarray:
        """Every id in the index."""
        if self._faiss_index is not None:
            faiss = faiss_module()
            assert faiss is not None
            return faiss.vector_to_array(self._faiss_index.id_map).astype(np.int64)
        return self._ids.copy()

    def save(self, path: str | Path) -> None:
        """Write the index atomically (temporary file, then rename): a kill never leaves half a file."""
        faiss = faiss_module()
        if faiss is None:
            raise ConsistencyError(f"saving a vector index needs faiss; {_INSTALL_HINT}")
        target = Path(path)
        temporary = target.with_name(target.name + f".tmp{os.getpid()}")
        index = self._faiss_index
        if index is None:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
            if len(self._ids):
                index.add_with_ids(self._matrix, self._ids)
        faiss.write_index(index, str(temporary))
        os.replace(temporary, target)

    @classmethod
    def load(cls, path: str | Path) -> VectorIndex:
        """Read an index written by :meth:`save`."""
        faiss = faiss_module()
        if faiss is None:
            raise ConsistencyError(f"loading a vector index needs faiss; {_INSTALL_HINT}")
        raw = faiss.read_index(str(path))
        index = cls(raw.d)
        wrapper = raw  # read_index returns the downcast wrapper; it owns ``inner``
        inner = faiss.downcast_index(wrapper.index)
        if isinstance(inner, faiss.IndexHNSWFlat):
            index._faiss_index, index._hnsw = wrapper, inner
        elif wrapper.ntotal:
            count = wrapper.ntotal
            index._matrix = faiss.rev_swig_ptr(inner.get_xb(), count * raw.d).reshape(count, raw.d).copy()
            index._ids = faiss.vector_to_array(wrapper.id_map).astype(np.int64)
        return index


def _new_hnsw(dim: int) -> tuple[Any, Any]:
    faiss = faiss_module()
    if faiss is None:
        raise ConsistencyError(f"approximate nearest-neighbour search needs faiss; {_INSTALL_HINT}")
    inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    inner.hnsw.efSearch = HNSW_EF_SEARCH
    return faiss.IndexIDMap2(inner), inner  # the caller keeps ``inner`` alive beside its wrapper
