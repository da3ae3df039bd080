"""The defaults every command shares, in one place."""

from __future__ import annotations

import numbers

DEFAULT_THRESHOLD = 0.5  # a pair is a finding when its calibrated contradiction score is at least this
NEAR_MISS_MARGIN = 0.2  # --all: near misses are the pairs up to this far below the threshold
SAME_ARTICLE_MARGIN = 32  # extra neighbours searched so that an article's own claims do not crowd out others
DEFAULT_BATCH_SIZE = 32  # NLI inputs per forward pass


def check_fraction(name: str, value: object) -> float:
    """``value`` as a float between 0 and 1 (a threshold, a margin); ``TypeError`` for what is not a number (numpy's
    included), ``ValueError`` for what is out of range or NaN."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, not {value!r}")
    number = float(value)
    if not 0.0 <= number <= 1.0:  # also refuses NaN
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
    return number
