"""Paraphrased-figure pairs from real news: one figure, date or direction stated in two different sentences.

The synthetic pairs of :mod:`models.make_synthetic` change a number in a *copy* of a sentence, and the model
learnt exactly that: near-identical sentences with one number changed score 0.82-0.97, while the same conflict
stated in two differently worded sentences of an article ("At least 34 people have died" / "43 deaths had now
been confirmed") scores 2-15% (the data-journalist walk, 2026-12-05). Here the two sentences are different
wordings of one fact, taken from training-side FRANK articles (``consistency.eval.article_split``):

- a faithful summary sentence (FRANK factuality 1.0) and the article sentence it restates;
- two sentences of one article that restate one figure (the top of a story and its body).

A pair qualifies when both sentences carry the same figure (a number, a number word, a month or weekday, or a
direction word such as "rose") and share at least ``min_shared`` content words, without being near copies. Each
pair gives a contradiction (the figure of one sentence changed: a modest change such as 34 -> 43, 3 -> 4,
Thursday -> Wednesday, rose -> fell) and the pair as it stands, which is not a contradiction: entailment when the
first sentence covers the content words of the second, otherwise neutral. Articles listed in ``--exclude`` (the
clean-article tune half of the evidence rules) are left out.

Usage::

    python -m models.make_figure_pairs --exclude models/work/tune_frank_ids.txt --out models/work
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

from consistency.eval.article_split import article_key, is_measurement_key
from consistency.text.words import NUMBER_WORDS, content_words
from models.make_synthetic import MONTHS, WEEKDAYS, add_article_arguments, sentences, write_rows

SOURCE = "synthetic_news_figure_paraphrase"
FIGURE = re.compile(r"(?<![\w.,£$€])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?=(?:m|bn|k|%)?(?![\w]))")
SMALL_NUMBER_WORDS = [w for w in NUMBER_WORDS if w not in ("hundred", "dozen")]
YEAR = re.compile(r"^(?:19|20)\d\d$")
DIRECTIONS = [("rose", "fell"), ("increased", "decreased"), ("rise", "fall"), ("higher", "lower"),
              ("more", "fewer"), ("gained", "lost"), ("won", "lost"), ("grew", "shrank"),
              ("increase", "decrease")]


def changed_value(raw: str, rng: random.Random) -> str | None:
    """A modestly different value written as ``raw`` is (34 -> 43 or 38, 4.2 -> 3.8, 2015 -> 2016)."""
    plain = raw.replace(",", "")
    value = float(plain)
    if "." not in plain and 1900 <= value <= 2100:
        new = str(int(value) + rng.choice([-2, -1, 1, 2]))
    elif "." in plain:
        decimals = len(plain.split(".")[1])
        step = rng.choice([-4, -3, -2, 2, 3, 4]) * 10 ** -decimals * (10 if value >= 10 else 1)
        new = f"{max(value + step, 10 ** -decimals):.{decimals}f}"
    elif value < 10:
        new = str(int(value) + rng.choice([1, 2] if value < 3 else [-2, -1, 1, 2]))
    elif len(plain) == 2 and plain[0] != plain[1] and plain[1] != "0" and rng.random() < 0.4:
        new = plain[::-1]
    else:
        new = str(int(round(value * rng.choice([0.6, 0.75, 0.8, 1.25, 1.3, 1.5]))))
    if "," in raw:
        new = f"{int(new):,}"
    return new if new.replace(",", "") != plain else None


def figures(s: str) -> set[str]:
    """The figures of a sentence as written: numbers, number words, months, weekdays, direction words."""
    words = set(re.findall(r"[A-Za-z]+", s))
    found = {m.group(1) for m in FIGURE.finditer(s)}
    found |= {w for w in words if w.lower() in SMALL_NUMBER_WORDS and w.lower() != "one"}
    found |= {w for w in words if w in MONTHS or w in WEEKDAYS}
    found |= {w for pair in DIRECTIONS for w in pair if w in words}
    return found


def counted_figures(s: str) -> dict[str, str]:
    """The figures of ``s`` that count or measure something, keyed by the figure with the word after it ("11
    grands" from "11 grands prix", "34 people"): what two sentences of one article share when they state one
    quantity (years, dates and bare numbers repeat across different facts of one story). Values: the figure as
    written."""
    out = {}
    for m in re.finditer(r"(?<![\w.,£$€])(\d[\d,.]*\d|\d|[A-Za-z]+)((?:m|bn|k|%)?)[ -]([a-z]+)", s):
        figure = m.group(1)
        if (figure[0].isdigit() and not YEAR.match(figure)) or figure.lower() in SMALL_NUMBER_WORDS[1:]:
            out[f"{figure.lower()}{m.group(2)} {m.group(3)}"] = figure
    return out


def change_figure(s: str, figure: str, rng: random.Random) -> str | None:
    """``s`` with its first ``figure`` changed to another value of the same kind, or None."""
    if figure[0].isdigit():
        new = changed_value(figure, rng)
        m = re.search(rf"(?<![\w.,]){re.escape(figure)}(?![\d])", s)
    else:
        new = _other_word(figure, rng)
        m = re.search(rf"\b{re.escape(figure)}\b", s)
    if new is None or m is None:
        return None
    return s[: m.start()] + new + s[m.end():]


def _other_word(word: str, rng: random.Random) -> str | None:
    lower = word.lower()
    if lower in SMALL_NUMBER_WORDS:
        i = SMALL_NUMBER_WORDS.index(lower)
        near = [w for w in SMALL_NUMBER_WORDS[max(i - 2, 0): i + 3] if w != lower]
        new = rng.choice(near)
        return new.capitalize() if word[0].isupper() else new
    for names in (MONTHS, WEEKDAYS):
        if word in names:
            return rng.choice([n for n in names if n != word])
    for a, b in DIRECTIONS:
        if word in (a, b):
            return b if word == a else a
    return None


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", s.lower()))


def is_restatement(a: str, b: str, min_shared: int) -> bool:
    """Whether ``b`` restates part of ``a`` in other words: enough shared content words, not a near copy."""
    shared = content_words(a) & content_words(b)
    wa, wb = _words(a), _words(b)
    return len(shared) >= min_shared and len(wa & wb) / len(wa | wb) < 0.7


def pair_rows(a: str, b: str, shared: list[str], rng: random.Random) -> list[dict[str, str]]:
    """The contradiction (one ``shared`` figure of ``b`` changed) and the pair as it stands."""
    changed = change_figure(b, rng.choice(shared), rng) if shared else None
    if changed is None:
        return []
    covered = content_words(b) <= content_words(a) | {w.lower() for w in figures(b)}
    first, second = (a, changed) if rng.random() < 0.5 else (changed, a)
    return [{"premise": first, "hypothesis": second, "label": "contradiction", "source": SOURCE},
            {"premise": a, "hypothesis": b, "label": "entailment" if covered else "neutral", "source": SOURCE}]


def read_frank(frank: Path) -> dict[str, tuple[str, list[str]]]:
    """Article key -> (article, its faithful summary sentences: FRANK factuality 1.0)."""
    out: dict[str, tuple[str, list[str]]] = {}
    with gzip.open(frank, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            _, lines = out.setdefault(article_key(row["article"]), (row["article"], []))
            if float(row["factuality"]) == 1.0:
                lines.extend(s for s in _summary_lines(row) if s not in lines and "UNK" not in s)
    return out


def _summary_lines(row: dict) -> list[str]:
    lines = row["summary_lines"]
    return [" ".join(str(s).replace(" ,", ",").replace(" .", ".").replace(" 's", "'s").split()) for s in lines]


def article_pairs(article: str, summary: list[str], min_shared: int) -> list[tuple[str, str, list[str]]]:
    """(premise, restatement, shared figures as written in the restatement) of one article: each summary
    sentence against its best article sentence, and article sentences against later ones that restate one of
    their counted figures."""
    sents = sentences(article)
    found, counted = [figures(s) for s in sents], [counted_figures(s) for s in sents]
    out = []
    for line in summary:
        in_line = figures(line)
        best = [i for i, s in enumerate(sents) if found[i] & in_line and is_restatement(s, line, min_shared)]
        if best:
            i = max(best, key=lambda i: len(content_words(sents[i]) & content_words(line)))
            out.append((sents[i], line, sorted(found[i] & in_line)))
    for i, a in enumerate(sents):
        for j in range(i + 1, len(sents)):
            shared = sorted(counted[j][key] for key in counted[i].keys() & counted[j].keys())
            if shared and is_restatement(a, sents[j], min_shared + 1):
                out.append((a, sents[j], shared))
    return out


def different_figure_pairs(article: str, min_shared: int) -> list[tuple[str, str]]:
    """Sentence pairs of one article on one topic (``min_shared`` content words or more) that both state
    counted figures but no figure in common: different quantities of one story, which do not conflict."""
    sents = sentences(article)
    found, counted = [figures(s) for s in sents], [bool(counted_figures(s)) for s in sents]
    return [(a, sents[j]) for i, a in enumerate(sents) for j in range(i + 1, len(sents))
            if counted[i] and counted[j] and not found[i] & found[j] and is_restatement(a, sents[j], min_shared)]


def build(frank: Path, exclude: set[str], seed: int, per_article: int, min_shared: int, variants: int = 1
          ) -> tuple[list[dict[str, str]], int]:
    """Training rows and the number of articles they come from. Each restatement gives ``variants``
    contradictions (different changes) and as many copies of itself; each article adds up to ``per_article``
    // 3 pairs of different figures as neutral."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    used = 0
    for key, (article, summary) in sorted(read_frank(frank).items()):
        if is_measurement_key(key) or key[:12] in exclude or key in exclude:
            continue
        pairs = article_pairs(article, summary, min_shared)
        rng.shuffle(pairs)
        made = [row for a, b, shared in pairs[:per_article] for _ in range(variants)
                for row in pair_rows(a, b, shared, rng)]
        if made:
            others = different_figure_pairs(article, min_shared)
            rng.shuffle(others)
            made += [{"premise": a, "hypothesis": b, "label": "neutral", "source": SOURCE}
                     for a, b in others[: per_article // 3] for _ in range(variants)]
        rows.extend(made)
        used += bool(made)
    rng.shuffle(rows)
    return rows, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_article_arguments(parser, seed=31)
    parser.add_argument("--per-article", type=int, default=12, help="at most this many sentence pairs of one article")
    parser.add_argument("--min-shared", type=int, default=3, help="content words two restatements share at least")
    parser.add_argument("--variants", type=int, default=3, help="contradictions (changes) made of each restatement")
    args = parser.parse_args()
    exclude = set(args.exclude.read_text().split()) if args.exclude else set()
    rows, used = build(args.frank, exclude, args.seed, args.per_article, args.min_shared, args.variants)
    args.out.mkdir(parents=True, exist_ok=True)
    write_rows(args.out / "figure_pairs_train.jsonl.gz", rows)
    labels = {label: sum(r["label"] == label for r in rows) for label in ("entailment", "neutral", "contradiction")}
    print(f"{len(rows)} pairs from {used} articles ({len(exclude)} keys excluded): {labels}")


if __name__ == "__main__":
    main()
