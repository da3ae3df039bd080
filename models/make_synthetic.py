"""Synthetic NLI pairs from real news sentences (FactCC-style), for the second training phase.

Contradictions change one slot of a real sentence that describes the event and keep the rest: a
number, a month, weekday or year, the polarity (insert or remove "not"), an antonym, or the place
after "in", "near" or "at" (another place of the article: the same event elsewhere). A *person* in
subject position swapped for another person of the article is neutral, not contradiction: the same
predicate said of a different person ("A was refused a place" / "B was refused a place") does not
conflict (version 1 labelled every name swap contradiction and taught "one slot differs ->
contradiction"; version 2 swapped places too and labelled them neutral, which taught "another place
-> neutral"). Neutral pairs are also two different sentences of the same article (same topic, no
conflict: the checker's commonest case). Entailments drop a trailing attribution ("..., police
said."), refer to a person by surname instead of the full name (same referent), or keep the
sentence. Articles are split by the package's one article split
(``consistency.eval.article_split``): only training-side articles make training pairs; the dev
file holds the measurement side.

Usage::

    python -m models.make_synthetic --frank ../shared/data/docs/frank.jsonl.gz --out models/work
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

from consistency.eval.article_split import is_measurement_key

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DATE_WORDS = frozenset(MONTHS + WEEKDAYS)
AUXILIARIES = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|should|did|does|do)\b(?! not\b)")
NEGATED = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|should|did|does|do) not\b|n't\b")
ANTONYM_PAIRS = [("increased", "decreased"), ("rose", "fell"), ("won", "lost"), ("alive", "dead"),
                 ("accepted", "rejected"), ("agreed", "refused"), ("confirmed", "denied"), ("higher", "lower"),
                 ("more", "fewer"), ("before", "after"), ("opened", "closed"), ("guilty", "innocent"),
                 ("supported", "opposed"), ("succeeded", "failed"), ("allowed", "banned"), ("arrived", "left"),
                 ("largest", "smallest"), ("first", "last"), ("began", "ended"), ("released", "detained")]
NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+)*)")
FULL_NAME = re.compile(r"(?<![\w.])([A-Z][a-z]+ [A-Z][a-z]{2,})(?![\w-])")
PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|at|from|of|to|for|by|on|the)\s*$")
PERSON_AFTER = re.compile(r"^(?:'s\b| (?:said|says|was|is|has|had|told|added|who|will|would|did|wrote|claimed)\b)")
PLACE = re.compile(r"\b(?:in|near|at) ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)*)(?![\w'-])")
CAPITALISED_BEFORE = re.compile(r"[A-Z][\w.'-]*\s$")  # the name is the tail of a longer one ("Travis Kalanick")
NOT_NAMES = frozenset("The There This That These Those He She It They We You I A An But And Or In On At His Her Its "
                      "Their Our My Mr Mrs Ms Dr".split())
ATTRIBUTION = re.compile(r",\s+(?:according to [^,]+|(?:[A-Z][\w.'-]*\s?){1,4}(?:said|told [\w ]+|added|says))\s*\.$")


def sentences(article: str) -> list[str]:
    out = []
    for raw in SENTENCE_END.split(article.replace("\n", " ")):
        sentence = raw.strip()
        if 8 <= len(sentence.split()) <= 45 and sentence[-1] in ".!?\"”":
            out.append(sentence)
    return out


def change_number(s: str, rng: random.Random) -> str | None:
    matches = list(NUMBER.finditer(s))
    if not matches:
        return None
    m = rng.choice(matches)
    raw = m.group(1).replace(",", "")
    value = float(raw)
    if 1900 <= value <= 2100 and "." not in raw:
        new = str(int(value) + rng.choice([-3, -2, -1, 1, 2, 3]))
    else:
        factor = rng.choice([0.5, 2, 3, 0.25, 1.5, 10])
        changed = value * factor if value > 2 else value + rng.choice([2, 3, 5])
        new = f"{changed:.1f}" if "." in raw else f"{int(round(changed)):,}" if "," in m.group(1) else str(
            int(round(changed)))
        if new == m.group(1):
            return None
    return s[: m.start(1)] + new + s[m.end(1):]


def change_date(s: str, rng: random.Random) -> str | None:
    for names in (MONTHS, WEEKDAYS):
        present = [n for n in names if re.search(rf"\b{n}\b", s)]
        if present:
            old = rng.choice(present)
            new = rng.choice([n for n in names if n != old])
            return re.sub(rf"\b{old}\b", new, s, count=1)
    return None


def flip_polarity(s: str, rng: random.Random) -> str | None:
    negated = NEGATED.search(s)
    if negated:
        if negated.group(0) == "n't":
            return None
        return s[: negated.start()] + negated.group(1) + s[negated.end():]
    aux = AUXILIARIES.search(s)
    if aux:
        return s[: aux.end()] + " not" + s[aux.end():]
    return None


def swap_antonym(s: str, rng: random.Random) -> str | None:
    options = [(a, b) for a, b in ANTONYM_PAIRS if re.search(rf"\b{a}\b", s)]
    options += [(b, a) for a, b in ANTONYM_PAIRS if re.search(rf"\b{b}\b", s)]
    if not options:
        return None
    old, new = rng.choice(options)
    return re.sub(rf"\b{old}\b", new, s, count=1)


def swap_name(s: str, names: list[str], rng: random.Random, legacy: bool = False) -> str | None:
    """One capitalised name of ``s`` replaced by another name of the article with as many words. ``legacy``:
    version 1's filters (a name is left out only when it is a month or weekday itself)."""
    def is_date(name: str) -> bool:
        return name in MONTHS + WEEKDAYS if legacy else bool(set(name.split()) & DATE_WORDS)

    inside = [m for m in NAME.finditer(s) if not is_date(m.group(1))]
    if not inside:
        return None
    m = rng.choice(inside)
    others = [n for n in names if n not in s and n != m.group(1) and len(n.split()) == len(m.group(1).split())
              and (legacy or not is_date(n))]
    if not others:
        return None
    return s[: m.start(1)] + rng.choice(others) + s[m.end(1):]


def person_names(sents: list[str]) -> list[str]:
    """Names in subject position (not after a preposition, followed by a verb such as "said" or by "'s")."""
    return sorted({m.group(1) for s in sents for m in NAME.finditer(s) if is_person_at(s, m)})


def is_person_at(s: str, m: re.Match[str]) -> bool:
    name = m.group(1)
    return (not set(name.split()) & (DATE_WORDS | NOT_NAMES) and not PREPOSITION_BEFORE.search(s[: m.start(1)])
            and not CAPITALISED_BEFORE.search(s[: m.start(1)])
            and bool(PERSON_AFTER.match(s[m.end(1):])))


def place_names(sents: list[str]) -> list[str]:
    """Names after "in", "near" or "at" (mostly places), not dates."""
    return sorted({m.group(1) for s in sents for m in PLACE.finditer(s)
                   if not set(m.group(1).split()) & (DATE_WORDS | NOT_NAMES)})


def swap_person(s: str, persons: list[str], rng: random.Random) -> str | None:
    """A person named in subject position replaced by another person of the article: the same predicate said of
    someone else, neutral ("A was refused a place" / "B was refused a place")."""
    return _swap_for_another(s, [m for m in NAME.finditer(s) if is_person_at(s, m)], persons, rng)


def swap_place(s: str, places: list[str], rng: random.Random) -> str | None:
    """The place of an event ("in Moscow") replaced by another place of the article ("in Ankara"): the same
    event said to happen elsewhere, a contradiction."""
    return _swap_for_another(s, [m for m in PLACE.finditer(s) if m.group(1) in places], places, rng)


def _swap_for_another(s: str, inside: list[re.Match[str]], pool: list[str], rng: random.Random) -> str | None:
    """One of the names ``inside`` ``s`` (group 1) replaced by a name of ``pool`` with as many words that ``s``
    does not hold; None when there is none."""
    if not inside:
        return None
    m = rng.choice(inside)
    others = [n for n in pool if n not in s and len(n.split()) == len(m.group(1).split())]
    return s[: m.start(1)] + rng.choice(others) + s[m.end(1):] if others else None


def read_articles(frank: Path) -> dict[str, str]:
    """The distinct FRANK articles, keyed by the sha1 hex of their text."""
    articles: dict[str, str] = {}
    with gzip.open(frank, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles.setdefault(hashlib.sha1(row["article"].encode()).hexdigest(), row["article"])
    return articles


def add_article_arguments(parser: argparse.ArgumentParser, seed: int) -> None:
    """The options every maker of training pairs from FRANK articles takes: --frank, --exclude, --out, --seed."""
    parser.add_argument("--frank", type=Path, default=Path("../shared/data/docs/frank.jsonl.gz"))
    parser.add_argument("--exclude", type=Path, default=None, help="article keys (one per line) to leave out")
    parser.add_argument("--out", type=Path, default=Path("models/work"))
    parser.add_argument("--seed", type=int, default=seed)


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """One JSON object per line; gzipped when ``path`` ends in .gz."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def shorten_name(s: str, article: str, rng: random.Random) -> str | None:
    """The sentence with one person's full name ("Yevgeny Prigozhin") cut to the surname ("Prigozhin") that
    the article uses alone elsewhere (how news refers to a person after the first mention): same referent."""
    full = [m for m in FULL_NAME.finditer(s) if not set(m.group(1).split()) & DATE_WORDS
            and re.search(rf"(?<![A-Z][a-z]) \b{m.group(1).split()[-1]}\b(?: said|,| told| was| has|\'s)", article)]
    if not full:
        return None
    m = rng.choice(full)
    return s[: m.start(1)] + m.group(1).split()[-1] + s[m.end(1):]


def build(frank: Path, seed: int, version: int = 3) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The train and dev pairs. ``version`` 1 is the rule set that phases 2-6 of the built-in model trained on (a
    name swap labelled contradiction, no same-referent pairs), kept so that their chain reproduces exactly; 2 is
    round 1 of the teacher (any capitalised name swapped, neutral: places too, which taught "another place ->
    neutral"); 3 swaps persons in subject position (neutral) and places after "in"/"near"/"at"
    (contradiction)."""
    rng = random.Random(seed)
    legacy = version == 1
    articles = read_articles(frank)
    train: list[dict[str, str]] = []
    dev: list[dict[str, str]] = []
    edits = [("number", change_number), ("date", change_date), ("polarity", flip_polarity),
             ("antonym", swap_antonym)]
    for key in sorted(articles):
        sents = sentences(articles[key])
        if len(sents) < 3:
            continue
        names = sorted({m.group(1) for s in sents for m in NAME.finditer(s)})
        persons, places = person_names(sents), place_names(sents)
        target = dev if is_measurement_key(key) else train  # ~10% of articles held out
        for s in sents:
            made: list[tuple[str, str, str]] = []
            rng.shuffle(edits)
            for kind, edit in edits:
                changed = edit(s, rng)
                if changed and changed != s:
                    made.append((changed, "contradiction", kind))
                    break
            if version < 3 and rng.random() < (0.3 if legacy else 0.5):
                changed = swap_name(s, names, rng, legacy)
                if changed:
                    made.append((changed, "contradiction", "name") if legacy else
                                (changed, "neutral", "different-entity"))
            if version >= 3:
                changed = swap_person(s, persons, rng)
                if changed:
                    made.append((changed, "neutral", "different-entity"))
                changed = swap_place(s, places, rng)
                if changed:
                    made.append((changed, "contradiction", "place"))
            other = rng.choice([t for t in sents if t != s])
            made.append((other, "neutral", "same-article"))
            shorter = ATTRIBUTION.sub(".", s)
            if shorter != s:
                made.append((shorter, "entailment", "attribution-dropped"))
            elif rng.random() < 0.25:
                made.append((s, "entailment", "identical"))
            if not legacy and rng.random() < 0.3:
                changed = shorten_name(s, articles[key], rng)
                if changed and changed != s:
                    made.append((changed, "entailment", "same-referent"))
            for hypothesis, label, kind in made:
                premise, hyp = (s, hypothesis) if rng.random() < 0.5 or label == "entailment" else (hypothesis, s)
                target.append({"premise": premise, "hypothesis": hyp, "label": label,
                               "source": "synthetic_news", "split": kind})
    rng.shuffle(train)
    return train, dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frank", type=Path, default=Path("../shared/data/docs/frank.jsonl.gz"))
    parser.add_argument("--out", type=Path, default=Path("models/work"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--version", type=int, choices=(1, 2, 3), default=3,
                        help="3: the current rules (synthetic_news_*); 2: round 1 of the teacher "
                             "(synthetic_news_v2_*); 1: phases 2-6's rules (synthetic_news_v1_*)")
    args = parser.parse_args()
    train, dev = build(args.frank, args.seed, args.version)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "synthetic_news" if args.version == 3 else f"synthetic_news_v{args.version}"
    write_rows(args.out / f"{stem}_train.jsonl.gz", train)
    write_rows(args.out / f"{stem}_dev.jsonl", dev)
    counts: dict[str, int] = {}
    for row in train:
        counts[row["label"] + "/" + row["split"]] = counts.get(row["label"] + "/" + row["split"], 0) + 1
    print(f"train {len(train)} pairs, dev {len(dev)} pairs")
    for key in sorted(counts):
        print(f"  {key}: {counts[key]}")


if __name__ == "__main__":
    main()
