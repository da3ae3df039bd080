"""Negation-cue neutrals from real news: a negated claim and a related claim of the same article.

The checker's most frequent false alarm on clean news is a negation cue: "Hereford United can have no
complaints" against the fans' offer to buy the club, "there isn't anything to compare to 'American Pie'"
against "'American Pie' is one of the greatest songs" (14 of the 29 findings on the 45 measurement-side FRANK
articles, 2026-12-05). This script pairs, within each training-side FRANK article, the checker's own claims
(:func:`consistency.text.segment.segment`) where exactly one claim is negated and the two share a content word
or a name, the pairs the checker types ``negation``, and labels them neutral: sentences of one published
article almost never contradict each other. Articles listed in ``--exclude`` (the clean-article tune half of
the evidence rules) are left out, so that they still measure what the pairs do.

Usage::

    python -m models.make_negation_neutrals --exclude models/work/tune_frank_ids.txt --out models/work
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from consistency.eval.article_split import is_measurement_key
from consistency.pairing import entity_keys
from consistency.scoring import classify_type
from consistency.text.clauses import strip_attribution
from consistency.text.segment import segment
from consistency.text.words import content_words
from consistency.types import FindingType
from models.make_synthetic import add_article_arguments, read_articles, write_rows

SOURCE = "synthetic_news_negation_neutral"


def negation_pairs(claims: list[str]) -> list[tuple[int, int]]:
    """Index pairs of ``claims`` that the checker would type a negation conflict and that share a content word
    or a name (a related claim, not a random one)."""
    out = []
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            a, b = strip_attribution(claims[i]), strip_attribution(claims[j])
            if classify_type(a, b)[0] is not FindingType.NEGATION:
                continue
            if content_words(a) & content_words(b) or entity_keys(a) & entity_keys(b):
                out.append((i, j))
    return out


def build(frank: Path, exclude: set[str], seed: int, per_article: int) -> tuple[list[dict], int]:
    """Training rows and the number of articles they come from."""
    rng = random.Random(seed)
    rows: list[dict] = []
    used = 0
    for key, article in sorted(read_articles(frank).items()):
        if is_measurement_key(key) or key[:12] in exclude or key in exclude:
            continue
        claims = [claim.text for claim in segment(article).claims]
        pairs = negation_pairs(claims)
        rng.shuffle(pairs)
        for i, j in pairs[:per_article]:
            premise, hypothesis = (claims[i], claims[j]) if rng.random() < 0.5 else (claims[j], claims[i])
            rows.append({"premise": premise, "hypothesis": hypothesis, "label": "neutral", "source": SOURCE})
        used += bool(pairs)
    rng.shuffle(rows)
    return rows, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_article_arguments(parser, seed=23)
    parser.add_argument("--per-article", type=int, default=10, help="at most this many pairs of one article")
    args = parser.parse_args()
    exclude = set(args.exclude.read_text().split()) if args.exclude else set()
    rows, used = build(args.frank, exclude, args.seed, args.per_article)
    args.out.mkdir(parents=True, exist_ok=True)
    write_rows(args.out / "negation_neutral_train.jsonl.gz", rows)
    print(f"{len(rows)} pairs from {used} articles ({len(exclude)} keys excluded)")


if __name__ == "__main__":
    main()
