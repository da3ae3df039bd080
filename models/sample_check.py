"""The product's acceptance check for an NLI model: does the checker, with this model, put the sample article's
real tension first? (Lukashenko's "As for Prigozhin, he's in St Petersburg" against the exile in Belarus, in
``seeds/prigozhin_2023-07-10.txt``.) Every model that would replace the built-in one must pass it; the
teacher round 1b and every student taught by it did not (models/README.md, 2026-12-04 night).

The article has 17 claims, so the checker scores every pair whatever the embedder: a bag-of-words stand-in
replaces the sentence embedder, and the check runs where only the NLI model is at hand (a lent GPU).

    python -m models.sample_check MODEL_DIR [--device cpu] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parent.parent / "seeds" / "prigozhin_2023-07-10.txt"


def is_the_tension(a: str, b: str) -> bool:
    """Whether a pair of claims is the sample's real tension: St Petersburg against the exile in Belarus."""
    return any("St Petersburg" in x and "exile in Belarus" in y for x, y in ((a, b), (b, a)))


def sample_check(model: str, device: str = "cpu", dtype: str | None = None) -> dict[str, Any]:
    """The checker's findings and near misses on the sample with ``model``: whether the tension is the first
    finding, its score, and the top three pairs."""
    from consistency import Checker
    from consistency.runtime.nli import TransformersNLI
    from consistency.testing import FakeEmbedder

    checker = Checker(nli=TransformersNLI(model, device=device, dtype=dtype), embedder=FakeEmbedder(record=False))
    report = checker.check(SAMPLE.read_text(encoding="utf-8"), source=str(SAMPLE))
    ranked = sorted([*report.findings, *report.near_misses], key=lambda f: -f.score)
    tension = next((f for f in ranked if is_the_tension(f.a.text, f.b.text)), None)
    first = bool(report.findings) and is_the_tension(report.findings[0].a.text, report.findings[0].b.text)
    return {
        "model": model,
        "tension_first": first,
        "tension_score": None if tension is None else round(tension.score, 4),
        "threshold": report.threshold,
        "top": [{"score": round(f.score, 4), "a": f.a.text, "b": f.b.text} for f in ranked[:3]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="an NLI model directory or id")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default=None)
    parser.add_argument("--out", type=Path, help="also write the result as JSON here")
    args = parser.parse_args()
    result = sample_check(args.model, args.device, args.dtype)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
