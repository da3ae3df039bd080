#!/usr/bin/env bash
# The teacher and the distilled student in one command, on a machine with a CUDA GPU (under 10 minutes of an
# H100/H200 for the default configs), from the repository root after the README's install command, with
# ../shared/data beside the checkout:
#
#   bash models/gpu_recipe.sh                          # data, teacher, soft labels, student, evaluation
#
# Steps: unpack all-mpnet-base-v2; make the synthetic news pairs, the hard neutrals and the unlabelled news
# pairs (training-side articles only); fine-tune the teacher (models/nli-teacher-mpnet.toml); label the
# student's training pairs with it (models.label_with_teacher); distil the student
# (models/nli-distill.toml); evaluate both on the eval files and the news challenge set; measure speed.
# Each training step resumes from its checkpoint when the script is run again.
#
# Overrides (the CPU test runs the whole script on tiny models with them): DEVICE (cuda), TEACHER_CONFIG,
# STUDENT_CONFIG, SKIP_DATA=1 (the data files are there already), SKIP_EVAL=1, PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
TEACHER_CONFIG="${TEACHER_CONFIG:-models/nli-teacher-mpnet.toml}"
STUDENT_CONFIG="${STUDENT_CONFIG:-models/nli-distill.toml}"
SKIP_EVAL="${SKIP_EVAL:-0}"
step() { echo "== $(date -u +%H:%M:%S) $*" >&2; }

if [[ "${SKIP_DATA:-0}" != 1 ]]; then
  step "data"
  bash models/get_teacher_base.sh
  "$PYTHON" -m models.make_synthetic --frank ../shared/data/docs/frank.jsonl.gz --out models/work
  "$PYTHON" -m models.make_hard_neutrals --frank ../shared/data/docs/frank.jsonl.gz --out models/work
  "$PYTHON" -m models.make_news_pairs --frank ../shared/data/docs/frank.jsonl.gz --out models/work
fi
step "teacher: $TEACHER_CONFIG"
"$PYTHON" -m models.train_nli --config "$TEACHER_CONFIG" --device "$DEVICE" --skip-eval
step "soft labels: $STUDENT_CONFIG"
"$PYTHON" -m models.label_with_teacher --config "$STUDENT_CONFIG" --device "$DEVICE"
step "student: $STUDENT_CONFIG"
"$PYTHON" -m models.train_nli --config "$STUDENT_CONFIG" --device "$DEVICE" --skip-eval
if [[ "$SKIP_EVAL" != 1 ]]; then
  step "evaluation"
  for config in "$TEACHER_CONFIG" "$STUDENT_CONFIG"; do
    "$PYTHON" -m models.train_nli --config "$config" --device "$DEVICE" --export-only
  done
fi
step "done"
