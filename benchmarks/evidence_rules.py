"""Evidence rules on top of the model's score, measured on clean articles and on contradictions at once.

``dump`` runs the checker (threshold 0: every scored pair) over clean FRANK articles (the 45 measurement-side
ones = report, the first 100 training-side ones = tune), ContraDoc (all contradictory documents and the first
160 clean ones; tune and report halves by the sha1 of the id) and the seeds, and writes every pair scoring at
least 0.3 with its features (type, similarity, shared content words and names, whether it touches ContraDoc's
evidence sentence). The rules are scored with the discounts switched off, so each rule is applied afresh.
``table`` applies each rule of ``RULES`` to those pairs and prints the table of benchmarks/README.md
("Evidence rules").

    python benchmarks/evidence_rules.py dump evidence-pairs.jsonl   # ~45 min on 2 CPU cores
    python benchmarks/evidence_rules.py table benchmarks/results/evidence-pairs-2026-12-04-cpu-phase6.jsonl.gz

The committed pairs file was made by an earlier form of ``dump`` (same checker, model and features; its clean
ContraDoc part was scored with the x0.6 discount on, which ``table``'s input has undone: raw = score / 0.6 for
the ungrounded pairs, all of which scored at least 0.5 raw, so none is missing at the threshold).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

DOCS = Path("../shared/data/docs")
THRESHOLD = 0.5
TYPED = {"numeric", "date", "location"}
Rule = Callable[[dict[str, Any]], float]


def _half(key: str) -> str:
    return "report" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 else "tune"


def dump(out: Path) -> None:
    from consistency import Checker
    from consistency.eval.article_split import is_measurement_key
    from consistency.eval.docs_suite import _touches, read_docs
    from consistency.eval.pipeline import scoring_checker
    from consistency.pairing import entity_keys
    from consistency.scoring import ScoringSettings
    from consistency.text.clauses import strip_attribution
    from consistency.text.words import content_words

    checker = scoring_checker(Checker())
    checker = Checker(nli=checker.nli, embedder=checker.embedder, settings=replace(
        checker.settings, scoring=ScoringSettings(grounding_discount=1.0)))
    handle = out.open("w", encoding="utf-8")

    def write(source: str, key: str, text: str, side: str, span: Any = None, contradictory: Any = None) -> None:
        for f in checker.check(text, source=f"{source}:{key}").findings:
            if f.score < 0.3:
                continue
            ta, tb = strip_attribution(f.a.text), strip_attribution(f.b.text)
            names_a, names_b = entity_keys(ta), entity_keys(tb)
            row = {"source": source, "id": key, "side": side, "contradictory": contradictory, "a": f.a.text,
                   "b": f.b.text, "a_i": f.a.index, "b_i": f.b.index, "score": f.score, "sim": f.similarity,
                   "type": str(f.type), "ents_a": sorted(names_a), "ents_b": sorted(names_b),
                   "shared_ents": sorted(names_a & names_b),
                   "shared_words": len(content_words(ta) & content_words(tb)),
                   "touches": _touches(f, span) if span else None}
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


def _grounded(r: dict[str, Any]) -> bool:
    return r["shared_words"] >= 1 or bool(r["shared_ents"])


_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def _different_years(r: dict[str, Any]) -> bool:
    """Each claim names a year the other does not: perhaps a change over time ("formed in 1865" / "re-formed
    in 1874"), not a conflict."""
    years_a, years_b = set(_YEAR.findall(r["a"])), set(_YEAR.findall(r["b"]))
    return bool(years_a - years_b and years_b - years_a)


def _shipped(r: dict[str, Any]) -> float:
    return 1.0 if r["type"] in TYPED or _grounded(r) else 0.8


RULES: list[tuple[str, Rule]] = [
    ("none (before)", lambda r: 1.0),
    ("ungrounded x0.8, typed exempt (shipped)", _shipped),
    ("ungrounded x0.6, typed exempt", lambda r: 1.0 if r["type"] in TYPED or _grounded(r) else 0.6),
    ("ungrounded x0.6, typed not exempt", lambda r: 1.0 if _grounded(r) else 0.6),
    ("different named entities x0.6",
     lambda r: 0.6 if r["ents_a"] and r["ents_b"] and not r["shared_ents"] else 1.0),
    ("similarity < 0.4 x0.6", lambda r: 0.6 if r["sim"] < 0.4 else 1.0),
    ("similarity < 0.5 x0.6, typed exempt", lambda r: 0.6 if r["sim"] < 0.5 and r["type"] not in TYPED else 1.0),
    ("< 2 shared content words x0.6, typed exempt",
     lambda r: 0.6 if r["shared_words"] < 2 and r["type"] not in TYPED else 1.0),
    ("shipped, and different years x0.8", lambda r: _shipped(r) * (0.8 if _different_years(r) else 1.0)),
    ("shipped, and different years x0.6", lambda r: _shipped(r) * (0.6 if _different_years(r) else 1.0)),
]


def table(path: Path) -> None:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    docs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        docs[(row["source"], row["id"])].append(row)
    print("| rule | clean FRANK flagged, report / tune | clean ContraDoc flagged, report / tune | "
          "contradictory ContraDoc flagged, report / tune | planted found, report / tune | sample finding first |")
    print("|---|---|---|---|---|---|")
    for name, factor in RULES:
        count: dict[tuple[str, str, Any, str], int] = defaultdict(int)
        for (source, _), pairs in docs.items():
            side, contradictory = pairs[0]["side"], pairs[0].get("contradictory")
            count[(source, side, contradictory, "flag")] += any(r["score"] * factor(r) >= THRESHOLD for r in pairs)
            count[(source, side, contradictory, "hit")] += any(
                r["score"] * factor(r) >= THRESHOLD and r.get("touches") for r in pairs)
        sample = sorted((r for (source, key), pairs in docs.items() if "prigozhin_2023" in key for r in pairs),
                        key=lambda r: -r["score"] * factor(r))
        first = bool(sample) and "Petersburg" in sample[0]["a"] + sample[0]["b"] and "exile" in (
            sample[0]["a"] + sample[0]["b"]) and sample[0]["score"] * factor(sample[0]) >= THRESHOLD

        def pair(source: str, contradictory: Any, what: str = "flag") -> str:
            return (f"{count[(source, 'report', contradictory, what)]} / "
                    f"{count[(source, 'tune', contradictory, what)]}")

        print(f"| {name} | {pair('frank', None)} | {pair('contradoc', False)} | {pair('contradoc', True)} | "
              f"{pair('contradoc', True, 'hit')} | {'yes' if first else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("dump", "table"))
    parser.add_argument("pairs", type=Path, help="the JSONL of scored pairs (written by dump, read by table)")
    args = parser.parse_args()
    dump(args.pairs) if args.command == "dump" else table(args.pairs)


if __name__ == "__main__":
    main()
