#!/usr/bin/env bash
# Reproduce the shipped NLI model (models/consistency-nli-minilm-l6) with one command, from the repository
# root after the README's install command, with ../shared/data beside the checkout:
#
#   bash models/reproduce.sh                 # CPU or CUDA, picked automatically
#   bash models/reproduce.sh --device cuda   # extra arguments go to every models/train_nli.py run
#
# Five training phases run in order, each from the previous one's output (the phase configs name their
# start model and output folder; tests/test_training_recipe.py checks that the chain holds). Each phase
# checkpoints every 200 steps into its own models/checkpoints*/ folder and resumes from there when the
# script is run again; delete those folders to start over. About 3 h on a 2-core CPU with AMX bf16
# (set bf16_autocast = false in the configs on a CPU without bf16 hardware, where fp32 runs ~2.5x slower).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

PHASES=(
  models/nli-train.toml
  models/nli-train-phase2.toml
  models/nli-train-phase3.toml
  models/nli-train-phase4.toml
  models/nli-train-phase5.toml
)

# The FactCC-style synthetic news pairs that phases 2-5 train on (and evaluate on, the held-out articles).
"$PYTHON" models/make_synthetic.py --frank ../shared/data/docs/frank.jsonl.gz --out models/work

for config in "${PHASES[@]}"; do
  echo "== $config" >&2
  "$PYTHON" models/train_nli.py --config "$config" "$@"
done
