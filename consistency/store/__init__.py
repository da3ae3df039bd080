"""The SQLite corpus store: articles, claims, embeddings and verdicts kept and checked incrementally."""

from consistency.store.corpus_store import CorpusStore, StoreStats

__all__ = ["CorpusStore", "StoreStats"]
