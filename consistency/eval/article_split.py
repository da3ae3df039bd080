"""The one article split shared by training and measurement.

Every FRANK news article (keyed by the sha1 hex of its text) falls on one side: the *training* side may
become training material of any kind (synthetic pairs, hard neutrals, distillation pairs); the
*measurement* side (~10%: 45 of the 499 distinct FRANK articles) feeds the news challenge set and the clean-article
benchmark and is never trained on. ContraDoc and SummEdits documents are never training material at all.
The rule is the one phases 2-6 of the built-in model already used, so those models never saw a
measurement article either.
"""

from __future__ import annotations

import hashlib

MEASUREMENT_BYTE_LIMIT = 26  # first byte of the sha1 below this: measurement side (26 / 256 = 10.2%)


def article_key(text: str) -> str:
    """The sha1 hex of an article's text: its identity in the split."""
    return hashlib.sha1(text.encode()).hexdigest()


def is_measurement_key(key: str) -> bool:
    """Whether the article with this sha1 hex key is on the measurement side."""
    return int(key[:2], 16) < MEASUREMENT_BYTE_LIMIT


def is_measurement_article(text: str) -> bool:
    """Whether an article (by its text) is on the measurement side: never training material."""
    return is_measurement_key(article_key(text))
