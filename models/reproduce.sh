#!/usr/bin/env bash
# Reproduce the shipped NLI model (models/consistency-nli-minilm-l6) with one command, from the repository
# root after the README's install command, with ../shared/data beside the checkout:
#
#   bash models/reproduce.sh                 # CPU or CUDA, picked automatically
#   bash models/reproduce.sh --device cuda   # extra arguments go to every train_nli.py / average_nli.py run
#
# Six training passes run in order, each from the previous one's output in models/work/ (the phase configs
# name their start model and output folder; tests/test_training_recipe.py checks that the chain holds and
# that no pass writes or starts from the shipped folder), then the shipped model is the weight average of the
# last two (models.average_nli): only that last step replaces models/consistency-nli-minilm-l6. Each pass checkpoints
# every 200 steps into its own models/checkpoints*/ folder and resumes from there when the script is run
# again; delete those folders to start over. About 3.5 h on a 2-core CPU with AMX bf16 (set bf16_autocast
# to false in the configs on a CPU without bf16 hardware, where fp32 runs ~2.5x slower, and to true in the
# fp32 ones on a GPU or an AMX CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

PHASES=(
  models/nli-train.toml
  models/nli-train-phase2.toml
  models/nli-train-phase3.toml
  models/nli-train-phase4.toml
  models/nli-train-phase5.toml
  models/nli-train-phase6a.toml
)

# The FactCC-style synthetic news pairs that phases 2-6 train on (version 1 of the rules; and evaluate on, the
# measurement-side articles).
"$PYTHON" -m models.make_synthetic --version 1 --frank ../shared/data/docs/frank.jsonl.gz --out models/work

for config in "${PHASES[@]}"; do
  echo "== $config" >&2
  "$PYTHON" -m models.train_nli --config "$config" "$@"
done

# Phase 6, the shipped model: the average of the phase-5 model and the pass that reads pairs both ways.
echo "== models/nli-average-phase6.toml" >&2
"$PYTHON" -m models.average_nli --config models/nli-average-phase6.toml "$@"
