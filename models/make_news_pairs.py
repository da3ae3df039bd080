"""Unlabelled sentence pairs from real news articles, for distillation: pairs as the checker sees them.

The checker pairs the claims of one article with their nearest neighbours (and, in a short article, with
every other claim); the student should learn the teacher's reading of exactly such pairs. For each
training-side FRANK article (``consistency.eval.article_split``; measurement-side articles are
never used), each sentence is paired with its ``--neighbours`` most similar other sentences
(all-MiniLM-L6-v2 cosine) and with one random other sentence, each unordered pair once, in a random
direction. The pairs carry ``"label": "unlabelled"``: the teacher labels them (``models.label_with_teacher``).

Usage::

    python -m models.make_news_pairs --frank ../shared/data/docs/frank.jsonl.gz --out models/work
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np

from consistency.eval.article_split import is_measurement_key
from models.make_hard_neutrals import similar_pairs
from models.make_synthetic import read_articles, sentences, write_rows

SOURCE = "news_pairs"


def build(frank: Path, seed: int, embed: Callable[[list[str]], np.ndarray], neighbours: int = 3
          ) -> list[dict[str, str]]:
    """The unlabelled pairs of every training-side article (see the module docstring)."""
    rng = random.Random(seed)
    articles = read_articles(frank)
    rows: list[dict[str, str]] = []
    for key in sorted(articles):
        sents = sentences(articles[key])
        if len(sents) < 3 or is_measurement_key(key):
            continue
        chosen = {(i, j) for i, j, _ in similar_pairs(sents, embed(sents), -1.0, 1.0, neighbours)}
        for i in range(len(sents)):
            j = rng.choice([k for k in range(len(sents)) if k != i and sents[k] != sents[i]] or [i])
            if j != i:
                chosen.add((min(i, j), max(i, j)))
        for i, j in sorted(chosen):
            premise, hypothesis = (sents[i], sents[j]) if rng.random() < 0.5 else (sents[j], sents[i])
            rows.append({"premise": premise, "hypothesis": hypothesis, "label": "unlabelled", "source": SOURCE,
                         "split": "train"})
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frank", type=Path, default=Path("../shared/data/docs/frank.jsonl.gz"))
    parser.add_argument("--out", type=Path, default=Path("models/work"))
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--neighbours", type=int, default=3, help="similar sentences paired with each sentence")
    args = parser.parse_args()
    from consistency import SentenceTransformerEmbedder

    rows = build(args.frank, args.seed, SentenceTransformerEmbedder(device="cpu").embed, args.neighbours)
    args.out.mkdir(parents=True, exist_ok=True)
    write_rows(args.out / "news_pairs_train.jsonl.gz", rows)
    print(f"{len(rows)} unlabelled pairs")


if __name__ == "__main__":
    main()
