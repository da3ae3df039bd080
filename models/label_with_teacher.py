"""Label a student config's training pairs with the teacher: its logits, keyed by pair, for distillation.

The student's config (``[distill]`` section) names the teacher's soft-label file; this script makes it. It
draws the student's training pairs exactly as ``train_nli.py`` will (same pool, weights, held-out split
and seed), so every pair the student trains on has the teacher's logits, runs the teacher over them
(length-sorted batches, bf16 autocast where the config asks), and writes a compressed ``.npz``:
``keys`` (``train_nli.pair_key``: 16 hex digits of sha1 of premise and hypothesis), ``logits`` (float16,
one row per key, in ``labels`` order) and ``labels``. Pairs already in the file are not labelled again,
so an interrupted run loses at most one chunk. Commit the file: the student needs nothing else of the teacher.

Usage::

    python -m models.label_with_teacher --config models/nli-distill.toml
    python -m models.label_with_teacher --config models/nli-distill.toml --whole-pool --device cuda --batch-size 512
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from models.recipe_config import load_config
from models.train_nli import LABELS, pair_key, predict_logits, read_config_pool, training_data

logger = logging.getLogger("label_with_teacher")


def read_labelled(path: Path) -> dict[str, np.ndarray]:
    """The logits already in ``path``, by key (empty when the file is not there yet)."""
    if not path.exists():
        return {}
    with np.load(path) as data:  # each data[...] reads and decompresses the whole array again: read it once
        keys, logits = data["keys"], data["logits"]
    return {str(key): logits[i] for i, key in enumerate(keys)}


def write_labelled(path: Path, labelled: dict[str, np.ndarray]) -> None:
    """Write the soft-label file atomically, keys sorted."""
    keys = sorted(labelled)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, keys=np.array(keys), labels=np.array(LABELS),
                        logits=np.stack([labelled[k] for k in keys]).astype(np.float16))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="the student's training config ([distill])")
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--chunk", type=int, default=4096, help="pairs labelled between two saves")
    parser.add_argument("--batch-size", type=int, default=64, help="pairs per forward pass (a GPU takes 512)")
    parser.add_argument("--limit", type=int, default=None, help="label at most this many pairs (a trial run)")
    parser.add_argument("--whole-pool", action="store_true",
                        help="label every pair of the config's pool (held-out and weighed-down pairs too), so that "
                             "any student drawn from that pool later finds its soft labels")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg, _ = load_config(args.config)
    dcfg, distill, seed = cfg["data"], cfg["distill"], int(cfg["train"]["seed"])
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    train = read_config_pool(dcfg) if args.whole_pool else training_data(dcfg, seed)[0]
    out = Path(distill["teacher_logits"])
    labelled = read_labelled(out)
    keyed = {pair_key(p.premise, p.hypothesis): p for p in train}
    todo = [(key, pair) for key, pair in keyed.items() if key not in labelled][: args.limit]
    logger.info("%d pairs; %d labelled already, %d to label", len(train), len(labelled), len(todo))
    teacher = distill["teacher"]
    tokenizer = AutoTokenizer.from_pretrained(teacher)
    model = AutoModelForSequenceClassification.from_pretrained(teacher, dtype=torch.float32).to(device)
    id2label = {int(i): str(label).lower() for i, label in model.config.id2label.items()}
    if tuple(id2label[i] for i in range(len(id2label))) != LABELS:
        raise SystemExit(f"error: the teacher's labels are {id2label}; expected {LABELS} in that order")
    bf16 = bool(cfg["train"].get("bf16_autocast", False))
    max_length = int(dcfg["max_length"])
    for start in range(0, len(todo), args.chunk):
        chunk = todo[start : start + args.chunk]
        logits = predict_logits(model, tokenizer, [p for _, p in chunk], max_length, device, bf16, args.batch_size)
        labelled.update({key: logits[i].numpy() for i, (key, _) in enumerate(chunk)})
        write_labelled(out, labelled)
        logger.info("labelled %d / %d", min(start + args.chunk, len(todo)), len(todo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
