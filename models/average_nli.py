"""Average the weights of fine-tuned NLI models of one architecture into one model (a "model soup").

Two fine-tunes of the same start model sit in one basin of the loss, so their weighted mean is itself a
good model, often better than either (Wortsman et al., 2022, "Model soups"). The built-in model's last
phase (6) averages the phase-5 model (best forward accuracy) with phase 6a, trained to read pairs both
ways (best ranking in the checker); see the model card. The averaged model's temperature is fitted again
on the held-out split of the training config named by ``average.heldout_config`` (one that every averaged
pass held out), then it is exported as ``train_nli.py`` exports (fp16 safetensors, id2label, the training
length as the checker's window) and evaluated on the files of the averaging config's ``[eval]`` (as a
training config's), else on those of the held-out config.

Usage::

    python -m models.average_nli --config models/nli-average-phase6.toml
    python -m models.average_nli --config models/nli-average-phase6.toml --sweep 1,0.75,0.5,0.25,0
    python -m models.average_nli --config CONFIG_WITH_THREE_MODELS --sweep 1:1:0,1:1:1,2:1:1
"""

from __future__ import annotations

import argparse
import logging
import sys
import tomllib
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from models.recipe_config import load_config
from models.train_nli import (
    accuracy,
    calibrate,
    evaluate_exported,
    export_calibrated,
    predict_logits,
    read_config_pool,
    select_training_pairs,
)

logger = logging.getLogger("average_nli")


def average_state_dicts(states: list[dict[str, torch.Tensor]], weights: list[float]) -> dict[str, torch.Tensor]:
    """The weighted mean of state dicts with the same keys and shapes, in float32 (weights are normalised).

    Non-float tensors (position ids, counters) must be equal in all models and are taken from the first."""
    if not states or len(states) != len(weights):
        raise ValueError(f"need one weight per model, got {len(states)} models and {len(weights)} weights")
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError(f"weights must be non-negative with a positive sum, got {weights}")
    keys = set(states[0])
    for i, state in enumerate(states[1:], start=1):
        if set(state) != keys:
            raise ValueError(f"model {i} has other parameters than model 0 ({sorted(keys ^ set(state))[:3]}): "
                             "only fine-tunes of one architecture can be averaged")
    total = float(sum(weights))
    out: dict[str, torch.Tensor] = {}
    for key, first in states[0].items():
        if any(state[key].shape != first.shape for state in states):
            raise ValueError(f"parameter {key} differs in shape between the models")
        if first.is_floating_point():
            out[key] = sum((w / total) * state[key].float() for w, state in zip(weights, states, strict=True))  # type: ignore[assignment]
        else:
            if any(not torch.equal(state[key], first) for state in states):
                raise ValueError(f"non-float parameter {key} differs between the models")
            out[key] = first.clone()
    return out


def parse_sweep(text: str, n_models: int) -> list[tuple[str, list[float]]]:
    """``--sweep``'s weightings as (printed label, one weight per model). An item is either the weight in
    [0, 1] of the first of two models (the second gets the rest) or ``n_models`` weights joined by ':'."""
    out: list[tuple[str, list[float]]] = []
    for item in text.split(","):
        try:
            parts = [float(w) for w in item.split(":")]
        except ValueError:
            parts = []
        if len(parts) == 1 and n_models == 2 and 0.0 <= parts[0] <= 1.0:
            out.append((f"weight of the first model: {parts[0]:.2f}", [parts[0], 1.0 - parts[0]]))
        elif len(parts) == n_models > 1 and all(w >= 0 for w in parts) and sum(parts) > 0:
            total = sum(parts)
            out.append(("weights " + ":".join(f"{w / total:.2f}" for w in parts), parts))
        else:
            raise SystemExit(f"error: --sweep item '{item}' is not a weighting of {n_models} models; give the first "
                             "of two models' weight in [0, 1] (0.75) or one non-negative weight per model joined "
                             "by ':' (1:1:1)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("models/nli-average-phase6.toml"))
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--sweep", default=None, metavar="W,W,...",
                        help="print the held-out accuracy of each weighting and write nothing: a weight of the "
                             "first of two models (1,0.75,0.5,0.25,0) or one weight per model joined by ':' "
                             "(1:1:1,2:1:1)")
    # train_nli.py's options, accepted and ignored: reproduce.sh passes its arguments to every step
    parser.add_argument("--max-steps", type=int, default=None, help="ignored (nothing is trained here)")
    parser.add_argument("--export-only", action="store_true", help="ignored (nothing is trained here)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    config = tomllib.loads(args.config.read_text())
    acfg = config["average"]
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    sources = [str(m) for m in acfg["models"]]
    weights = [float(w) for w in acfg["weights"]]
    models = [AutoModelForSequenceClassification.from_pretrained(m, dtype=torch.float32) for m in sources]
    sweep = parse_sweep(args.sweep, len(models)) if args.sweep is not None else []
    labels = {tuple(sorted(m.config.id2label.items())) for m in models}
    if len(labels) != 1:
        raise SystemExit(f"error: the models' labels differ ({labels}); average models of one label set")
    tokenizer = AutoTokenizer.from_pretrained(sources[0])
    heldout_cfg, _ = load_config(Path(acfg["heldout_config"]))
    dcfg = heldout_cfg["data"]
    _, heldout = select_training_pairs(read_config_pool(dcfg), dcfg, int(heldout_cfg["train"]["seed"]))
    max_length = int(dcfg["max_length"])

    states = [{k: v.clone() for k, v in m.state_dict().items()} for m in models]  # loading below overwrites
    model = models[0]
    if sweep:
        for label, sweep_weights in sweep:
            model.load_state_dict(average_state_dicts(states, sweep_weights))
            model.to(device).eval()
            logits = predict_logits(model, tokenizer, heldout, max_length, device, False)
            print(f"{label}  held-out accuracy {accuracy(logits, heldout):.4f} ({len(heldout)} pairs)")
        return 0
    model.load_state_dict(average_state_dicts(states, weights))
    model.to(device).eval()
    logger.info("averaged %s with weights %s", sources, weights)
    calibration = calibrate(model, tokenizer, heldout, max_length, device, False)
    output_dir = Path(acfg["output_dir"])
    export_calibrated(model, tokenizer, output_dir, max_length, calibration,
                      {"averaged": sources, "weights": weights, "heldout_pairs": len(heldout)})
    if not args.skip_eval:
        # the averaging config's own [eval] if it has one, else the held-out config's; a bare name is under eval.dir
        evaluate_exported(output_dir, config.get("eval", heldout_cfg["eval"]), device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
