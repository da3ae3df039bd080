"""What the comparison stages pass along: the settings of a run and one article with its claims."""

from __future__ import annotations

from dataclasses import dataclass, field

from consistency.compare.articles import Article
from consistency.compare.relatedness import DIFFERENT_STORIES_DISCOUNT
from consistency.compare.vector_index import EXACT_BELOW
from consistency.defaults import DEFAULT_THRESHOLD, check_fraction
from consistency.pairing import PairingSettings
from consistency.scoring import ScoringSettings
from consistency.types import Claim, SkippedSpan

WIDE_NEIGHBOURS = 24  # neighbours looked at for entity / number-slot partners
# Few short articles: every cross-article pair is checked when there are at most this many (as ``check`` does
# for an article of fewer than 24 claims, 276 pairs); four 6-claim articles make 216.
ALL_PAIRS_UP_TO = 500


@dataclass(frozen=True)
class CompareSettings:
    """Knobs of cross-article comparison. ``pairing`` is shared with ``check`` (top_k, floors)."""

    threshold: float = DEFAULT_THRESHOLD
    near_miss_margin: float = 0.0
    within: bool = False
    pairing: PairingSettings = field(default_factory=PairingSettings)
    wide_neighbours: int = WIDE_NEIGHBOURS
    all_pairs_up_to: int = ALL_PAIRS_UP_TO  # cross-article pairs checked exhaustively up to this many
    exact_below: int = EXACT_BELOW
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    english_only: bool = True  # skip sentences in another language (``--lang-check off``: False)
    different_stories_discount: float = DIFFERENT_STORIES_DISCOUNT  # 1.0: findings between unrelated stories kept

    def __post_init__(self) -> None:
        object.__setattr__(self, "threshold", check_fraction("threshold", self.threshold))
        object.__setattr__(self, "near_miss_margin", check_fraction("near_miss_margin", self.near_miss_margin))
        object.__setattr__(self, "different_stories_discount",
                           check_fraction("different_stories_discount", self.different_stories_discount))


@dataclass(frozen=True)
class ArticleClaims:
    """One article and its claims (each claim's ``article`` is the article id)."""

    article: Article
    claims: tuple[Claim, ...]
    skipped: tuple[SkippedSpan, ...] = ()
