"""Ablation of the checker's scoring choices: claim views on/off x direction rule mean/max/min.

Two parts, both with the same NLI model (default: the built-in one):

* pairs: contradiction precision / recall / F1 at 0.5 and ROC-AUC on labelled NLI pairs (a fixed
  random sample of each file), scoring each pair in both directions and combining them by the rule;
* docs: the docs suite (ContraDoc, balanced ``--limit``) with each of the six variants; the NLI
  calls are cached across variants (views off is a subset of views on), so the six cost about one run.

    python benchmarks/ablation_scoring.py --limit 60 --pairs 600 --save

Prints a table and, with ``--save``, writes benchmarks/results/ablation-<date>-cpu[-<tag>].json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from consistency import Checker
from consistency.eval.docs_suite import evaluate_docs, read_docs, score_docs
from consistency.eval.frame import data_entry, machine_info, now_utc, render_table
from consistency.eval.metrics import roc_auc
from consistency.runtime.nli import NLIBackend
from consistency.runtime.spec import ModelSpec
from consistency.scoring import DIRECTION_RULES, ScoringSettings
from consistency.types import NLIScores

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
PAIR_FILES = ("nli/eval/snli_test.jsonl", "nli/eval/mnli_dev.jsonl", "nli/eval/sick_test.jsonl")
SYNTHETIC = ROOT / "models" / "work" / "synthetic_news_dev.jsonl"
RULES: dict[str, Callable[[float, float], float]] = {"mean": lambda a, b: (a + b) / 2, "max": max, "min": min,
                                                     "forward": lambda a, b: a}


class CachedNLI(NLIBackend):
    """Wraps an NLI backend; every distinct (premise, hypothesis) is classified once. It declares what the
    wrapped backend is (name, key, device, dtype, window), so that the saved record names the model that scored."""

    def __init__(self, backend: NLIBackend) -> None:
        self.backend = backend
        self.name, self.device, self.dtype = backend.name, backend.device, backend.dtype
        self.max_length, self.batch_size = backend.max_length, backend.batch_size
        self.cache: dict[tuple[str, str], NLIScores] = {}

    @property
    def key(self) -> str:
        return self.backend.key

    def _predict_batch(self, payloads: Sequence[Any]) -> list[tuple[float, float, float]]:
        raise NotImplementedError  # predict() is overridden: the wrapped backend batches

    def predict(self, pairs: Sequence[tuple[str, str]], progress: Any = None) -> list[NLIScores]:
        todo = list(dict.fromkeys(p for p in pairs if p not in self.cache))
        if todo:
            self.cache.update(zip(todo, self.backend.predict(todo), strict=True))
        return [self.cache[p] for p in pairs]

    def count_pieces(self, pairs: Sequence[tuple[str, str]]) -> int:
        return len(pairs)


def pair_part(nli: Any, files: Sequence[Path], n: int) -> list[dict[str, Any]]:
    rows_out = []
    for path in files:
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        rows = [r for r in rows if r.get("label") in ("entailment", "neutral", "contradiction")]
        random.Random(0).shuffle(rows)
        rows = rows[:n]
        pairs = [(r["premise"], r["hypothesis"]) for r in rows]
        forward = nli.predict(pairs)
        backward = nli.predict([(h, p) for p, h in pairs])
        labels = [r["label"] == "contradiction" for r in rows]
        for rule, combine in RULES.items():
            scores = [combine(f.contradiction, b.contradiction) for f, b in zip(forward, backward, strict=True)]
            tp = sum(s >= 0.5 and y for s, y in zip(scores, labels, strict=True))
            fp = sum(s >= 0.5 and not y for s, y in zip(scores, labels, strict=True))
            fn = sum(s < 0.5 and y for s, y in zip(scores, labels, strict=True))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            rows_out.append({"file": path.name, "n": len(rows), "rule": rule, "precision": round(precision, 4),
                             "recall": round(recall, 4), "f1": round(f1, 4),
                             "roc_auc": round(roc_auc(labels, scores) or 0.0, 4)})
    return rows_out


def docs_part(checker: Checker, path: Path, limit: int) -> list[dict[str, Any]]:
    items = read_docs(path, limit)
    out = []
    for views in (True, False):
        for rule in DIRECTION_RULES:
            scoring = ScoringSettings(views=views, direction_rule=rule)
            variant = Checker(nli=checker.nli, embedder=checker.embedder,
                              settings=replace(checker.settings, scoring=scoring))
            metrics = evaluate_docs(score_docs(variant, items), 0.5)
            out.append({"views": views, "rule": rule, **{k: metrics[k] for k in (
                "n", "balanced_accuracy", "roc_auc", "false_positive_rate", "true_positive_rate",
                "evidence_hit_rate", "evidence_top1_rate")}})
            print(out[-1], file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None, nli: NLIBackend | None = None, embedder: Any = None) -> int:
    """The command; ``nli`` / ``embedder``: backends to use instead of the models (the smoke test's fakes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nli-model", default=None)
    parser.add_argument("--dtype", default=None, help="NLI dtype, e.g. bfloat16 on an AMX CPU")
    parser.add_argument("--limit", type=int, default=60, help="ContraDoc documents (balanced)")
    parser.add_argument("--pairs", type=int, default=600, help="pairs per NLI file")
    parser.add_argument("--docs", type=Path, default=DATA / "docs" / "contradoc_wiki_story.jsonl")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder (the NLI pair files)")
    parser.add_argument("--synthetic", type=Path, default=SYNTHETIC,
                        help="the synthetic news dev pairs, read when the file exists (models.make_synthetic)")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--save", action="store_true")
    parser.add_argument("--tag", default="", help="suffix of the saved file's name, e.g. the model's phase")
    args = parser.parse_args(argv)

    cached = CachedNLI(nli or ModelSpec(args.nli_model, dtype=args.dtype).load_nli())
    checker = Checker(args.nli_model, dtype=args.dtype, nli=cached, embedder=embedder)
    files = [args.data / f for f in PAIR_FILES] + ([args.synthetic] if args.synthetic.is_file() else [])
    pairs = pair_part(cached, [f for f in files if f.is_file()], args.pairs)
    docs = docs_part(checker, args.docs, args.limit)

    lines = ["pairs: contradiction at 0.5, both directions combined by the rule"]
    lines += render_table(["file", "n", "rule", "precision", "recall", "F1", "ROC-AUC"],
                          [[r["file"], str(r["n"]), r["rule"], f"{r['precision']:.3f}", f"{r['recall']:.3f}",
                            f"{r['f1']:.3f}", f"{r['roc_auc']:.3f}"] for r in pairs])
    lines += ["", f"docs: {args.docs.name}, {docs[0]['n']} documents, threshold 0.5"]
    lines += render_table(["views", "rule", "bal. acc.", "ROC-AUC", "FPR clean", "TPR", "evidence hit", "top-1"],
                          [["on" if d["views"] else "off", d["rule"], f"{d['balanced_accuracy']:.3f}",
                            f"{d['roc_auc']:.3f}", f"{d['false_positive_rate']:.3f}",
                            f"{d['true_positive_rate']:.3f}", f"{d['evidence_hit_rate'] or 0:.3f}",
                            f"{d['evidence_top1_rate'] or 0:.3f}"] for d in docs])
    print("\n".join(lines))
    if args.save:
        created = now_utc()
        record = {"suite": "ablation-scoring", "created": created, "machine": machine_info("cpu"),
                  "models": checker.model_names(), "dtype": checker.model_names().get("nli_dtype"),
                  "data": [data_entry(args.docs, docs[0]["n"])], "pairs_per_file": args.pairs, "tag": args.tag,
                  "pairs": pairs, "docs": docs}
        suffix = f"-{args.tag}" if args.tag else ""
        out = args.results_dir / f"ablation-{created[:10]}-cpu{suffix}.json"
        out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"saved {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
