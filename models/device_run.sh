#!/usr/bin/env bash
# On a lent GPU machine that has neither ../shared nor PyPI (models/README.md, "teacher round 2"): unpack the
# bundle that `python -m models.device_bundle pack --out .gpu` made (its first part may wait in /tmp/stash from
# an earlier call), then the teacher, soft labels for the whole pool, the teacher's evaluation and the shipped
# pipeline's speed on CUDA. Outputs under $OUT. Env: DEVICE (cuda), TEACHER_MINUTES (3.5), LABEL_LIMIT,
# LABEL_BATCH (512), SKIP_EVAL, SKIP_SPEED, RECIPE_COMMIT (the tree there has no .git).
#   bash models/device_run.sh
set -euo pipefail
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true
OUT="${OUT:-/tmp/out}"; mkdir -p "$OUT"
t0=$(date +%s)
if [[ -d .whl ]] && ! python3 -c 'import syntok, py3langid' 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD"
[[ -d /tmp/stash ]] && cp -n /tmp/stash/* .gpu/ || true
ls -la .gpu
python3 -m models.device_bundle unpack --bundle .gpu
echo "unpacked after $(( $(date +%s) - t0 )) s"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || true
python3 -c 'import torch, transformers, sentence_transformers as s; print(torch.__version__, transformers.__version__, s.__version__, torch.cuda.is_available())'
rm -f models/distill/teacher_logits.npz
LIMIT=(); [[ -n "${LABEL_LIMIT:-}" ]] && LIMIT=(--limit "$LABEL_LIMIT")
set +e
RECIPE_COMMIT="${RECIPE_COMMIT:-unknown}" SKIP_DATA=1 SKIP_STUDENT=1 DEVICE="${DEVICE:-cuda}" TEACHER_MINUTES="${TEACHER_MINUTES:-3.5}" SKIP_EVAL="${SKIP_EVAL:-0}" \
  LABEL_ARGS="--whole-pool --batch-size ${LABEL_BATCH:-512} --chunk 100000 ${LIMIT[*]}" \
  bash models/gpu_recipe.sh 2>&1 | tee "$OUT/recipe.log" | grep -v "train:" 
echo "recipe rc ${PIPESTATUS[0]} after $(( $(date +%s) - t0 )) s"
cp models/distill/teacher_logits.npz "$OUT/" 2>/dev/null
T=models/work/teacher-mpnet
tar -cf "$OUT/teacher_results.tar" -C "$T" training_summary.json eval_results.json challenge_dev.json challenge_report.json sample_check.json config.json 2>/dev/null
ls -la "$OUT"
if [[ "${SKIP_SPEED:-0}" != 1 ]]; then
  # The shipped pipeline's shapes (MiniLM-L6 NLI + MiniLM-L6 embedder) with random weights, then the teacher.
  python3 -m models.shape_models /tmp/shape 2>/dev/null
  timeout 75 python3 -m consistency bench speed --device "${DEVICE:-cuda}" --nli-model /tmp/shape/nli \
    --embedding-model /tmp/shape/emb --batch-sizes 1,32,256 --dtypes float32,float16 --sizes 50,200 \
    --n-articles 20 --json > "$OUT/speed_shipped_shape.json" 2> "$OUT/speed.err"
  echo "speed (shipped shapes) rc $? after $(( $(date +%s) - t0 )) s"
fi
