"""Hard neutral pairs from real news: two different but similar sentences of the same article.

The checker's false alarms are topically related sentences of one article that do not conflict (the
sample article: the exile in Belarus against the Wagner commanders' "would continue to fight for him").
``make_synthetic.py`` pairs a sentence with a random other sentence of its article, mostly an easy
neutral; this script pairs each sentence with its most similar other sentences (all-MiniLM-L6-v2 cosine
between ``--min-similarity`` and ``--max-similarity``, the upper bound leaving out near-paraphrases) and
labels the pair neutral: sentences of one published article almost never contradict each other. The
articles are split by the same hash as ``make_synthetic.py``, so the dev file holds the same articles.

Usage::

    python -m models.make_hard_neutrals --frank ../shared/data/docs/frank.jsonl.gz --out models/work
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from consistency.eval.article_split import is_measurement_key
from models.make_synthetic import read_articles, sentences, write_rows

SOURCE = "synthetic_news_hard_neutral"


def similar_pairs(sents: list[str], vectors: np.ndarray, low: float, high: float, neighbours: int = 3
                  ) -> list[tuple[int, int, float]]:
    """For each sentence, its ``neighbours`` most similar other sentences whose cosine lies in [low, high];
    each unordered pair once."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    seen: set[tuple[int, int]] = set()
    out = []
    for i in range(len(sents)):
        for j in np.argsort(-sims[i])[:neighbours]:
            j = int(j)
            key = (min(i, j), max(i, j))
            if low <= sims[i, j] <= high and key not in seen and sents[i] != sents[j]:
                seen.add(key)
                out.append((key[0], key[1], float(sims[i, j])))
    return out


def build(frank: Path, seed: int, low: float, high: float, embed: object, neighbours: int = 3
          ) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    articles = read_articles(frank)
    train: list[dict] = []
    dev: list[dict] = []
    for key in sorted(articles):
        sents = sentences(articles[key])
        if len(sents) < 3:
            continue
        vectors = embed(sents)  # type: ignore[operator]
        target = dev if is_measurement_key(key) else train
        for i, j, similarity in similar_pairs(sents, vectors, low, high, neighbours):
            premise, hypothesis = (sents[i], sents[j]) if rng.random() < 0.5 else (sents[j], sents[i])
            target.append({"premise": premise, "hypothesis": hypothesis, "label": "neutral", "source": SOURCE,
                           "split": f"similar-{similarity:.2f}"})
    rng.shuffle(train)
    return train, dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frank", type=Path, default=Path("../shared/data/docs/frank.jsonl.gz"))
    parser.add_argument("--out", type=Path, default=Path("models/work"))
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--min-similarity", type=float, default=0.45)
    parser.add_argument("--max-similarity", type=float, default=0.85)
    parser.add_argument("--neighbours", type=int, default=3, help="similar sentences paired with each sentence")
    args = parser.parse_args()
    from consistency import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(device="cpu")
    train, dev = build(args.frank, args.seed, args.min_similarity, args.max_similarity, embedder.embed,
                       args.neighbours)
    args.out.mkdir(parents=True, exist_ok=True)
    write_rows(args.out / "hard_neutral_train.jsonl.gz", train)
    write_rows(args.out / "hard_neutral_dev.jsonl", dev)
    print(f"train {len(train)} pairs, dev {len(dev)} pairs")


if __name__ == "__main__":
    main()
