"""The store's tables (WAL journal, foreign keys on).

* ``articles`` - one row per article id, with the SHA-256 of its text and its metadata;
* ``claims`` - the article's sentences with offsets, speaker, hedging, list item number and the hash of their text;
* ``embeddings`` - keyed by (claim text hash, embedding model): identical sentences share one row;
* ``pairs`` - candidate pairs of claims under an embedding model (the neighbour search depends on it);
* ``verdicts`` - NLI probabilities in both directions, keyed by the hashes of the two claims' readings
  (:mod:`consistency.store.readings`) and the NLI model's and scoring's key; with a second opinion blended in,
  ``opinions`` keeps each model's contradiction (JSON ``[first_ab, second_ab, first_ba, second_ba]``, null
  where a direction was not asked), so that a stored finding says what each model thought;
* ``article_models`` - which articles have been paired under which embedding model;
* ``claim_radius`` - per claim and embedding model, how similar a newcomer must be to become its partner.
"""

from __future__ import annotations

STORE_SCHEMA_VERSION = 4
LIST_ITEMS_SINCE = 3  # the schema whose claims know their numbered-list item
STORIES_SINCE = 4  # the schema whose claims know their digest story

# What turns a store of an older schema into the current one, by the version it has: additive only, so that
# nothing a user stored is lost (1 -> 2: the verdicts' ``opinions``; 2 -> 3: the claims' ``list_item``, filled in
# from the stored texts, ``LIST_ITEMS_SINCE``; 3 -> 4: the claims' ``story``, likewise, ``STORIES_SINCE``).
MIGRATIONS: dict[int, tuple[str, ...]] = {1: ("ALTER TABLE verdicts ADD COLUMN opinions TEXT",),
                                          2: ("ALTER TABLE claims ADD COLUMN list_item INTEGER",),
                                          3: ("ALTER TABLE claims ADD COLUMN story TEXT",)}

SCHEMA = """
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
    list_item INTEGER,
    story TEXT,
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
    opinions TEXT,
    PRIMARY KEY (a_hash, b_hash, nli_model),
    CHECK (a_hash <= b_hash)
) WITHOUT ROWID;
"""
