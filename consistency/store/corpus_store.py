"""A corpus kept in SQLite: articles, claims, embeddings and NLI verdicts, added incrementally.

Layout (WAL journal, foreign keys on):

* ``articles`` - one row per article id, with the SHA-256 of its text and its metadata;
* ``claims`` - the article's sentences with offsets, speaker, hedging and the hash of their text;
* ``embeddings`` - keyed by (claim text hash, embedding model): identical sentences share one row;
* ``pairs`` - candidate pairs of claims under an embedding model (the neighbour search depends on it);
* ``verdicts`` - NLI probabilities in both directions, keyed by (text hash, text hash, NLI model);
* ``article_models`` - which articles have been paired under which embedding model.

Adding an article is one transaction holding its claims, embeddings, pairs and verdicts, so a kill at
any moment leaves either the whole article or none of it; the next run redoes what is missing.
The work for one article is its own segmentation, embedding, a nearest-neighbour query per claim
against the stored claims and NLI on the resulting pairs: proportional to the article, not to the
corpus. An unchanged article (same id, same text hash, already paired under the models in use) costs a
primary-key lookup. A model is identified by its name plus a fingerprint of its files when it is a
local directory, so a retrained model recomputes what depends on it and nothing else: a new NLI model
re-scores pairs; a new embedding model re-embeds, re-pairs, and re-scores only pairs it has not seen.

Above :data:`~consistency.vector_index.EXACT_BELOW` claims the faiss index is saved beside the
database (``DB.<model>.faiss``, written atomically) and only the claims added since are inserted on
the next run; it is rewritten once that tail exceeds a tenth of it, so the cost stays amortised.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from consistency.compare.articles import Article, LoadProblem, text_hash
from consistency.compare.stages import (
    ArticleClaims,
    CompareReport,
    CompareSettings,
    build_report,
    claim_keys,
    neighbour_pairs,
    within_pairs,
)
from consistency.compare.vector_index import EXACT_BELOW, SIMILARITY_DECIMALS, VectorIndex
from consistency.errors import ConsistencyError, InputError
from consistency.scoring import make_finding
from consistency.types import CandidatePair, Claim, Finding, NLIScores, SkippedSpan

if TYPE_CHECKING:
    from consistency.checker import Checker

logger = logging.getLogger(__name__)

STORE_SCHEMA_VERSION = 1
SAME_ARTICLE_MARGIN = 32  # extra neighbours when re-pairing an article whose claims are in the index
INDEX_REWRITE_FRACTION = 0.1
INDEX_REWRITE_MIN = 1000
RECENT_MAX = 2048  # claims kept in the exact buffer before they are inserted into the HNSW graph in bulk
SCORE_BATCH = 512  # pairs per transaction when catching up on verdicts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ext_id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    title TEXT, source TEXT, date TEXT, url TEXT, path TEXT, date_from TEXT,
    encoding TEXT NOT NULL DEFAULT 'utf-8',
    skipped TEXT NOT NULL DEFAULT '[]',
    added_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    speaker TEXT,
    hedged INTEGER NOT NULL,
    keys TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, position)
);
CREATE INDEX IF NOT EXISTS claims_by_hash ON claims(text_hash);
CREATE TABLE IF NOT EXISTS embeddings (
    text_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (text_hash, model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article_models (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    embedding_model TEXT NOT NULL,
    within INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, embedding_model)
);
CREATE TABLE IF NOT EXISTS claim_radius (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    embedding_model TEXT NOT NULL,
    radius_similar REAL NOT NULL,
    radius_slot REAL NOT NULL,
    PRIMARY KEY (claim_id, embedding_model)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (
    a INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    embedding_model TEXT NOT NULL,
    similarity REAL NOT NULL,
    reasons TEXT NOT NULL,
    PRIMARY KEY (a, b, embedding_model),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pairs_by_b ON pairs(b);
CREATE TABLE IF NOT EXISTS verdicts (
    a_hash TEXT NOT NULL,
    b_hash TEXT NOT NULL,
    nli_model TEXT NOT NULL,
    entailment_ab REAL NOT NULL, neutral_ab REAL NOT NULL, contradiction_ab REAL NOT NULL,
    entailment_ba REAL NOT NULL, neutral_ba REAL NOT NULL, contradiction_ba REAL NOT NULL,
    PRIMARY KEY (a_hash, b_hash, nli_model),
    CHECK (a_hash <= b_hash)
) WITHOUT ROWID;
"""


def model_key(name: str, path: str | None = None) -> str:
    """A model's identity in the store: its name, plus a fingerprint of its files for a local directory
    (config and weight files' names, sizes, and the bytes of config.json and tokenizer_config.json, which
    holds the window ``model_max_length``), so a retrained or re-windowed model gets a new key."""
    if path is None or not Path(path).is_dir():
        return name
    directory = Path(path)
    digest = hashlib.sha256()
    for file in sorted(directory.rglob("*")):
        if file.is_file() and file.suffix in (".json", ".safetensors", ".bin", ".txt", ".model"):
            digest.update(f"{file.relative_to(directory)}:{file.stat().st_size}".encode())
            if file.name in ("config.json", "tokenizer_config.json"):
                digest.update(file.read_bytes())
    return f"{name}@{digest.hexdigest()[:12]}"


VERDICT_VERSION = 2  # bump when how a text pair's scores are computed changes (2: claims read in views)


def nli_model_key(checker: Checker) -> str:
    """The NLI model's store key, without loading the model; it also names ``VERDICT_VERSION``, so stored
    verdicts of an older scoring are recomputed."""
    from consistency.runtime.nli import BUILTIN_NLI_NAME, NLI_MODEL_ENV, resolve_nli_model

    backend = getattr(checker, "_nli", None)
    if backend is not None:  # loaded: the same key as before loading (name and files' fingerprint)
        name, path = str(backend.name), getattr(backend, "model_name", None)
    else:
        name = checker.nli_model or os.environ.get(NLI_MODEL_ENV) or BUILTIN_NLI_NAME
        path = resolve_nli_model(checker.nli_model)
    window = getattr(checker, "nli_max_length", None)
    if window and window == model_dir_window(path):  # --nli-max-length equal to the model's own window
        window = None
    suffix = (f"@{window}tok" if window else "") + f"#v{VERDICT_VERSION}"  # another window gives other scores
    return f"{model_key(name, path)}{suffix}"


def model_dir_window(path: str | None) -> int | None:
    """The window a local model directory reads pairs in when no ``--nli-max-length`` is given, by the NLI
    backend's own rule (``consistency.nli.default_window`` of its tokenizer's ``model_max_length``); None when
    unknown (not a local directory, or a tokenizer config without a positive ``model_max_length``)."""
    from consistency.runtime.nli import default_window

    config = Path(path) / "tokenizer_config.json" if path else None
    if config is None or not config.is_file():
        return None
    try:
        value = json.loads(config.read_text(encoding="utf-8")).get("model_max_length")
    except (OSError, ValueError):
        return None
    return default_window(value) if isinstance(value, (int, float)) and value > 0 else None


def embedding_model_key(checker: Checker) -> str:
    """The embedding model's store key, without loading the model."""
    backend = getattr(checker, "_embedder", None)
    if backend is not None:  # loaded: the same key as before loading
        return model_key(str(backend.name), getattr(backend, "model_path", None))
    from consistency.runtime.embedding import DEFAULT_EMBEDDING_NAME, EMBEDDING_MODEL_ENV, resolve_embedding_model

    name = checker.embedding_model or os.environ.get(EMBEDDING_MODEL_ENV) or DEFAULT_EMBEDDING_NAME
    return model_key(name, resolve_embedding_model(checker.embedding_model))


@dataclass
class StoreStats:
    """What a run did (and did not need to do)."""

    articles_added: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    articles_paired: int = 0
    claims_added: int = 0
    texts_embedded: int = 0
    pairs_added: int = 0
    pairs_scored: int = 0
    pairs_reused: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}

    def summary(self) -> str:
        return (f"{self.articles_added} added, {self.articles_replaced} replaced, {self.articles_unchanged} unchanged; "
                f"{self.claims_added} claims, {self.texts_embedded} texts embedded, {self.pairs_added} pairs, "
                f"{self.pairs_scored} scored ({self.pairs_reused} verdicts reused) in {self.seconds:.1f} s")


class CorpusStore:
    """A corpus in an SQLite file. Use as a context manager; one writer at a time.

    >>> with CorpusStore("news.db") as store:                      # doctest: +SKIP
    ...     store.add(articles, Checker())
    ...     report = store.report(Checker())
    """

    def __init__(self, path: str | Path, settings: CompareSettings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or CompareSettings()
        if self.path.is_dir():
            raise InputError(f"--db '{self.path}' is a directory; pass a database file path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit
            with self.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                found = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if found is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(STORE_SCHEMA_VERSION),))
                elif int(found[0]) != STORE_SCHEMA_VERSION:
                    raise ConsistencyError(f"'{self.path}' has store schema {found[0]}; this version reads "
                                           f"{STORE_SCHEMA_VERSION}: use a new --db file")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"'{self.path}' is not a usable corpus database ({exc}); pass another --db file") from exc
        self._indexes: dict[str, _StoredIndex] = {}
        self._keys: dict[int, frozenset[str]] = {}  # entity/slot keys of stored claims, by claim id
        self._claims: dict[int, Claim] = {}  # stored claims met while pairing, by claim id

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for stored in self._indexes.values():
            stored.maybe_save(final=True)
        self._indexes.clear()
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- inspection ---------------------------------------------------------------------------

    def integrity_check(self) -> str:
        """SQLite's integrity check plus foreign keys: 'ok' when both are clean."""
        result = self.db.execute("PRAGMA integrity_check").fetchone()[0]
        broken = self.db.execute("PRAGMA foreign_key_check").fetchall()
        return result if not broken else f"{result}; {len(broken)} foreign key violations"

    def counts(self) -> dict[str, int]:
        tables = ("articles", "claims", "embeddings", "pairs", "verdicts")
        return {t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def article_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT ext_id FROM articles ORDER BY id")]

    # --- adding -------------------------------------------------------------------------------

    def add(
        self,
        articles: Sequence[Article],
        checker: Checker,
        progress: Callable[[Article, str], None] | None = None,
    ) -> StoreStats:
        """Add or update ``articles``: one transaction per article (claims, embeddings, pairs, verdicts).

        ``progress(article, what)`` is told 'added', 'replaced', 'unchanged' or 'paired' per article.
        """
        from consistency.text.segment import segment

        stats = StoreStats()
        started = time.perf_counter()
        emb_key, nli_key = embedding_model_key(checker), self._nli_key(checker)
        for article in articles:
            row = self.db.execute("SELECT id, content_hash, title, source, date, url, path, date_from "
                                  "FROM articles WHERE ext_id=?", (article.id,)).fetchone()
            if row is not None and row[1] == article.content_hash:
                new_meta = (article.title, article.source, article.date, article.url, article.path, article.date_from)
                if tuple(row[2:]) != new_meta:
                    with self.transaction():
                        self.db.execute("UPDATE articles SET title=?, source=?, date=?, url=?, path=?, date_from=? "
                                        "WHERE id=?", (*new_meta, row[0]))
                if self._is_paired(row[0], emb_key):
                    stats.articles_unchanged += 1
                    if progress:
                        progress(article, "unchanged")
                    continue
                self._pair_article(row[0], checker, emb_key, nli_key, stats)
                stats.articles_paired += 1
                if progress:
                    progress(article, "paired")
                continue
            clock = time.perf_counter()
            segmentation = segment(article.text)
            claims = tuple(replace(c, article=article.id) for c in segmentation.claims)
            _add_time(stats, "segment", clock)
            vectors = self._vectors_for([c.text for c in claims], checker, emb_key, stats)
            index = self._index(emb_key)
            pairs, others, radii = self._pairs_for_new(claims, vectors, index,
                                                       replacing=None if row is None else row[0])
            verdicts = self._score(_pair_texts(claims, others, pairs), checker, nli_key, stats)
            clock = time.perf_counter()
            with self.transaction():
                if row is not None:
                    self.db.execute("DELETE FROM articles WHERE id=?", (row[0],))
                    self._claims = {k: v for k, v in self._claims.items() if v.article != f"#{row[0]}"}
                article_id = self._insert_article(article, segmentation.skipped)
                claim_ids = self._insert_claims(article_id, claims)
                self._insert_embeddings(emb_key, [c.text for c in claims], vectors)
                stats.pairs_added += self._insert_pairs(pairs, claim_ids, others, emb_key)
                self._insert_verdicts(verdicts, nli_key)
                self._insert_radii(radii, claim_ids, emb_key)
                self.db.execute("INSERT INTO article_models VALUES (?, ?, ?)",
                                (article_id, emb_key, int(self.settings.within)))
            index.add_committed(np.asarray(claim_ids, dtype=np.int64), vectors)
            index.note_radii(radii, claim_ids)
            _add_time(stats, "write", clock)
            stats.claims_added += len(claims)
            if row is None:
                stats.articles_added += 1
            else:
                stats.articles_replaced += 1
            if progress:
                progress(article, "added" if row is None else "replaced")
        stats.seconds = time.perf_counter() - started
        return stats

    def update(self, checker: Checker, progress: Callable[[str, int], None] | None = None) -> StoreStats:
        """Bring the store up to date with ``checker``'s models: pair articles not yet paired under the
        embedding model (embedding what is missing) and score every pair that has no verdict under the
        NLI model. Work already done is skipped; each article / batch of pairs is its own transaction."""
        stats = StoreStats()
        started = time.perf_counter()
        emb_key, nli_key = embedding_model_key(checker), self._nli_key(checker)
        need_within = int(self.settings.within)
        todo = [row[0] for row in self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN article_models m ON m.article_id=a.id AND m.embedding_model=? "
            "WHERE m.article_id IS NULL OR m.within < ? ORDER BY a.id", (emb_key, need_within))]
        for n, article_id in enumerate(todo, start=1):
            self._pair_article(article_id, checker, emb_key, nli_key, stats)
            stats.articles_paired += 1
            if progress:
                progress("paired", n)
        missing = self._unscored_pairs(emb_key, nli_key)
        for start in range(0, len(missing), SCORE_BATCH):
            batch = missing[start : start + SCORE_BATCH]
            verdicts = self._score(batch, checker, nli_key, stats)
            with self.transaction():
                self._insert_verdicts(verdicts, nli_key)
            if progress:
                progress("scored", min(len(missing), start + SCORE_BATCH))
        stats.seconds = time.perf_counter() - started
        return stats

    # --- reporting ----------------------------------------------------------------------------

    def report(self, checker: Checker, problems: Sequence[LoadProblem] = (), timings: dict[str, float] | None = None
               ) -> CompareReport:
        """The comparison report of the whole corpus from stored verdicts (run :meth:`update` first)."""
        emb_key, nli_key = embedding_model_key(checker), self._nli_key(checker)
        settings = self.settings
        records, claims_by_id = self._records()
        lower = settings.threshold - max(0.0, settings.near_miss_margin)
        same = "" if settings.within else "AND ca.article_id != cb.article_id"
        pairs_checked = int(self.db.execute(
            "SELECT count(*) FROM pairs p JOIN claims ca ON ca.id=p.a JOIN claims cb ON cb.id=p.b "
            f"WHERE p.embedding_model=? {same}", (emb_key,)).fetchone()[0])
        rows = self.db.execute(
            "SELECT p.a, p.b, p.similarity, p.reasons, ca.text_hash, cb.text_hash, v.a_hash, "
            "v.entailment_ab, v.neutral_ab, v.contradiction_ab, v.entailment_ba, v.neutral_ba, v.contradiction_ba "
            "FROM pairs p JOIN claims ca ON ca.id=p.a JOIN claims cb ON cb.id=p.b "
            "JOIN verdicts v ON v.nli_model=? AND v.a_hash=min(ca.text_hash, cb.text_hash) "
            "AND v.b_hash=max(ca.text_hash, cb.text_hash) "
            "WHERE p.embedding_model=? AND (max(v.contradiction_ab, v.contradiction_ba) >= ? "
            "OR max(v.entailment_ab, v.entailment_ba) >= ?)",
            (nli_key, emb_key, lower, settings.threshold))
        scored: list[Finding] = []
        for a, b, similarity, reasons, hash_a, _hash_b, v_a, *probs in rows:
            claim_a, claim_b = claims_by_id[a], claims_by_id[b]
            if claim_a.article == claim_b.article and not settings.within:
                continue
            forward, backward = _directions(probs, swapped=v_a != hash_a)
            pair = CandidatePair(a, b, float(similarity), tuple(json.loads(reasons)))
            scored.append(make_finding(claim_a, claim_b, pair, forward, backward))
        models = {"nli": nli_key, "embedding": emb_key, "store": str(self.path)}
        return build_report(records, scored, settings, pairs_checked=pairs_checked, models=models,
                            timings=timings, problems=problems, stats={"store": self.counts()})

    # --- internals ----------------------------------------------------------------------------

    def _nli_key(self, checker: Checker) -> str:
        """The key stored verdicts are filed under: the NLI model's key, marked when claims are read whole
        only (``settings.claim_views`` false), so the two scorings never share verdicts."""
        key = nli_model_key(checker)
        return key if self.settings.claim_views else f"{key}#whole"

    def _is_paired(self, article_id: int, emb_key: str) -> bool:
        row = self.db.execute("SELECT within FROM article_models WHERE article_id=? AND embedding_model=?",
                              (article_id, emb_key)).fetchone()
        return row is not None and row[0] >= int(self.settings.within)

    def _index(self, emb_key: str) -> _StoredIndex:
        if emb_key not in self._indexes:
            self._indexes[emb_key] = _StoredIndex(self, emb_key)
        return self._indexes[emb_key]

    def _vectors_for(self, texts: Sequence[str], checker: Checker, emb_key: str, stats: StoreStats) -> np.ndarray:
        """Embeddings of ``texts`` under ``emb_key``: stored ones read back, the others computed."""
        clock = time.perf_counter()
        hashes = [text_hash(t) for t in texts]
        known: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = sorted(set(hashes[start : start + 500]))
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(f"SELECT text_hash, vector FROM embeddings WHERE model=? AND text_hash IN "
                                           f"({marks})", (emb_key, *chunk)):
                known[h] = np.frombuffer(blob, dtype=np.float32)
        todo = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
        if todo:
            from consistency.compare.stages import embed_claims

            fresh = embed_claims([t for _, t in todo], checker.embedder)
            for (h, _), vector in zip(todo, fresh, strict=True):
                known[h] = vector
            stats.texts_embedded += len(todo)
        _add_time(stats, "embed", clock)
        if not hashes:
            return np.zeros((0, 0), dtype=np.float32)
        return np.ascontiguousarray(np.stack([known[h] for h in hashes]), dtype=np.float32)

    def _pairs_for_new(
        self, claims: Sequence[Claim], vectors: np.ndarray, index: _StoredIndex, replacing: int | None = None
    ) -> tuple[list[CandidatePair], list[Claim], dict[int, tuple[float, float]]]:
        """Pairs of one article's claims with stored claims of other articles (``b`` is ``len(claims) + j``
        for ``others[j]``), and with each other when ``settings.within``; plus each claim's new radius.

        Both directions of the batch rule are applied: a stored claim is paired with a new one when it is
        among the new claim's neighbours (forward), and when the new claim enters the stored claim's own
        neighbour list (reverse). For the reverse direction each claim keeps two *radii*: the similarity a
        newcomer must reach to enter its ``top_k`` similar claims, and the one it must reach to become one
        of its entity/slot partners (the ``wide_neighbours``-th neighbour, or the last partner when it has
        all it may have). Only stored claims that a new claim reaches (sharing a key, for the second) are
        queried again, their lists merged with the new claims. So the stored pairs contain those
        ``compare`` would make on the whole corpus (up to the approximate search), plus pairs that were
        neighbours when they arrived and were later outranked. Claims the search returns that are gone
        from the database are ignored, and so are those of ``replacing``, the stored version of an
        article that is being replaced.

        The radii returned are keyed by local row (< ``len(claims)``) for new claims and by claim id
        (as ``-id - 1``) for stored ones.
        """
        settings = self.settings
        n = len(claims)
        pairs: dict[tuple[int, int], set[str]] = {}
        others: list[Claim] = []
        local: dict[int, int] = {}
        texts = [c.text for c in claims]
        own = replacing if replacing is not None else _group(claims[0]) if n else -1  # -1: not stored yet
        cache: dict[int, frozenset[str]] = {}
        floor = min(settings.pairing.min_similarity, settings.pairing.slot_min_similarity)
        wide = settings.wide_neighbours
        radii: dict[int, tuple[float, float]] = {}
        top_k, per_claim = settings.pairing.top_k, settings.pairing.slot_pairs_per_claim

        def keys(i: int) -> frozenset[str]:
            if i >= n:
                return self._keys[others[i - n].index]
            if i not in cache:
                cache[i] = claim_keys(texts[i])
            return cache[i]

        def localise(sims: np.ndarray, found: np.ndarray) -> np.ndarray:
            """Map claim ids to local rows (fetching claims seen for the first time); -1 when gone or
            below every similarity floor (such neighbours can never be paired, and rank after the rest)."""
            found = np.where(sims >= floor, found, -1)
            fresh = sorted(set(np.unique(found[found >= 0]).tolist()) - set(local))
            for claim_id, claim in self._claims_by_ids(fresh).items():
                local[claim_id] = n + len(others)
                others.append(claim)
                texts.append(claim.text)
            if not found.size or not local:
                return np.full(found.shape, -1, dtype=np.int64)
            known = np.array(sorted(local), dtype=np.int64)
            rows = np.array([local[int(x)] for x in known], dtype=np.int64)
            at = np.clip(np.searchsorted(known, found), 0, len(known) - 1)
            return np.where((found >= 0) & (known[at] == found), rows[at], -1)

        def groups() -> np.ndarray:
            return np.concatenate([np.full(n, own, dtype=np.int64),
                                   np.array([_group(c) for c in others], dtype=np.int64)])

        def radius_of(all_groups: np.ndarray, sims: np.ndarray, ids: np.ndarray, rows: np.ndarray
                      ) -> list[tuple[float, float]]:
            """Per query row: (similarity of its top_k-th neighbour of another article, similarity of its
            wide-th such neighbour or of its last allowed key-sharing partner); the floor where absent."""
            valid = ids >= 0
            other = valid & (all_groups[np.where(valid, ids, 0)] != all_groups[rows][:, None])
            out = []
            for r, row in enumerate(rows):
                columns = np.flatnonzero(other[r])
                similar = float(sims[r, columns[top_k - 1]]) if len(columns) >= top_k else floor
                slot = float(sims[r, columns[wide - 1]]) if len(columns) >= wide else floor
                mine = keys(int(row))
                sharing = [c for c in columns[:wide] if mine & keys(int(ids[r, c]))]
                if len(sharing) >= per_claim:
                    slot = max(slot, float(sims[r, sharing[per_claim - 1]]))
                out.append((similar, slot))
            return out

        def merge(found: dict[tuple[int, int], set[str]], keep_old_old: bool) -> None:
            for key, why in found.items():
                if keep_old_old or key[0] < n:
                    pairs.setdefault(key, set()).update(why)

        if n and len(index):
            margin = min(n, SAME_ARTICLE_MARGIN) if own >= 0 else 0  # the article's own stored claims come back
            k = max(settings.pairing.top_k, wide) + margin
            sims, found = index.search(vectors, k)
            ids = localise(sims, found)
            current = groups()
            merge(neighbour_pairs(current, sims, ids, np.arange(n), keys, settings.pairing, wide), keep_old_old=True)
            for row, value in enumerate(radius_of(current, sims, ids, np.arange(n))):
                radii[row] = value
            # reverse: stored claims that some new claim reaches within their radius
            stored_rows = np.array([r for r in np.unique(ids[ids >= n]) if _group(others[r - n]) != own],
                                   dtype=np.int64)
            if stored_rows.size:
                known = index.radii([others[r - n].index for r in stored_rows], floor)
                position = {int(r): p for p, r in enumerate(stored_rows)}
                reached = np.zeros(len(stored_rows), dtype=bool)
                min_similar = settings.pairing.min_similarity
                for r, c in zip(*np.nonzero(ids >= n), strict=True):
                    p = position.get(int(ids[r, c]))
                    if p is None or reached[p]:
                        continue
                    sim = float(sims[r, c])
                    similar, slot = known[p]
                    reached[p] = (sim >= max(similar, min_similar)) or (
                        sim >= slot and bool(keys(int(r)) & keys(int(ids[r, c]))))
                stored_rows = stored_rows[reached]
            if stored_rows.size:
                stored_vectors = index.vectors_of([others[r - n].index for r in stored_rows])
                old_sims, old_found = index.search(stored_vectors, k)
                old_ids = localise(old_sims, old_found)
                new_sims = stored_vectors @ vectors.T
                all_sims = np.concatenate([old_sims, new_sims], axis=1)
                all_ids = np.concatenate([old_ids, np.tile(np.arange(n, dtype=np.int64), (len(stored_rows), 1))],
                                         axis=1)
                newest = max(c.index for c in others) + 1  # new claims get ids after every stored one
                claim_ids = np.array([0] + [c.index for c in others], dtype=np.int64)
                order_ids = np.concatenate([
                    np.where(old_ids >= n, claim_ids[np.maximum(old_ids - n + 1, 0)], -1),
                    np.tile(np.arange(newest, newest + n, dtype=np.int64), (len(stored_rows), 1))], axis=1)
                order = np.lexsort((order_ids, -np.round(all_sims, SIMILARITY_DECIMALS)), axis=1)
                all_sims = np.take_along_axis(all_sims, order, axis=1)
                all_ids = np.take_along_axis(all_ids, order, axis=1)
                current = groups()
                merge(neighbour_pairs(current, all_sims, all_ids, stored_rows, keys, settings.pairing, wide),
                      keep_old_old=False)
                for row, value in zip(stored_rows, radius_of(current, all_sims, all_ids, stored_rows), strict=True):
                    radii[-others[row - n].index - 1] = value
        if settings.within and n > 1:
            merge(within_pairs(claims, vectors, np.zeros(n, dtype=np.int64), settings.pairing), keep_old_old=True)
        all_vectors = vectors
        if others:
            all_vectors = np.concatenate([vectors, index.vectors_of([c.index for c in others])])
        out = [CandidatePair(a, b, float(all_vectors[a] @ all_vectors[b]), tuple(sorted(why)))
               for (a, b), why in sorted(pairs.items())]
        return out, others, radii

    def _claims_by_ids(self, ids: Sequence[int]) -> dict[int, Claim]:
        """Live claims by id; ``Claim.index`` holds the claim id, ``Claim.article`` the article's row id
        as text (only used to tell articles apart while pairing)."""
        out: dict[int, Claim] = {cid: self._claims[cid] for cid in ids if cid in self._claims}
        ids = [cid for cid in ids if cid not in out]
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for cid, aid, text, s, e, para, speaker, hedged, keys in self.db.execute(
                    f"SELECT id, article_id, text, start, end, paragraph, speaker, hedged, keys FROM claims "
                    f"WHERE id IN ({marks})", chunk):
                out[cid] = self._claims[cid] = Claim(cid, text, s, e, para, speaker, bool(hedged), article=f"#{aid}")
                self._keys[cid] = frozenset(keys.split("\n")) if keys else frozenset()
        return out

    def _score(self, text_pairs: Sequence[tuple[str, str]], checker: Checker, nli_key: str, stats: StoreStats
               ) -> dict[tuple[str, str], tuple[NLIScores, NLIScores]]:
        """Verdicts for text pairs, keyed by (low hash, high hash) with directions low->high, high->low;
        pairs already scored under ``nli_key`` are not sent to the model again."""
        clock = time.perf_counter()
        wanted: dict[tuple[str, str], tuple[str, str]] = {}
        for a, b in text_pairs:
            ha, hb = text_hash(a), text_hash(b)
            key, ordered = ((ha, hb), (a, b)) if ha <= hb else ((hb, ha), (b, a))
            wanted.setdefault(key, ordered)
        todo = []
        for key, ordered in wanted.items():
            if self.db.execute("SELECT 1 FROM verdicts WHERE a_hash=? AND b_hash=? AND nli_model=?",
                               (*key, nli_key)).fetchone():
                stats.pairs_reused += 1
            else:
                todo.append((key, ordered))
        out: dict[tuple[str, str], tuple[NLIScores, NLIScores]] = {}
        if todo:
            from consistency.compare.stages import nli_both_directions

            read = nli_both_directions([o for _, o in todo], checker.nli, views=self.settings.claim_views)
            for (key, _), directions in zip(todo, read, strict=True):
                out[key] = directions
            stats.pairs_scored += len(todo)
        _add_time(stats, "nli", clock)
        return out

    def _insert_article(self, article: Article, skipped: Sequence[SkippedSpan]) -> int:
        cursor = self.db.execute(
            "INSERT INTO articles (ext_id, content_hash, text, title, source, date, url, path, date_from, encoding, "
            "skipped, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.content_hash, article.text, article.title, article.source, article.date,
             article.url, article.path, article.date_from, article.encoding,
             json.dumps([s.to_dict() for s in skipped]), time.time()))
        return int(cursor.lastrowid or 0)

    def _insert_claims(self, article_id: int, claims: Sequence[Claim]) -> list[int]:
        ids = []
        for position, claim in enumerate(claims):
            cursor = self.db.execute(
                "INSERT INTO claims (article_id, position, text, text_hash, start, end, paragraph, speaker, hedged, "
                "keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, position, claim.text, text_hash(claim.text), claim.start, claim.end, claim.paragraph,
                 claim.speaker, int(claim.hedged), "\n".join(sorted(claim_keys(claim.text)))))
            ids.append(int(cursor.lastrowid or 0))
        return ids

    def _insert_embeddings(self, emb_key: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?, ?)",
            [(text_hash(t), emb_key, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
             for t, v in zip(texts, vectors, strict=True)])

    def _insert_pairs(self, pairs: Sequence[CandidatePair], position_ids: Sequence[int], others: Sequence[Claim],
                      emb_key: str) -> int:
        """Insert pairs (returns how many were new) whose ends are positions in the article
        (< len(position_ids)) or, beyond, stored claims of ``others`` (whose ``Claim.index`` is the id)."""
        n = len(position_ids)

        def resolve(end: int) -> int:
            return int(position_ids[end]) if end < n else int(others[end - n].index)

        rows = []
        for pair in pairs:
            a, b = resolve(pair.a), resolve(pair.b)
            rows.append((min(a, b), max(a, b), emb_key, pair.similarity, json.dumps(list(pair.reasons))))
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO pairs VALUES (?, ?, ?, ?, ?)", rows)
        return self.db.total_changes - before

    def _insert_radii(self, radii: dict[int, tuple[float, float]], position_ids: Sequence[int], emb_key: str
                      ) -> None:
        """Store radii keyed as ``_pairs_for_new`` returns them (row of a new claim, or ``-id - 1``)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO claim_radius VALUES (?, ?, ?, ?)",
            [(int(position_ids[key]) if key >= 0 else -key - 1, emb_key, *value) for key, value in radii.items()])

    def _insert_verdicts(self, verdicts: dict[tuple[str, str], tuple[NLIScores, NLIScores]], nli_key: str) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ha, hb, nli_key, f.entailment, f.neutral, f.contradiction, b.entailment, b.neutral, b.contradiction)
             for (ha, hb), (f, b) in verdicts.items()])

    def _pair_article(self, article_id: int, checker: Checker, emb_key: str, nli_key: str, stats: StoreStats) -> None:
        """Pair a stored article under ``emb_key`` (embedding missing texts) and score its new pairs."""
        claims = self._article_claims(article_id)
        claim_ids = [c.index for c in claims]
        vectors = self._vectors_for([c.text for c in claims], checker, emb_key, stats)
        index = self._index(emb_key)
        pairs, others, radii = self._pairs_for_new(claims, vectors, index)
        verdicts = self._score(_pair_texts(claims, others, pairs), checker, nli_key, stats)
        with self.transaction():
            self._insert_embeddings(emb_key, [c.text for c in claims], vectors)
            stats.pairs_added += self._insert_pairs(pairs, claim_ids, others, emb_key)
            self._insert_verdicts(verdicts, nli_key)
            self._insert_radii(radii, claim_ids, emb_key)
            self.db.execute("INSERT OR REPLACE INTO article_models VALUES (?, ?, ?)",
                            (article_id, emb_key, int(self.settings.within)))
        index.add_committed(np.asarray(claim_ids, dtype=np.int64), vectors)
        index.note_radii(radii, claim_ids)

    def _article_claims(self, article_id: int) -> list[Claim]:
        return [Claim(cid, text, s, e, para, speaker, bool(hedged), article=f"#{article_id}")
                for cid, text, s, e, para, speaker, hedged in self.db.execute(
                    "SELECT id, text, start, end, paragraph, speaker, hedged FROM claims WHERE article_id=? "
                    "ORDER BY position", (article_id,))]

    def _unscored_pairs(self, emb_key: str, nli_key: str) -> list[tuple[str, str]]:
        rows = self.db.execute(
            "SELECT ca.text, cb.text FROM pairs p JOIN claims ca ON ca.id=p.a JOIN claims cb ON cb.id=p.b "
            "LEFT JOIN verdicts v ON v.nli_model=? AND v.a_hash=min(ca.text_hash, cb.text_hash) "
            "AND v.b_hash=max(ca.text_hash, cb.text_hash) WHERE p.embedding_model=? AND v.a_hash IS NULL",
            (nli_key, emb_key)).fetchall()
        return [(a, b) for a, b in rows]

    def _records(self) -> tuple[list[ArticleClaims], dict[int, Claim]]:
        """Every article with its claims (``Claim.index`` is the position in the article)."""
        records: list[ArticleClaims] = []
        claims_by_id: dict[int, Claim] = {}
        by_article: dict[int, list[Claim]] = {}
        external: dict[int, str] = {}
        for aid, ext in self.db.execute("SELECT id, ext_id FROM articles"):
            external[aid] = ext
        for cid, aid, position, text, s, e, para, speaker, hedged in self.db.execute(
                "SELECT id, article_id, position, text, start, end, paragraph, speaker, hedged FROM claims "
                "ORDER BY article_id, position"):
            claim = Claim(position, text, s, e, para, speaker, bool(hedged), article=external[aid])
            claims_by_id[cid] = claim
            by_article.setdefault(aid, []).append(claim)
        for aid, ext, text, title, source, date, url, path, date_from, encoding, skipped in self.db.execute(
                "SELECT id, ext_id, text, title, source, date, url, path, date_from, encoding, skipped "
                "FROM articles ORDER BY id"):
            article = Article(ext, text, title, source, date, url, path, date_from, encoding)
            spans = tuple(SkippedSpan(**s) for s in json.loads(skipped))
            records.append(ArticleClaims(article, tuple(by_article.get(aid, ())), spans))
        return records, claims_by_id


def _pair_texts(claims: Sequence[Claim], others: Sequence[Claim], pairs: Sequence[CandidatePair]
                ) -> list[tuple[str, str]]:
    """The two texts of each pair (ends past ``len(claims)`` are in ``others``)."""
    n = len(claims)

    def text(end: int) -> str:
        return claims[end].text if end < n else others[end - n].text

    return [(text(p.a), text(p.b)) for p in pairs]


def _group(claim: Claim) -> int:
    """The article row id of a stored claim ("#12" -> 12); -1 for a claim not stored yet."""
    article = str(claim.article)
    return int(article[1:]) if article.startswith("#") else -1


def _directions(probs: Sequence[float], swapped: bool) -> tuple[NLIScores, NLIScores]:
    low_high = NLIScores(entailment=probs[0], neutral=probs[1], contradiction=probs[2])
    high_low = NLIScores(entailment=probs[3], neutral=probs[4], contradiction=probs[5])
    return (high_low, low_high) if swapped else (low_high, high_low)


def _add_time(stats: StoreStats, stage: str, since: float) -> None:
    stats.timings[stage] = stats.timings.get(stage, 0.0) + time.perf_counter() - since


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80]


class _StoredIndex:
    """The vector index of the claims paired under one embedding model, kept in step with the store."""

    def __init__(self, store: CorpusStore, emb_key: str) -> None:
        self.store = store
        self.emb_key = emb_key
        self.file = store.path.with_name(f"{store.path.name}.{_slug(emb_key)}.faiss")
        self.index: VectorIndex | None = None
        self.vectors: dict[int, np.ndarray] = {}
        self.present: set[int] = set()
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
            except Exception as exc:  # a damaged or foreign file: rebuild from the database
                logger.warning("vector index '%s' is unreadable (%s); rebuilding it from the database", self.file, exc)
                self.index, watermark = None, 0
        rows = list(self._rows(watermark))
        for cid, vector in rows:
            self.vectors[cid] = vector
            self.present.add(cid)
        if self.index is None:
            ids = np.array([cid for cid, _ in rows], dtype=np.int64)
            matrix = np.stack([v for _, v in rows]) if rows else np.zeros((0, 0), dtype=np.float32)
            self.index = VectorIndex.build(matrix, ids, exact_below=self.store.settings.exact_below)
            self.unsaved = len(rows)
        elif rows:
            self.index.add(np.stack([v for _, v in rows]), np.array([cid for cid, _ in rows], dtype=np.int64))
            self.unsaved = len(rows)

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


__all__ = ["EXACT_BELOW", "CorpusStore", "StoreStats", "embedding_model_key", "model_key", "nli_model_key"]
