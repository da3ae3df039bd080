"""The defaults every command shares, in one place."""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.5  # a pair is a finding when its calibrated contradiction score is at least this
NEAR_MISS_MARGIN = 0.2  # --all: near misses are the pairs up to this far below the threshold
SAME_ARTICLE_MARGIN = 32  # extra neighbours searched so that an article's own claims do not crowd out others
DEFAULT_BATCH_SIZE = 32  # NLI inputs per forward pass
