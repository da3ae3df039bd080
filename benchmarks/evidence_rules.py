"""Evidence rules on top of the model's score, measured on clean articles and on contradictions at once.

``dump`` runs the checker (threshold 0: every scored pair) over clean FRANK articles (the 45 measurement-side
ones = report, the first 100 training-side ones = tune), ContraDoc (all contradictory documents and the first
160 clean ones; tune and report halves by the sha1 of the id) and the seeds, and writes every pair scoring at
least 0.3 with its features (type, similarity, shared content words and names, whether it touches ContraDoc's
evidence sentence). The rules are scored with the discounts switched off, so each rule is applied afresh.
``table`` applies each rule of ``RULES`` to those pairs and prints the table of benchmarks/README.md
("Evidence rules").

    python -m benchmarks.evidence_rules dump evidence-pairs.jsonl   # ~45 min on 2 CPU cores
    python -m benchmarks.evidence_rules table benchmarks/results/evidence-pairs-2026-12-04-cpu-phase6.jsonl.gz

``second OUT PAIRS...`` scores, with a second NLI model (``--nli-model``, default ``accurate``), every direction
of those pairs that the built-in model gives at least the second-opinion gate (0.3), keyed by a hash of the two
texts; ``table PAIRS... --second OUT`` then also prints the blend of the two models by weight
(:mod:`consistency.runtime.second_opinion`; benchmarks/README.md, "A second opinion"). ``bands PAIRS...`` prints
what a score means on the report halves (README.md, "Reading a score").

The committed pairs file was made by an earlier form of ``dump`` (same checker, model and features; its clean
ContraDoc part was scored with the x0.6 discount on, which ``table``'s input has undone: raw = score / 0.6 for
the ungrounded pairs, all of which scored at least 0.5 raw, so none is missing at the threshold).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from consistency.scoring import ScoringSettings
from consistency.text.quantities import years
from models.sample_check import is_the_tension

DOCS = Path("../shared/data/docs")
THRESHOLD = 0.5
TYPED = {"numeric", "date", "location"}
Rule = Callable[[dict[str, Any]], float]
# The pairs are scored with the rules on top of the model switched off ("score" is the plain mean of the two
# directions), so that ``table`` applies each rule afresh.
RAW_SCORING = ScoringSettings(grounding_discount=1.0, same_slot_rule="mean")


def _half(key: str) -> str:
    return "report" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 else "tune"


def dump(out: Path) -> None:
    from consistency import Checker
    from consistency.eval.article_split import is_measurement_key
    from consistency.eval.docs_suite import _touches, read_docs
    from consistency.eval.pipeline import scoring_checker

    checker = scoring_checker(Checker())
    checker = Checker(nli=checker.nli, embedder=checker.embedder, settings=replace(
        checker.settings, scoring=RAW_SCORING))
    handle = out.open("w", encoding="utf-8")

    def write(source: str, key: str, text: str, side: str, span: Any = None, contradictory: Any = None) -> None:
        for f in checker.check(text, source=f"{source}:{key}").findings:
            if max(f.contradiction_ab, f.contradiction_ba) < 0.3:
                continue
            row = _row(f, source=source, id=key, side=side, contradictory=contradictory, a_i=f.a.index,
                       b_i=f.b.index, touches=_touches(f, span) if span else None)
            handle.write(json.dumps(row) + "\n")

    articles: dict[str, str] = {}
    with gzip.open(DOCS / "frank.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["article"]
            articles.setdefault(hashlib.sha1(text.encode()).hexdigest(), text)
    keys = sorted(articles)
    for key in [k for k in keys if is_measurement_key(k)]:
        write("frank", key[:12], articles[key], "report")
    for key in [k for k in keys if not is_measurement_key(k)][:100]:
        write("frank", key[:12], articles[key], "tune")
    items = read_docs(DOCS / "contradoc_wiki_story.jsonl")
    for item in [i for i in items if i.contradictory] + [i for i in items if not i.contradictory][:160]:
        write("contradoc", item.id, item.text, _half(item.id), item.evidence_span(), item.contradictory)
    for path in sorted(Path("seeds").rglob("*.txt")):
        write("seeds", str(path), path.read_text(encoding="utf-8"), "seed")
    handle.close()


def _row(f: Any, **fields: Any) -> dict[str, Any]:
    """A scored pair as a row of the pairs file: ``fields`` (source, id, side, ...) and the finding's texts,
    scores, type and the evidence features the rules read."""
    from consistency.pairing import entity_keys
    from consistency.text.clauses import strip_attribution
    from consistency.text.words import content_words

    ta, tb = strip_attribution(f.a.text), strip_attribution(f.b.text)
    names_a, names_b = entity_keys(ta), entity_keys(tb)
    return {**fields, "a": f.a.text, "b": f.b.text, "score": f.score, "sim": f.similarity,
            "ab": f.contradiction_ab, "ba": f.contradiction_ba, "type": str(f.type), "ents_a": sorted(names_a),
            "ents_b": sorted(names_b), "shared_ents": sorted(names_a & names_b),
            "shared_words": len(content_words(ta) & content_words(tb))}


def challenge(out: Path, nli_model: str | None = None) -> None:
    """Score every pair of the news challenge set as two one-claim articles (both directions, the one scoring
    path) and write it in ``dump``'s row format: side tune = the dev half, report = the report half.
    ``nli_model``: as ``--nli-model`` (None: the built-in model)."""
    from consistency import Checker
    from consistency.scoring import score_pairs
    from consistency.types import CandidatePair, Claim

    nli = Checker(nli_model).nli
    rows = [json.loads(line) for line in Path("benchmarks/data/news_challenge.jsonl").open(encoding="utf-8")]
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            claims = [Claim(0, row["premise"], 0, len(row["premise"]), 0, article="premise"),
                      Claim(1, row["hypothesis"], 0, len(row["hypothesis"]), 0, article="hypothesis")]
            (f,) = score_pairs(claims, [CandidatePair(0, 1, 0.0)], nli, RAW_SCORING)
            contradictory = row["label"] == "contradiction"
            handle.write(json.dumps(_row(
                f, source="challenge", id=row["id"], side="tune" if row["split"] == "dev" else "report",
                contradictory=contradictory, phenomenon=row["phenomenon"], touches=contradictory)) + "\n")


def _direction_key(premise: str, hypothesis: str) -> str:
    return hashlib.sha1(f"{premise}\x00{hypothesis}".encode()).hexdigest()[:16]


def _directions_to_ask(rows: list[dict[str, Any]], gate: float) -> list[tuple[str, str]]:
    """The distinct (premise, hypothesis) directions of ``rows`` that the built-in model gives at least ``gate``."""
    asked: dict[tuple[str, str], None] = {}
    for r in rows:
        if r["ab"] >= gate:
            asked.setdefault((r["a"], r["b"]))
        if r["ba"] >= gate:
            asked.setdefault((r["b"], r["a"]))
    return list(asked)


def second(out: Path, paths: list[Path], nli_model: str | None) -> None:
    """Score with a second NLI model every direction of the pairs files that the second opinion would ask it
    about, and write ``{"key", "contradiction"}`` rows (gzip when ``out`` ends in .gz)."""
    from consistency import Checker
    from consistency.runtime.second_opinion import SECOND_OPINION_GATE

    asked = _directions_to_ask(_read_rows(paths, retype=False), SECOND_OPINION_GATE)
    scores = Checker(nli_model or "accurate").nli.predict(asked)
    opener: Any = gzip.open if out.suffix == ".gz" else open
    with opener(out, "wt", encoding="utf-8") as handle:
        for (premise, hypothesis), score in zip(asked, scores, strict=True):
            handle.write(json.dumps({"key": _direction_key(premise, hypothesis),
                                     "contradiction": round(score.contradiction, 5)}) + "\n")


def _second_opinion(weight: float, second_scores: dict[str, float]) -> Rule:
    """The shipped rules on the blend of the built-in model and a second model (``second_scores`` by direction
    key), as :class:`consistency.runtime.second_opinion.SecondOpinionNLI` blends them: only the directions that
    reach the gate, contradiction ``(1 - weight) * first + weight * second``."""
    from consistency.runtime.second_opinion import SECOND_OPINION_GATE, blend
    from consistency.types import NLIScores

    shipped = _larger_direction_if({"numeric"}, 3)

    def blended(first: float, premise: str, hypothesis: str) -> float:
        if first < SECOND_OPINION_GATE:
            return first
        second = second_scores[_direction_key(premise, hypothesis)]
        return blend(NLIScores(0.0, 1.0 - first, first), NLIScores(0.0, 1.0 - second, second), weight).contradiction

    def rule(r: dict[str, Any]) -> float:
        ab, ba = blended(r["ab"], r["a"], r["b"]), blended(r["ba"], r["b"], r["a"])
        return shipped({**r, "ab": ab, "ba": ba, "score": (ab + ba) / 2 * _hedge(r)})
    return rule


def _hedge(r: dict[str, Any]) -> float:
    """The hedge discount the row's score carries (its score over the plain mean of its directions), so that a
    rule that recombines the directions keeps it."""
    mean = (r["ab"] + r["ba"]) / 2
    return r["score"] / mean if mean else 1.0


def _grounded(r: dict[str, Any]) -> bool:
    return r["shared_words"] >= 1 or bool(r["shared_ents"])


def _different_years(r: dict[str, Any]) -> bool:
    """Each claim names a year the other does not: perhaps a change over time ("formed in 1865" / "re-formed
    in 1874"), not a conflict."""
    years_a, years_b = years(r["a"]), years(r["b"])
    return bool(years_a - years_b and years_b - years_a)


def _shipped(r: dict[str, Any]) -> float:
    return 1.0 if r["type"] in TYPED or _grounded(r) else 0.8


def _larger_direction_if(types: set[str], slot_width: int | None = None) -> Rule:
    """The shipped rule, and for a finding of these types the larger direction instead of the mean: an
    explicit conflict (two different amounts) is evidence enough that one direction is not mere wording.
    ``slot_width``: only where the two amounts share a content word within that many words of them
    (:func:`consistency.text.quantities.same_slot`)."""
    from consistency.text.clauses import strip_attribution
    from consistency.text.quantities import same_slot

    def rule(r: dict[str, Any]) -> float:
        if r["type"] not in types or (slot_width is not None and not same_slot(
                strip_attribution(r["a"]), strip_attribution(r["b"]), slot_width)):
            return r["score"] * _shipped(r)
        return max(r["ab"], r["ba"]) * _hedge(r)
    return rule


def _negation_overlap_below(threshold: float, factor: float) -> Rule:
    """The shipped rules, and a negation finding whose claims share less than ``threshold`` of their content
    words (Jaccard) discounted by ``factor``: "there isn't anything to compare to American Pie" against
    "American Pie is one of the greatest songs" is a negation cue beside a topic, not "X" against "not X"."""
    from consistency.text.clauses import strip_attribution
    from consistency.text.words import content_words

    shipped = _larger_direction_if({"numeric"}, 3)

    def rule(r: dict[str, Any]) -> float:
        words_a = content_words(strip_attribution(r["a"]))
        words_b = content_words(strip_attribution(r["b"]))
        overlap = len(words_a & words_b) / max(1, len(words_a | words_b))
        return shipped(r) * (factor if r["type"] == "negation" and overlap < threshold else 1.0)
    return rule


def _one_sided_place(r: dict[str, Any]) -> bool:
    """Only one claim names a place (an "other" finding that was typed "location" before 2026-12-05, afternoon:
    "the claims place it differently")."""
    from consistency.scoring import _places
    from consistency.text.clauses import strip_attribution

    return r["type"] == "other" and bool(_places(strip_attribution(r["a"]))) != bool(
        _places(strip_attribution(r["b"])))


def _one_sided_place_typed(r: dict[str, Any]) -> float:
    """The shipped rules as they were when a place in one claim only was typed evidence (exempt from the
    grounding discount)."""
    shipped = _larger_direction_if({"numeric"}, 3)(r)
    return r["score"] if _one_sided_place(r) and not _grounded(r) else shipped


def _ungrounded_dates(factor: float, years_only: bool, numbers: bool = False) -> Rule:
    """The shipped rules, and a date conflict (or only a year conflict) whose claims share no content word or
    name discounted like any ungrounded finding: "She changed her name in 2012" / "His final album was released
    in 2007" (an OSINT analyst's multi-event corpus, 2026-12-05)."""
    shipped = _larger_direction_if({"numeric"}, 3)

    def rule(r: dict[str, Any]) -> float:
        dated = (r["type"] == "date" and (not years_only or _different_years(r))) or (
            numbers and r["type"] == "numeric")
        return shipped(r) * (factor if dated and not _grounded(r) else 1.0)
    return rule


def shipped_rule() -> Rule:
    """The rules the checker ships (2026-12-05, late): numeric conflicts in the same slot (3 words; slot words
    without direction and unit words) count the larger direction, a finding whose claims share no content word or
    name is discounted x0.8 unless it is a place conflict, and a claim that nobody was hurt against a claim that
    speaks of no harm x0.5 (no pair of these files at 0.3 or more has that shape), and different days or months
    or one day's two parts with opposite words x0.5, a change over time (no pair of these files has that
    shape)."""
    from consistency import scoring
    from consistency.text.clauses import strip_attribution

    grounded = _ungrounded_dates(0.8, False, numbers=True)

    def rule(r: dict[str, Any]) -> float:
        a, b = strip_attribution(r["a"]), strip_attribution(r["b"])
        casualty = scoring.casualty_gap(a, b)
        changed = scoring.time_change(a, b, *scoring.classify_type(a, b))
        return (grounded(r) * (scoring.CASUALTY_DISCOUNT if casualty else 1.0)
                * (scoring.TIME_CHANGE_DISCOUNT if changed else 1.0))
    return rule


def _hedged_now(r: dict[str, Any]) -> float:
    """The shipped rules with the hedge discount as the checker finds hedges now (the pairs file's scores carry
    the hedges of their day): "I don't think ...", "is believed to ...", "probably" (2026-12-05, evening)."""
    from consistency.scoring import HEDGE_DISCOUNT
    from consistency.text.segment import is_hedged

    mean = (r["ab"] + r["ba"]) / 2
    factor = HEDGE_DISCOUNT if is_hedged(r["a"]) or is_hedged(r["b"]) else 1.0
    return shipped_rule()({**r, "score": mean * factor})


# Each rule gives a pair's score under it (``score`` is the plain mean of the two directions).
RULES: list[tuple[str, Rule]] = [
    ("none (before)", lambda r: r["score"]),
    ("ungrounded x0.8, typed exempt (shipped)", lambda r: r["score"] * _shipped(r)),
    ("ungrounded x0.6, typed exempt", lambda r: r["score"] * (1.0 if r["type"] in TYPED or _grounded(r) else 0.6)),
    ("ungrounded x0.6, typed not exempt", lambda r: r["score"] * (1.0 if _grounded(r) else 0.6)),
    ("different named entities x0.6",
     lambda r: r["score"] * (0.6 if r["ents_a"] and r["ents_b"] and not r["shared_ents"] else 1.0)),
    ("similarity < 0.4 x0.6", lambda r: r["score"] * (0.6 if r["sim"] < 0.4 else 1.0)),
    ("similarity < 0.5 x0.6, typed exempt",
     lambda r: r["score"] * (0.6 if r["sim"] < 0.5 and r["type"] not in TYPED else 1.0)),
    ("< 2 shared content words x0.6, typed exempt",
     lambda r: r["score"] * (0.6 if r["shared_words"] < 2 and r["type"] not in TYPED else 1.0)),
    ("shipped, and different years x0.8",
     lambda r: r["score"] * _shipped(r) * (0.8 if _different_years(r) else 1.0)),
    ("shipped, and different years x0.6",
     lambda r: r["score"] * _shipped(r) * (0.6 if _different_years(r) else 1.0)),
    ("shipped, and numeric conflicts: larger direction", _larger_direction_if({"numeric"})),
    ("shipped, and numeric conflicts in the same slot (1 word): larger direction",
     _larger_direction_if({"numeric"}, 1)),
    ("shipped, and numeric conflicts in the same slot (2 words): larger direction",
     _larger_direction_if({"numeric"}, 2)),
    ("shipped, and numeric conflicts in the same slot (3 words): larger direction",
     _larger_direction_if({"numeric"}, 3)),
    ("shipped, and numeric conflicts in the same slot (5 words): larger direction",
     _larger_direction_if({"numeric"}, 5)),
    ("the same slot (3 words, shipped), and negation with content-word overlap < 0.1: x0.8",
     _negation_overlap_below(0.1, 0.8)),
    ("the same slot (3 words, shipped), and negation with content-word overlap < 0.2: x0.6",
     _negation_overlap_below(0.2, 0.6)),
    ("shipped, and numeric or date conflicts: larger direction", _larger_direction_if({"numeric", "date"})),
    ("shipped, and typed conflicts: larger direction", _larger_direction_if(TYPED)),
    ("the same slot (3 words, shipped), and a place in one claim only typed evidence (before)",
     _one_sided_place_typed),
    ("the same slot (3 words), and ungrounded year conflicts x0.8", _ungrounded_dates(0.8, True)),
    ("the same slot (3 words), and ungrounded year conflicts x0.6", _ungrounded_dates(0.6, True)),
    ("the same slot (3 words), and ungrounded date conflicts x0.8", _ungrounded_dates(0.8, False)),
    ("the same slot (3 words), and ungrounded date and number conflicts x0.8 (shipped 2026-12-05 evening)",
     shipped_rule()),
    ("the same, and hedges as found now: beliefs ('I don't think'), 'is believed / thought to', 'probably', "
     "'seems to'", _hedged_now),
    ("the same slot (3 words), and ungrounded date and number conflicts x0.6",
     _ungrounded_dates(0.6, False, numbers=True)),
]


SECOND_OPINION_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)


def _retype(row: dict[str, Any]) -> dict[str, Any]:
    """The row's finding type as the checker types it now (the pairs file may predate a typing change)."""
    from consistency.scoring import classify_type
    from consistency.text.clauses import strip_attribution

    kind, _ = classify_type(strip_attribution(row["a"]), strip_attribution(row["b"]))
    return {**row, "type": str(kind)}


def _read_rows(paths: list[Path], retype: bool = True) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        opener: Any = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            rows += [_retype(json.loads(line)) if retype else json.loads(line) for line in lines]
    return rows


def table(paths: list[Path], second_path: Path | None = None) -> None:
    rows = _read_rows(paths)
    rules = list(RULES)
    if second_path is not None:
        second_scores = {row["key"]: row["contradiction"] for row in _read_rows([second_path], retype=False)}
        rules += [(f"the same slot (3 words, shipped), with a second opinion blended at weight {weight:g}",
                   _second_opinion(weight, second_scores)) for weight in SECOND_OPINION_WEIGHTS]
    directions = all("ab" in row for row in rows)
    docs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        docs[(row["source"], row["id"])].append(row)
    print("| rule | clean FRANK flagged, report / tune | clean ContraDoc flagged, report / tune | "
          "contradictory ContraDoc flagged, report / tune | planted found, report / tune | "
          "challenge contradictions found, report / tune | challenge others flagged, report / tune | "
          "sample finding first |")
    print("|---|---|---|---|---|---|---|---|")
    for name, rule in rules:
        if ("direction" in name or "second opinion" in name) and not directions:
            continue  # the pairs file has no per-direction scores
        count: dict[tuple[str, str, Any, str], int] = defaultdict(int)
        for (source, _), pairs in docs.items():
            side, contradictory = pairs[0]["side"], pairs[0].get("contradictory")
            count[(source, side, contradictory, "flag")] += any(rule(r) >= THRESHOLD for r in pairs)
            count[(source, side, contradictory, "hit")] += any(
                rule(r) >= THRESHOLD and r.get("touches") for r in pairs)
        sample = sorted((r for (source, key), pairs in docs.items() if "prigozhin_2023" in key for r in pairs),
                        key=lambda r: -rule(r))
        first = bool(sample) and is_the_tension(sample[0]["a"], sample[0]["b"]) and rule(sample[0]) >= THRESHOLD

        def pair(source: str, contradictory: Any, what: str = "flag") -> str:
            return (f"{count[(source, 'report', contradictory, what)]} / "
                    f"{count[(source, 'tune', contradictory, what)]}")

        print(f"| {name} | {pair('frank', None)} | {pair('contradoc', False)} | {pair('contradoc', True)} | "
              f"{pair('contradoc', True, 'hit')} | {pair('challenge', True)} | {pair('challenge', False)} | "
              f"{'yes' if first else 'no'} |")


SCORE_BANDS = ((0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0))


def band_counts(rows: list[dict[str, Any]], side: str = "report") -> list[dict[str, Any]]:
    """What a finding's score means on real text: per score band (the shipped rules' score), on the ``side``
    half, the findings on clean FRANK articles and clean ContraDoc documents, the findings on contradictory
    ContraDoc documents and how many of them are the planted contradiction, and the challenge pairs flagged
    with how many are contradictions."""
    shipped = shipped_rule()
    out = []
    for low, high in SCORE_BANDS:
        band = [r for r in rows if r["side"] == side and low <= shipped(r) < high + (high == 1.0)]

        def count(source: str, contradictory: Any, touching: bool = False) -> int:
            return sum(r["source"] == source and r.get("contradictory") == contradictory
                       and (r.get("touches") or not touching) for r in band)

        out.append({"band": f"{low:.0%}-{high:.0%}", "clean_frank": count("frank", None),
                    "clean_contradoc": count("contradoc", False), "contradictory_contradoc": count("contradoc", True),
                    "planted": count("contradoc", True, True), "challenge_contradictions": count("challenge", True),
                    "challenge_others": count("challenge", False)})
    return out


def bands(paths: list[Path]) -> None:
    """Print :func:`band_counts` for the report half as the table of README.md, "Reading a score"."""
    rows = _read_rows(paths)
    print("| score | findings on 45 clean news articles | on clean ContraDoc documents | on contradictory ContraDoc "
          "documents: the planted contradiction | challenge pairs flagged: contradictions |")
    print("|---|---|---|---|---|")
    for b in band_counts(rows):
        contradoc, challenge = b["contradictory_contradoc"], b["challenge_contradictions"] + b["challenge_others"]
        print(f"| {b['band']} | {b['clean_frank']} | {b['clean_contradoc']} | {b['planted']} of {contradoc} "
              f"({b['planted'] / max(contradoc, 1):.0%}) | {b['challenge_contradictions']} of {challenge} "
              f"({b['challenge_contradictions'] / max(challenge, 1):.0%}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("dump", "challenge", "second", "table", "bands"))
    parser.add_argument("pairs", type=Path, nargs="+",
                        help="the JSONL of scored pairs (written by dump or challenge; table reads several; second: "
                             "the output file, then the pairs files)")
    parser.add_argument("--nli-model", default=None,
                        help="challenge and second: the NLI model, as for --nli-model (second: default accurate)")
    parser.add_argument("--second", type=Path, default=None,
                        help="table only: a second model's scores (written by second) to blend in by weight")
    args = parser.parse_args()
    if args.command == "table":
        table(args.pairs, args.second)
    elif args.command == "bands":
        bands(args.pairs)
    elif args.command == "second":
        second(args.pairs[0], args.pairs[1:], args.nli_model)
    elif args.command == "challenge":
        challenge(args.pairs[0], args.nli_model)
    else:
        dump(args.pairs[0])


if __name__ == "__main__":
    main()
