"""What the NLI model reads for stored claims, and the keys their verdicts are filed under.

The store scores a pair the way ``check`` and ``compare`` do (:func:`consistency.scoring.claim_views`: each
claim read in its own article's context). A claim's context is its previous claim in the article, so a
stored claim is read after it; a verdict is filed under the hashes of the two readings, so the same two
sentences in the same context share one verdict across the corpus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from consistency.compare.articles import text_hash
from consistency.scoring import claim_views
from consistency.types import Claim

READING_SEPARATOR = "\x1f"


def reading_hash(views: Sequence[str]) -> str:
    """The hash a claim's readings are filed under."""
    return text_hash(READING_SEPARATOR.join(views))


def verdict_key(a_views: Sequence[str], b_views: Sequence[str]
                ) -> tuple[tuple[str, str], tuple[Sequence[str], Sequence[str]], bool]:
    """(low hash, high hash), the two readings in that order, and whether ``a`` is the high one (its stored
    directions are then swapped)."""
    ha, hb = reading_hash(a_views), reading_hash(b_views)
    if ha <= hb:
        return (ha, hb), (a_views, b_views), False
    return (hb, ha), (b_views, a_views), True


def read_after(claim: Claim, previous: Claim | None, views: bool) -> tuple[str, ...]:
    """The readings of a stored claim compared with a claim of another article, after its previous claim."""
    context = (claim,) if previous is None else (previous, claim)
    return claim_views(context, len(context) - 1, None, views)


class StoredContexts:
    """Every stored claim in its article, to read it as ``check`` would: ``read(claim_id, partner_id)``."""

    def __init__(self, by_article: Mapping[int, Sequence[Claim]], places: Mapping[int, tuple[int, int]],
                 views: bool) -> None:
        self.by_article = by_article
        self.places = places  # claim id -> (article row id, position in the article)
        self.views = views

    def read(self, claim_id: int, partner_id: int) -> tuple[str, ...]:
        article, position = self.places[claim_id]
        partner_article, partner_position = self.places[partner_id]
        partner = partner_position if partner_article == article else None
        return claim_views(self.by_article[article], position, partner, self.views)
