#!/usr/bin/env bash
# Measure a candidate NLI model in the order of the shipping rules (models/README.md), saving every output:
#   1. the sample article's tension (models.sample_check), 2. the news challenge set, dev then report half,
#   3. SNLI test, MNLI dev and ANLI dev (whole), 4. the evidence pairs' tune halves: every direction that the
#   shipped model gave 0.3 or more, rescored with the candidate on the plain claims (the table's weight-1 row;
#   run it once with the shipped model too, models/consistency-nli-minilm-l6, for the same path's baseline).
# Usage: bash models/candidate_check.sh MODEL_DIR OUT_DIR    (9 min for a MiniLM model on a 2-core AMD EPYC)
set -euo pipefail
model=${1:?usage: candidate_check.sh MODEL_DIR OUT_DIR}
out=${2:?usage: candidate_check.sh MODEL_DIR OUT_DIR}
eval_dir=${NLI_EVAL_DIR:-../shared/data/nli/eval}
pairs=(benchmarks/results/evidence-pairs-2026-12-05-cpu-phase6-directions.jsonl.gz
       benchmarks/results/evidence-challenge-2026-12-05-cpu-phase6.jsonl.gz)
mkdir -p "$out"
python -m models.sample_check "$model" --out "$out/sample.json" > "$out/sample.txt"
for split in dev report; do
  consistency bench nli benchmarks/data/news_challenge.jsonl --split "$split" --nli-model "$model" \
    > "$out/challenge-$split.txt" 2>&1
done
for name in snli_test mnli_dev anli_dev; do
  consistency bench nli "$eval_dir/$name.jsonl" --nli-model "$model" > "$out/$name.txt" 2>&1
done
python -m benchmarks.evidence_rules second "$out/second.jsonl" "${pairs[@]}" --nli-model "$model" > "$out/second.log" 2>&1
python -m benchmarks.evidence_rules table "${pairs[@]}" --second "$out/second.jsonl" > "$out/table.txt"
python -c "import json, sys; d = json.load(open(sys.argv[1])); print('sample tension first:', d['tension_first'], d['tension_score'])" "$out/sample.json"
grep -h -E "^(news_challenge|snli_test|mnli_dev|anli_dev)\.jsonl " "$out"/*.txt
grep -E "weight 1 " "$out/table.txt"
