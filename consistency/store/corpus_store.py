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

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from consistency.compare import (
    ArticleClaims,
    CompareReport,
    CompareSettings,
    build_report,
    claim_keys,
)
from consistency.compare.articles import Article, LoadProblem, text_hash
from consistency.errors import ConsistencyError, InputError
from consistency.scoring import best_of_views, claim_views, make_finding
from consistency.store.index import StoredIndex, saved_index_files
from consistency.store.planning import PairPlanner, Plan, article_group
from consistency.store.readings import StoredContexts, read_after, verdict_key
from consistency.store.schema import LIST_ITEMS_SINCE, MIGRATIONS, SCHEMA, STORE_SCHEMA_VERSION, STORIES_SINCE
from consistency.text.segment import segment
from consistency.text.stories import stories_of, story_starts
from consistency.types import CandidatePair, Claim, Finding, NLIScores, SkippedSpan

if TYPE_CHECKING:
    from consistency.checker import Checker

logger = logging.getLogger(__name__)

SCORE_BATCH = 512  # pairs per transaction when catching up on verdicts
EDIT_OVERLAP = 0.3  # share of a stored text's five-word sequences that a new text under its id keeps when edited
LOOKUP_CHUNK = 900  # ids per SELECT: under the 999 variables that older SQLite builds allow in one statement


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    """The text's sequences of ``size`` words (lower case): what an edit keeps and another article does not."""
    words = text.lower().split()
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


@dataclass(frozen=True)
class ArticleEdit:
    """A stored article replaced by a new text of it: the claims only the old text had and only the new one has
    (an outlet's quiet edit is worth knowing: "three hours" became "five hours")."""

    article: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class ArticleCopy:
    """An added article whose claims are, word for word, largely another stored article's (syndicated copy)."""

    article: str
    of: str
    shared: int  # claims of ``article`` that ``of`` has word for word
    claims: int  # claims of ``article``


COPY_SHARE = 0.5  # an added article counts as a copy when at least this share of its claims are another's


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
    without_claims: list[str] = field(default_factory=list)  # ids of added articles in which no sentence is a claim
    refused: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (id, stored path, new path)
    edits: list[ArticleEdit] = field(default_factory=list)  # what changed in each replaced article
    copies: list[ArticleCopy] = field(default_factory=list)  # added articles that repeat a stored one word for word
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, float):
                value = round(value, 4)
            elif isinstance(value, list):
                value = [asdict(item) if isinstance(item, (ArticleEdit, ArticleCopy)) else item for item in value]
            out[key] = value
        return out

    def summary(self) -> str:
        """One line; pairs whose claims read the same (a pair of one wording in two articles) share a verdict, so
        the readings scored and reused add up to at most the pairs."""
        from consistency.render.report import plural

        readings = self.pairs_scored + self.pairs_reused
        refused = f", {len(self.refused)} refused" if self.refused else ""
        return (f"{self.articles_added} added, {self.articles_replaced} replaced, {self.articles_unchanged} unchanged"
                f"{refused}; {plural(self.claims_added, 'claim')} ({plural(self.texts_embedded, 'new text')} "
                f"embedded), {plural(self.pairs_added, 'pair')} ({plural(readings, 'distinct reading')}: "
                f"{self.pairs_scored} scored, {self.pairs_reused} known from the store or this run) in "
                f"{self.seconds:.1f} s")


class CorpusStore:
    """A corpus in an SQLite file. Use as a context manager; writers take turns (:meth:`writer`).

    >>> with CorpusStore("news.db") as store:                      # doctest: +SKIP
    ...     store.add(articles, Checker())
    ...     report = store.report(Checker())
    """

    def __init__(self, path: str | Path, settings: CompareSettings | None = None,
                 lock_timeout: float | None = None) -> None:
        """``lock_timeout``: the seconds an add or update waits for another writer before it raises
        ``TimeoutError`` (None: it waits as long as it takes)."""
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.settings = settings or CompareSettings()
        if self.path.is_dir():
            raise InputError(f"--db '{self.path}' is a directory; pass a database file path")
        if not self.path.parent.is_dir():  # a typo in a cron job's path would start a second corpus unnoticed
            raise InputError(f"--db '{self.path}': the folder '{self.path.parent}' does not exist; create it "
                             f"(mkdir -p '{self.path.parent}') or fix the path")
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                found = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if found is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(STORE_SCHEMA_VERSION),))
                elif int(found[0]) != STORE_SCHEMA_VERSION:
                    self._migrate(int(found[0]))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"'{self.path}' is not a usable corpus database ({exc}); pass another --db file") from exc
        self._indexes: dict[str, StoredIndex] = {}
        self._keys: dict[int, frozenset[str]] = {}  # entity/slot keys of stored claims, by claim id
        self._claims: dict[int, Claim] = {}  # stored claims met while pairing, by claim id
        self._previous: dict[int, Claim | None] = {}  # the claim before each of them in its article

    def _migrate(self, version: int) -> None:
        """Bring a store of an older schema up to the current one, in place and additively (inside the opening
        transaction, so a failed step changes nothing); a newer store is refused."""
        if version > STORE_SCHEMA_VERSION or any(v not in MIGRATIONS for v in range(version, STORE_SCHEMA_VERSION)):
            raise ConsistencyError(f"'{self.path}' has store schema {version}; this version reads "
                                   f"{STORE_SCHEMA_VERSION}: use a new --db file, or the consistency version that "
                                   "wrote it")
        for step in range(version, STORE_SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                self.db.execute(statement)
        if version < LIST_ITEMS_SINCE:
            self._fill_list_items()
        if version < STORIES_SINCE:
            self._fill_stories()
        self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(STORE_SCHEMA_VERSION),))
        logger.info("%s: store schema %d brought up to %d", self.path, version, STORE_SCHEMA_VERSION)

    def _fill_list_items(self) -> None:
        """Give the claims of a store written before claims knew their numbered-list item their ``list_item``, read
        off each stored article's text as segmentation reads it now (a claim it no longer finds keeps none), so
        that an upgraded store scores as a new one (a QA walk saw 8 findings in one against 0 in the other)."""
        for article_id, text in self.db.execute("SELECT id, text FROM articles").fetchall():
            items = [(claim.list_item, article_id, claim.start, claim.end) for claim in segment(text).claims
                     if claim.list_item is not None]
            self.db.executemany("UPDATE claims SET list_item=? WHERE article_id=? AND start=? AND end=?", items)

    def _fill_stories(self) -> None:
        """Give the claims of a digest stored before claims knew their story (``Claim.story``) their story, read off
        the stored text as a new store reads it."""
        for article_id, text in self.db.execute("SELECT id, text FROM articles").fetchall():
            if not story_starts(text):
                continue
            named = stories_of(segment(text).claims, text)[2]
            self.db.executemany("UPDATE claims SET story=? WHERE article_id=? AND start=? AND end=?",
                                [(claim.story, article_id, claim.start, claim.end) for claim in named])

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

    def added_since(self, moment: float) -> list[str]:
        """The ids of the articles stored at or after ``moment`` (seconds since the epoch; an edit that replaced
        an article counts as stored then), in the order they were stored."""
        return [row[0] for row in self.db.execute("SELECT ext_id FROM articles WHERE added_at >= ? ORDER BY id",
                                                  (moment,))]

    def inventory(self) -> list[dict[str, Any]]:
        """Every stored article, in the order added: id, title, source, date, path, claims, when it was added
        (UTC, ISO 8601) and the embedding models it is paired under."""
        rows = self.db.execute(
            "SELECT a.id, a.ext_id, a.title, a.source, a.date, a.path, a.added_at, "
            "(SELECT count(*) FROM claims c WHERE c.article_id=a.id), "
            "(SELECT group_concat(m.embedding_model, '\n') FROM article_models m WHERE m.article_id=a.id) "
            "FROM articles a ORDER BY a.id").fetchall()
        return [{"id": ext_id, "title": title, "source": source, "date": date, "path": path, "claims": int(claims),
                 "added": datetime.fromtimestamp(added, UTC).isoformat(timespec="seconds"),
                 "paired_under": sorted(models.split("\n")) if models else []}
                for _, ext_id, title, source, date, path, added, claims, models in rows]

    # --- adding -------------------------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the store's writer lock (``DB.lock`` beside the database) while adding or updating: an article
        is paired against what the store holds when it is planned, so two processes adding at once would
        each miss the other's article. A second writer waits, and says so once."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+b") as handle:
            try:
                _lock(handle, timeout=0.0)
            except BlockingIOError:
                logger.warning("another process or thread is writing to '%s'; waiting for it to finish", self.path)
                try:
                    _lock(handle, timeout=self.lock_timeout)
                except BlockingIOError:
                    raise TimeoutError(f"'{self.path}' is still being written by another process or thread after "
                                       f"{self.lock_timeout:g} s; try again later") from None
            try:
                for index in self._indexes.values():  # what other processes paired since they were loaded
                    index.catch_up()
                yield
            finally:
                _unlock(handle)

    def add(
        self,
        articles: Sequence[Article],
        checker: Checker,
        progress: Callable[[Article, str], None] | None = None,
        replace_any: bool = False,
    ) -> StoreStats:
        """Add or update ``articles``: one transaction per article (claims, embeddings, pairs, verdicts), under
        the writer lock (:meth:`writer`).

        A new text under a stored id replaces the stored article when it is an edit of it (it keeps at least
        ``EDIT_OVERLAP`` of the stored text's word sequences) or ``replace_any``; a different article under a
        taken id (two outlets' ``article.txt``) is refused and listed in ``stats.refused``, the stored one kept.
        ``progress(article, what)`` is told 'added', 'replaced', 'unchanged', 'paired' or 'refused' per article.
        """
        with self.writer():
            return self._add(articles, checker, progress, replace_any)

    def _add(self, articles: Sequence[Article], checker: Checker,
             progress: Callable[[Article, str], None] | None, replace_any: bool = False) -> StoreStats:
        stats = StoreStats()
        started = time.perf_counter()
        emb_key, nli_key = checker.embedding_key(), self._nli_key(checker)
        for article in articles:
            row = self.db.execute("SELECT id, content_hash, title, source, date, url, path, date_from "
                                  "FROM articles WHERE ext_id=?", (article.id,)).fetchone()
            if row is not None and row[1] == article.content_hash:
                what = self._keep(article, row, checker, emb_key, nli_key, stats)
            elif row is not None and not replace_any and not self._is_edit_of(row[0], article.text):
                stats.refused.append((article.id, row[6], article.path))
                what = "refused"
            else:
                what = self._add_one(article, None if row is None else row[0], checker, emb_key, nli_key, stats)
            if progress:
                progress(article, what)
        stats.seconds = time.perf_counter() - started
        return stats

    def _is_edit_of(self, article_id: int, text: str) -> bool:
        """Whether ``text`` keeps at least ``EDIT_OVERLAP`` of the stored article's five-word sequences."""
        (stored,) = self.db.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
        old = _shingles(stored)
        return not old or len(old & _shingles(text)) >= EDIT_OVERLAP * len(old)

    def _keep(self, article: Article, row: Sequence[Any], checker: Checker, emb_key: str, nli_key: str,
              stats: StoreStats) -> str:
        """A stored article with the same text: update its metadata; pair it under ``emb_key`` if it is not."""
        new_meta = (article.title, article.source, article.date, article.url, article.path, article.date_from)
        if tuple(row[2:]) != new_meta:
            with self.transaction():
                self.db.execute("UPDATE articles SET title=?, source=?, date=?, url=?, path=?, date_from=? "
                                "WHERE id=?", (*new_meta, row[0]))
        if self._is_paired(row[0], emb_key):
            stats.articles_unchanged += 1
            return "unchanged"
        self._pair_article(row[0], checker, emb_key, nli_key, stats)
        stats.articles_paired += 1
        return "paired"

    def _add_one(self, article: Article, replacing: int | None, checker: Checker, emb_key: str, nli_key: str,
                 stats: StoreStats) -> str:
        """A new article, or a new text for a stored one (``replacing`` its row): the work outside the
        transaction (segment, embed, plan, score), then one transaction that writes it all."""
        from consistency.text.segment import segment

        clock = time.perf_counter()
        segmentation = segment(article.text, self.settings.english_only)
        named = stories_of(segmentation.claims, article.text)[2]  # a digest's claims name their story
        claims = tuple(replace(c, article=article.id) for c in named)
        if not claims:
            stats.without_claims.append(article.id)
        _add_time(stats, "segment", clock)
        vectors = self._vectors_for([c.text for c in claims], checker, emb_key, stats)
        index = self._index(emb_key)
        plan = self._plan(claims, vectors, index, replacing)
        verdicts = self._score(self._pair_views(claims, plan.others, plan.pairs), checker, nli_key, stats)
        clock = time.perf_counter()
        self._note_edit_or_copy(article.id, claims, replacing, stats)
        with self.transaction():
            if replacing is not None:
                self.db.execute("DELETE FROM articles WHERE id=?", (replacing,))
                self._claims = {k: v for k, v in self._claims.items() if v.article != f"#{replacing}"}
            article_id = self._insert_article(article, segmentation.skipped)
            claim_ids = self._insert_claims(article_id, claims)
            self._write_pairing(article_id, claim_ids, claims, vectors, plan, verdicts, emb_key, nli_key, stats)
        index.add_committed(np.asarray(claim_ids, dtype=np.int64), vectors)
        index.note_radii(plan.radii, claim_ids)
        _add_time(stats, "write", clock)
        stats.claims_added += len(claims)
        if replacing is None:
            stats.articles_added += 1
            return "added"
        stats.articles_replaced += 1
        return "replaced"

    def _note_edit_or_copy(self, article_id: str, claims: Sequence[Claim], replacing: int | None,
                           stats: StoreStats) -> None:
        """Before a write: for a replaced article, the claims that changed (:class:`ArticleEdit`); for a new
        one, the stored article whose claims it repeats word for word, if it mostly does (:class:`ArticleCopy`)."""
        if replacing is not None:
            old = [text for (text,) in self.db.execute(
                "SELECT text FROM claims WHERE article_id=? ORDER BY position", (replacing,))]
            new = [c.text for c in claims]
            old_set, new_set = set(old), set(new)
            removed, added = tuple(t for t in old if t not in new_set), tuple(t for t in new if t not in old_set)
            if removed or added:
                stats.edits.append(ArticleEdit(article_id, removed, added))
            return
        hashes = sorted({text_hash(c.text) for c in claims})
        if not hashes:
            return
        row = self.db.execute(
            "SELECT a.ext_id, COUNT(DISTINCT c.text_hash) AS n FROM claims c JOIN articles a ON a.id=c.article_id "
            f"WHERE c.text_hash IN ({','.join('?' * len(hashes))}) GROUP BY c.article_id ORDER BY n DESC, a.ext_id "
            "LIMIT 1", hashes).fetchone()
        if row is not None and row[1] >= COPY_SHARE * len(hashes):
            stats.copies.append(ArticleCopy(article_id, str(row[0]), int(row[1]), len(hashes)))

    def _write_pairing(self, article_id: int, claim_ids: Sequence[int], claims: Sequence[Claim], vectors: np.ndarray,
                       plan: Plan, verdicts: dict[tuple[str, str], tuple[NLIScores, NLIScores]], emb_key: str,
                       nli_key: str, stats: StoreStats) -> None:
        """Inside a transaction: an article's embeddings, pairs, verdicts, radii and pairing mark."""
        self._insert_embeddings(emb_key, [c.text for c in claims], vectors)
        stats.pairs_added += self._insert_pairs(plan.pairs, claim_ids, plan.others, emb_key)
        self._insert_verdicts(verdicts, nli_key)
        self._insert_radii(plan.radii, claim_ids, emb_key)
        self.db.execute("INSERT OR REPLACE INTO article_models VALUES (?, ?, ?)",
                        (article_id, emb_key, int(self.settings.within)))

    def update(self, checker: Checker, progress: Callable[[str, int], None] | None = None) -> StoreStats:
        """Bring the store up to date with ``checker``'s models: pair articles not yet paired under the
        embedding model (embedding what is missing) and score every pair that has no verdict under the
        NLI model. Work already done is skipped; each article / batch of pairs is its own transaction, under
        the writer lock (:meth:`writer`)."""
        with self.writer():
            return self._update(checker, progress)

    def _update(self, checker: Checker, progress: Callable[[str, int], None] | None) -> StoreStats:
        stats = StoreStats()
        started = time.perf_counter()
        emb_key, nli_key = checker.embedding_key(), self._nli_key(checker)
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

    # --- removing -----------------------------------------------------------------------------

    def remove(self, article_ids: Sequence[str]) -> dict[str, int]:
        """Remove these articles (their claims and pairs) in one transaction, under the writer lock; returns the
        claims each had. An id the store does not hold is an :class:`InputError` and nothing is removed. The
        model readings and embeddings stay (a cache keyed by text, shared with any claim that says the same);
        the vector index files are rebuilt from the database when next needed."""
        wanted = list(dict.fromkeys(article_ids))
        with self.writer():
            found = {}
            for start in range(0, len(wanted), LOOKUP_CHUNK):  # SQLite caps the variables of one statement
                chunk = wanted[start:start + LOOKUP_CHUNK]
                found.update({ext_id: (row_id, int(claims)) for ext_id, row_id, claims in self.db.execute(
                    "SELECT a.ext_id, a.id, (SELECT count(*) FROM claims c WHERE c.article_id=a.id) FROM articles a "
                    f"WHERE a.ext_id IN ({','.join('?' * len(chunk))})", chunk)})
            unknown = [ext_id for ext_id in wanted if ext_id not in found]
            if unknown:
                more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
                raise InputError(f"'{self.path}' holds no article {', '.join(map(repr, unknown[:5]))}{more} (the ids "
                                 f"are listed by 'consistency corpus list --db {self.path}'); nothing was removed")
            with self.transaction():
                self.db.executemany("DELETE FROM articles WHERE id=?", [(found[e][0],) for e in wanted])
            self._forget_indexes()
        return {ext_id: found[ext_id][1] for ext_id in wanted}

    def _forget_indexes(self) -> None:
        """Drop the vector indexes (in memory and their files): they still hold removed claims."""
        self._indexes.clear()
        self._claims.clear()
        self._keys.clear()
        self._previous.clear()
        for file in saved_index_files(self.path):
            file.unlink(missing_ok=True)

    # --- reporting ----------------------------------------------------------------------------

    def report(self, checker: Checker, problems: Sequence[LoadProblem] = (), timings: dict[str, float] | None = None
               ) -> CompareReport:
        """The comparison report of the whole corpus from stored verdicts (run :meth:`update` first)."""
        emb_key, nli_key = checker.embedding_key(), self._nli_key(checker)
        settings = self.settings
        records, claims_by_id, contexts = self._records()
        lower = settings.threshold - max(0.0, settings.near_miss_margin)
        cross, within = (int(n or 0) for n in self.db.execute(
            "SELECT sum(ca.article_id != cb.article_id), sum(ca.article_id = cb.article_id) FROM pairs p "
            "JOIN claims ca ON ca.id=p.a JOIN claims cb ON cb.id=p.b WHERE p.embedding_model=?", (emb_key,)).fetchone())
        within = within if settings.within else 0
        pairs_checked = cross + within
        sizes = np.array([len(record.claims) for record in records], dtype=np.int64)
        possible = int((sizes.sum() ** 2 - (sizes ** 2).sum()) // 2)
        verdicts = {(ha, hb): probs for ha, hb, *probs in self.db.execute(
            "SELECT a_hash, b_hash, entailment_ab, neutral_ab, contradiction_ab, entailment_ba, neutral_ba, "
            "contradiction_ba, opinions FROM verdicts WHERE nli_model=? "
            "AND (max(contradiction_ab, contradiction_ba) >= ? OR max(entailment_ab, entailment_ba) >= ?)",
            (nli_key, lower, settings.threshold))}
        scored: list[Finding] = []
        rank = {record.article.id: n for n, record in enumerate(records)}
        for a, b, similarity, reasons in self.db.execute(
                "SELECT a, b, similarity, reasons FROM pairs WHERE embedding_model=? ORDER BY a, b", (emb_key,)):
            claim_a, claim_b = claims_by_id[a], claims_by_id[b]
            if claim_a.article == claim_b.article and not settings.within:
                continue
            key, _, swapped = verdict_key(contexts.read(a, b), contexts.read(b, a))
            probs = verdicts.get(key)
            if probs is None:
                continue
            forward, backward = _directions(probs, swapped=swapped)
            if (rank[str(claim_a.article)], claim_a.index) > (rank[str(claim_b.article)], claim_b.index):
                # a finding reads in article order (by id, as compare lists a folder), not in the order the
                # claims were stored: a replaced article keeps its place and its findings their a/b sides
                claim_a, claim_b, a, b, forward, backward = claim_b, claim_a, b, a, backward, forward
            pair = CandidatePair(a, b, float(similarity), tuple(json.loads(reasons)))
            scored.append(make_finding(claim_a, claim_b, pair, forward, backward, settings.scoring))
        # the models by name, as check and compare name them (the score reminder reads "nli"), and the keys the
        # stored verdicts and embeddings are filed under
        models = {"nli": checker.nli_name(), "nli_key": nli_key, "embedding": checker.embedding_name(),
                  "embedding_key": emb_key, "store": str(self.path)}
        second = checker.second_opinion_name()
        if second is not None:
            models["nli_second_opinion"] = second
        return build_report(records, scored, settings, pairs_checked=pairs_checked, models=models,
                            timings=timings, problems=problems,
                            stats={"cross_pairs": cross, "within_pairs": within, "possible_cross_pairs": possible,
                                   "store": self.counts()})

    # --- internals ----------------------------------------------------------------------------

    def _nli_key(self, checker: Checker) -> str:
        """The key stored verdicts are filed under: the NLI model's key and the scoring's (its version, and
        whether claims are read whole only), so two scorings never share verdicts."""
        return checker.nli_key() + self.settings.scoring.key

    def _is_paired(self, article_id: int, emb_key: str) -> bool:
        row = self.db.execute("SELECT within FROM article_models WHERE article_id=? AND embedding_model=?",
                              (article_id, emb_key)).fetchone()
        return row is not None and row[0] >= int(self.settings.within)

    def _index(self, emb_key: str) -> StoredIndex:
        if emb_key not in self._indexes:
            self._indexes[emb_key] = StoredIndex(self, emb_key)
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
            from consistency.compare import embed_claims

            known.update(zip([h for h, _ in todo], embed_claims([t for _, t in todo], checker.embedder), strict=True))
            stats.texts_embedded += len(todo)
        _add_time(stats, "embed", clock)
        if not hashes:
            return np.zeros((0, 0), dtype=np.float32)
        return np.ascontiguousarray(np.stack([known[h] for h in hashes]), dtype=np.float32)

    def _plan(self, claims: Sequence[Claim], vectors: np.ndarray, index: StoredIndex, replacing: int | None = None
              ) -> Plan:
        """Pairs of one article's claims with stored claims of other articles (and with each other when
        ``settings.within``), and each claim's new radii (:class:`~consistency.store.planning.PairPlanner`).
        While the article's claims times the stored claims of other articles are at most
        ``settings.all_pairs_up_to``, every such pair is planned too, as ``compare`` checks every pair of a few
        short articles: a small corpus built one article at a time is then checked whole."""
        plan = PairPlanner(claims, vectors, index, self._claims_by_ids, self._keys, self.settings, replacing).plan()
        if not claims:
            return plan
        own = replacing if replacing is not None else article_group(claims[0])
        cap = self.settings.all_pairs_up_to // len(claims)  # stored claims that still allow every pair
        stored = [cid for (cid,) in self.db.execute(  # paired under this embedding model; at most cap + 1 read
            "SELECT c.id FROM claims c JOIN article_models m ON m.article_id=c.article_id AND m.embedding_model=? "
            "WHERE c.article_id != ? ORDER BY c.id LIMIT ?", (index.emb_key, own, cap + 1)) if cid in index.present]
        if not stored or len(stored) > cap:
            return plan
        return self._with_all_pairs(plan, claims, vectors, index, stored)

    def _with_all_pairs(self, plan: Plan, claims: Sequence[Claim], vectors: np.ndarray, index: StoredIndex,
                        stored: Sequence[int]) -> Plan:
        """``plan`` with a pair of every new claim and every claim in ``stored`` (claim ids)."""
        n = len(claims)
        others = list(plan.others)
        row_of = {c.index: n + position for position, c in enumerate(others)}
        fresh = [cid for cid in stored if cid not in row_of]
        for cid, claim in self._claims_by_ids(fresh).items():
            row_of[cid] = n + len(others)
            others.append(claim)
        reasons = {(p.a, p.b): set(p.reasons) for p in plan.pairs}
        similarity = {(p.a, p.b): p.similarity for p in plan.pairs}
        stored_vectors = index.vectors_of([c.index for c in others]) if others else np.zeros((0, vectors.shape[1]))
        sims = vectors @ stored_vectors.T
        for cid in stored:
            row = row_of.get(cid)
            if row is None:
                continue  # gone since the search
            for i in range(n):
                key = (i, row)
                reasons.setdefault(key, set()).add("all-pairs")
                similarity.setdefault(key, float(sims[i, row - n]))
        pairs = [CandidatePair(a, b, similarity[(a, b)], tuple(sorted(why))) for (a, b), why in sorted(reasons.items())]
        return Plan(pairs, others, plan.radii)

    def _pair_views(self, claims: Sequence[Claim], others: Sequence[Claim], pairs: Sequence[CandidatePair]
                    ) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The readings of each pair's two claims: ends below ``len(claims)`` are claims of the article being
        added, read in it; ends beyond are stored claims of ``others``, read after their previous claim."""
        n = len(claims)
        views = self.settings.scoring.views

        def read(end: int, partner: int) -> tuple[str, ...]:
            if end < n:
                return claim_views(claims, end, partner if partner < n else None, views)
            claim = others[end - n]
            return read_after(claim, self._previous.get(claim.index), views)

        return [(read(p.a, p.b), read(p.b, p.a)) for p in pairs]

    def _claims_by_ids(self, ids: Sequence[int]) -> dict[int, Claim]:
        """Live claims by id; ``Claim.index`` holds the claim id, ``Claim.article`` the article's row id
        as text (only used to tell articles apart while pairing)."""
        out: dict[int, Claim] = {cid: self._claims[cid] for cid in ids if cid in self._claims}
        ids = [cid for cid in ids if cid not in out]
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for cid, aid, text, s, e, para, speaker, hedged, item, story, keys, *previous in self.db.execute(
                    "SELECT c.id, c.article_id, c.text, c.start, c.end, c.paragraph, c.speaker, c.hedged, c.list_item, "
                    "c.story, c.keys, "
                    "p.id, p.text, p.start, p.end, p.paragraph, p.speaker, p.hedged FROM claims c "
                    "LEFT JOIN claims p ON p.article_id=c.article_id AND p.position=c.position-1 "
                    f"WHERE c.id IN ({marks})", chunk):
                out[cid] = self._claims[cid] = Claim(cid, text, s, e, para, speaker, bool(hedged), article=f"#{aid}",
                                                     list_item=item, story=story)
                self._keys[cid] = frozenset(keys.split("\n")) if keys else frozenset()
                pid, ptext, ps, pe, ppara, pspeaker, phedged = previous
                self._previous[cid] = None if pid is None else Claim(
                    pid, ptext, ps, pe, ppara, pspeaker, bool(phedged), article=f"#{aid}")
        return out

    def _score(self, view_pairs: Sequence[tuple[Sequence[str], Sequence[str]]], checker: Checker, nli_key: str,
               stats: StoreStats) -> dict[tuple[str, str], tuple[NLIScores, NLIScores]]:
        """Verdicts for pairs of readings (:func:`~consistency.store.readings.verdict_key`), keyed by (low hash,
        high hash) with directions low->high, high->low; pairs already scored under ``nli_key`` are not sent
        to the model again."""
        clock = time.perf_counter()
        wanted: dict[tuple[str, str], tuple[Sequence[str], Sequence[str]]] = {}
        for a_views, b_views in view_pairs:
            key, ordered, _ = verdict_key(a_views, b_views)
            wanted.setdefault(key, ordered)
        todo = []
        for key, ordered in wanted.items():
            if self.db.execute("SELECT 1 FROM verdicts WHERE a_hash=? AND b_hash=? AND nli_model=?",
                               (*key, nli_key)).fetchone():
                stats.pairs_reused += 1
            else:
                todo.append((key, ordered))
        read = best_of_views([o for _, o in todo], checker.nli) if todo else []
        stats.pairs_scored += len(todo)
        out = dict(zip([key for key, _ in todo], read, strict=True))
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
                "keys, list_item, story) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, position, claim.text, text_hash(claim.text), claim.start, claim.end, claim.paragraph,
                 claim.speaker, int(claim.hedged), "\n".join(sorted(claim_keys(claim.text))), claim.list_item,
                 claim.story))
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
            "INSERT OR REPLACE INTO verdicts (a_hash, b_hash, nli_model, entailment_ab, neutral_ab, contradiction_ab, "
            "entailment_ba, neutral_ba, contradiction_ba, opinions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ha, hb, nli_key, f.entailment, f.neutral, f.contradiction, b.entailment, b.neutral, b.contradiction,
              _opinions_json(f, b)) for (ha, hb), (f, b) in verdicts.items()])

    def _pair_article(self, article_id: int, checker: Checker, emb_key: str, nli_key: str, stats: StoreStats) -> None:
        """Pair a stored article under ``emb_key`` (embedding missing texts) and score its new pairs."""
        claims = self._article_claims(article_id)
        claim_ids = [c.index for c in claims]
        vectors = self._vectors_for([c.text for c in claims], checker, emb_key, stats)
        index = self._index(emb_key)
        plan = self._plan(claims, vectors, index)
        verdicts = self._score(self._pair_views(claims, plan.others, plan.pairs), checker, nli_key, stats)
        with self.transaction():
            self._write_pairing(article_id, claim_ids, claims, vectors, plan, verdicts, emb_key, nli_key, stats)
        index.add_committed(np.asarray(claim_ids, dtype=np.int64), vectors)
        index.note_radii(plan.radii, claim_ids)

    def _article_claims(self, article_id: int) -> list[Claim]:
        return [Claim(cid, text, s, e, para, speaker, bool(hedged), article=f"#{article_id}", list_item=item,
                      story=story)
                for cid, text, s, e, para, speaker, hedged, item, story in self.db.execute(
                    "SELECT id, text, start, end, paragraph, speaker, hedged, list_item, story FROM claims "
                    "WHERE article_id=? ORDER BY position", (article_id,))]

    def _unscored_pairs(self, emb_key: str, nli_key: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The readings of every pair under ``emb_key`` that has no verdict under ``nli_key``."""
        _, _, contexts = self._records()
        known = set(self.db.execute("SELECT a_hash, b_hash FROM verdicts WHERE nli_model=?", (nli_key,)).fetchall())
        missing = []
        for a, b in self.db.execute("SELECT a, b FROM pairs WHERE embedding_model=? ORDER BY a, b", (emb_key,)):
            a_views, b_views = contexts.read(a, b), contexts.read(b, a)
            if verdict_key(a_views, b_views)[0] not in known:
                missing.append((a_views, b_views))
        return missing

    def _records(self) -> tuple[list[ArticleClaims], dict[int, Claim], StoredContexts]:
        """Every article with its claims (``Claim.index`` is the position in the article), the claims by id,
        and each claim's place in its article (for its readings); articles in the order of their ids."""
        records: list[ArticleClaims] = []
        claims_by_id: dict[int, Claim] = {}
        by_article: dict[int, list[Claim]] = {}
        places: dict[int, tuple[int, int]] = {}
        external: dict[int, str] = {}
        for aid, ext in self.db.execute("SELECT id, ext_id FROM articles"):
            external[aid] = ext
        for cid, aid, position, text, s, e, para, speaker, hedged, item, story in self.db.execute(
                "SELECT id, article_id, position, text, start, end, paragraph, speaker, hedged, list_item, story "
                "FROM claims ORDER BY article_id, position"):
            claim = Claim(position, text, s, e, para, speaker, bool(hedged), article=external[aid], list_item=item,
                          story=story)
            claims_by_id[cid] = claim
            places[cid] = (aid, len(by_article.setdefault(aid, [])))
            by_article[aid].append(claim)
        for aid, ext, text, title, source, date, url, path, date_from, encoding, skipped in self.db.execute(
                "SELECT id, ext_id, text, title, source, date, url, path, date_from, encoding, skipped "
                "FROM articles ORDER BY ext_id"):
            article = Article(ext, text, title, source, date, url, path, date_from, encoding)
            spans = tuple(SkippedSpan(**s) for s in json.loads(skipped))
            records.append(ArticleClaims(article, tuple(by_article.get(aid, ())), spans))
        return records, claims_by_id, StoredContexts(by_article, places, self.settings.scoring.views)


def _opinions_json(low_high: NLIScores, high_low: NLIScores) -> str | None:
    """The verdict's ``opinions`` column: each model's contradiction per direction where a second opinion was
    blended in, else None."""
    if low_high.opinions is None and high_low.opinions is None:
        return None
    return json.dumps([*(low_high.opinions or (None, None)), *(high_low.opinions or (None, None))])


def _directions(probs: Sequence[Any], swapped: bool) -> tuple[NLIScores, NLIScores]:
    """A stored verdict row (six probabilities, then the opinions column) as the pair's two directions."""
    opinions = json.loads(probs[6]) if len(probs) > 6 and probs[6] else [None] * 4

    def direction(start: int, first: float | None, second: float | None) -> NLIScores:
        return NLIScores(entailment=probs[start], neutral=probs[start + 1], contradiction=probs[start + 2],
                         opinions=None if first is None or second is None else (first, second))

    low_high, high_low = direction(0, *opinions[:2]), direction(3, *opinions[2:])
    return (high_low, low_high) if swapped else (low_high, high_low)


def _lock(handle: Any, timeout: float | None) -> None:
    """An exclusive lock on an open file (POSIX ``flock``; Windows ``msvcrt.locking`` on its first byte), waited
    for up to ``timeout`` seconds (None: as long as it takes; 0: not at all). Raises BlockingIOError when it is
    still held elsewhere then."""
    try:
        import fcntl
    except ImportError:  # Windows
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None and timeout is None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        return
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return
        except OSError as exc:  # BlockingIOError from flock, PermissionError / OSError from msvcrt
            if deadline is not None and time.monotonic() >= deadline:
                raise BlockingIOError(str(exc)) from exc
            time.sleep(0.2 if deadline is None else min(0.2, max(0.0, deadline - time.monotonic())))


def _unlock(handle: Any) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _add_time(stats: StoreStats, stage: str, since: float) -> None:
    stats.timings[stage] = stats.timings.get(stage, 0.0) + time.perf_counter() - since


__all__ = ["CorpusStore", "StoreStats"]
