"""Copy an exported NLI model (a ``train_nli.py`` output folder) into the optional accurate-model package
``models/consistency-nli-accurate`` as fp16 safetensors shards under 100 MB each, with its tokenizer and
training summary. The model card (the package's ``README.md``) is written by hand.

Usage::

    python -m models.package_accurate models/work/teacher-mpnet-r1b
    pip install ./models/consistency-nli-accurate        # then: consistency check --nli-model accurate ...
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent / "consistency-nli-accurate" / "consistency_nli_accurate"
MAX_SHARD = "80MB"  # shards stay under 100 MB each (the repository's file limit)
_KEEP = ("__init__.py", "README.md", "eval_results.json")  # written by hand and by the evaluation


def package(source: Path, target: Path = PACKAGE_DIR, max_shard: str = MAX_SHARD) -> list[Path]:
    """Write ``source``'s model into ``target`` (old weight and tokenizer files removed, the package's
    ``__init__.py`` and model card kept) and return the files written."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if not (source / "config.json").is_file():
        raise SystemExit(f"error: {source} is not an exported model folder (no config.json); "
                         "pass the output_dir of a train_nli.py run")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        if old.is_file() and old.name not in _KEEP:
            old.unlink()
    model = AutoModelForSequenceClassification.from_pretrained(source, dtype=torch.float16)
    model.save_pretrained(target, safe_serialization=True, max_shard_size=max_shard)
    AutoTokenizer.from_pretrained(source).save_pretrained(target)
    summary = source / "training_summary.json"
    if summary.is_file():
        shutil.copy2(summary, target / summary.name)
    return sorted(p for p in target.iterdir() if p.is_file() and p.name not in _KEEP)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the exported model folder (e.g. models/work/teacher-mpnet-r1b)")
    parser.add_argument("--target", type=Path, default=PACKAGE_DIR)
    parser.add_argument("--max-shard", default=MAX_SHARD)
    args = parser.parse_args()
    for path in package(args.source, args.target, args.max_shard):
        print(f"{path.stat().st_size / 1e6:8.1f} MB  {path}")


if __name__ == "__main__":
    main()
