"""Unlabelled sentence pairs from real news articles, for distillation: what the checker gives its model.

The student should learn the teacher's reading of exactly what the checker asks it. Version 2 (the default,
``news_checker_inputs_train.jsonl.gz``) takes, for each training-side FRANK article
(``consistency.eval.article_split``; measurement-side articles are never used), the checker's own NLI inputs:
its claims (``segment``), its candidate pairs (``candidate_pairs``) and every reading of each pair in both
directions (``scoring.pair_views``: a pronoun claim after its previous sentence, the pronoun resolved, the
attribution removed, coordinated clauses), at most ``--per-article`` of them drawn at random. Version 1
(``news_pairs_train.jsonl.gz``, students b-e) paired the sentences of its own splitter with their
``--neighbours`` most similar others and one random other sentence: of the checker's 22,260 inputs on 60
training-side articles only 4.8% were among them, and 56% read a claim in a view other than its text.
The pairs carry ``"label": "unlabelled"``: the teacher labels them (``models.label_with_teacher``).

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
CHECKER_SOURCE = "news_checker_inputs"


def checker_inputs(text: str, embed: Callable[[list[str]], np.ndarray]) -> list[tuple[str, str]]:
    """The distinct (premise, hypothesis) texts the checker's NLI model reads for ``text`` (default settings)."""
    from consistency.pairing import candidate_pairs
    from consistency.scoring import pair_views, view_inputs
    from consistency.text.segment import segment

    claims = segment(text).claims
    if len(claims) < 2:
        return []
    vectors = embed([c.text for c in claims])
    return view_inputs(pair_views(claims, candidate_pairs(claims, vectors)))


def build_checker_inputs(frank: Path, seed: int, embed: Callable[[list[str]], np.ndarray], per_article: int = 30
                         ) -> list[dict[str, str]]:
    """Version 2: at most ``per_article`` of the checker's inputs (:func:`checker_inputs`) of every
    training-side article, drawn at random."""
    rng = random.Random(seed)
    articles = read_articles(frank)
    rows: list[dict[str, str]] = []
    for key in sorted(articles):
        if is_measurement_key(key):
            continue
        inputs = checker_inputs(articles[key], embed)
        for premise, hypothesis in rng.sample(inputs, min(per_article, len(inputs))):
            rows.append({"premise": premise, "hypothesis": hypothesis, "label": "unlabelled",
                         "source": CHECKER_SOURCE, "split": "train"})
    rng.shuffle(rows)
    return rows


def build(frank: Path, seed: int, embed: Callable[[list[str]], np.ndarray], neighbours: int = 3
          ) -> list[dict[str, str]]:
    """Version 1: the unlabelled pairs of every training-side article (see the module docstring)."""
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
    parser.add_argument("--version", type=int, choices=(1, 2), default=2,
                        help="2: the checker's own inputs (news_checker_inputs_*); 1: sentence pairs (news_pairs_*)")
    parser.add_argument("--neighbours", type=int, default=3,
                        help="version 1: similar sentences paired with each sentence")
    parser.add_argument("--per-article", type=int, default=30, help="version 2: inputs drawn from each article")
    args = parser.parse_args()
    from consistency import SentenceTransformerEmbedder

    embed = SentenceTransformerEmbedder(device="cpu").embed
    if args.version == 1:
        rows, name = build(args.frank, args.seed, embed, args.neighbours), "news_pairs_train.jsonl.gz"
    else:
        rows, name = build_checker_inputs(args.frank, args.seed, embed, args.per_article), \
            "news_checker_inputs_train.jsonl.gz"
    args.out.mkdir(parents=True, exist_ok=True)
    write_rows(args.out / name, rows)
    print(f"{len(rows)} unlabelled pairs in {args.out / name}")


if __name__ == "__main__":
    main()
