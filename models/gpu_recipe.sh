#!/usr/bin/env bash
# The teacher and the distilled student in one command, on a machine with a CUDA GPU (under 10 minutes of an
# H100/H200 for the default configs), from the repository root after the README's install command, with
# ../shared/data beside the checkout:
#
#   bash models/gpu_recipe.sh                          # data, teacher, soft labels, student, evaluation
#
# Steps: unpack all-mpnet-base-v2; make the synthetic news pairs, the hard neutrals and the unlabelled news
# pairs (training-side articles only); fine-tune the teacher (models/nli-teacher-mpnet.toml); label the
# student's training pairs with it (models.label_with_teacher); distil the student (models/nli-distill-f.toml:
# over the checker's own NLI inputs, make_news_pairs version 2); evaluate both on the eval files and the news
# challenge set; measure speed.
# Each training step resumes from its checkpoint when the script is run again.
#
# Overrides (the CPU test runs the whole script on tiny models with them): DEVICE (cuda), TEACHER_CONFIG,
# STUDENT_CONFIG, SKIP_DATA=1 (the data files are there already), SKIP_STUDENT=1 (teacher and soft labels only:
# the student trains elsewhere), SKIP_EVAL=1, TEACHER_MINUTES (stop the teacher's training after this many
# minutes and export it), LABEL_ARGS (extra arguments of models.label_with_teacher, e.g. "--whole-pool
# --batch-size 512"), PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
TEACHER_CONFIG="${TEACHER_CONFIG:-models/nli-teacher-mpnet.toml}"
STUDENT_CONFIG="${STUDENT_CONFIG:-models/nli-distill-f.toml}"
SKIP_EVAL="${SKIP_EVAL:-0}"
SKIP_STUDENT="${SKIP_STUDENT:-0}"
read -r -a LABEL_EXTRA <<<"${LABEL_ARGS:-}"
TEACHER_LIMIT=()
[[ -n "${TEACHER_MINUTES:-}" ]] && TEACHER_LIMIT=(--max-minutes "$TEACHER_MINUTES")
step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

if [[ "${SKIP_DATA:-0}" != 1 ]]; then
  step "data"
  bash models/get_teacher_base.sh
  "$PYTHON" -m models.make_synthetic --frank ../shared/data/docs/frank.jsonl.gz --out models/work
  "$PYTHON" -m models.make_hard_neutrals --frank ../shared/data/docs/frank.jsonl.gz --out models/work
  "$PYTHON" -m models.make_news_pairs --frank ../shared/data/docs/frank.jsonl.gz --out models/work
fi
EVAL=(--skip-eval)
[[ "$SKIP_EVAL" != 1 ]] && EVAL=()
challenge() {  # the news challenge set, both halves, for the model a config exports
  [[ "$SKIP_EVAL" == 1 ]] && return 0
  local out
  out="$("$PYTHON" -c 'import sys; from pathlib import Path; from models.recipe_config import load_config
print(load_config(Path(sys.argv[1]))[0]["model"]["output_dir"])' "$1")"
  for half in dev report; do
    "$PYTHON" -m consistency bench nli benchmarks/data/news_challenge.jsonl --split "$half" --nli-model "$out" \
      --device "$DEVICE" --json > "$out/challenge_$half.json"
  done
  # The product's acceptance check: the sample article's tension first (models/sample_check.py).
  "$PYTHON" -m models.sample_check "$out" --device "$DEVICE" --out "$out/sample_check.json" > /dev/null
}
step "teacher: $TEACHER_CONFIG"
"$PYTHON" -m models.train_nli --config "$TEACHER_CONFIG" --device "$DEVICE" "${EVAL[@]}" "${TEACHER_LIMIT[@]}"
challenge "$TEACHER_CONFIG"
step "soft labels: $STUDENT_CONFIG"
"$PYTHON" -m models.label_with_teacher --config "$STUDENT_CONFIG" --device "$DEVICE" "${LABEL_EXTRA[@]}"
if [[ "$SKIP_STUDENT" != 1 ]]; then
  step "student: $STUDENT_CONFIG"
  "$PYTHON" -m models.train_nli --config "$STUDENT_CONFIG" --device "$DEVICE" "${EVAL[@]}"
  challenge "$STUDENT_CONFIG"
fi
step "done"
