#!/usr/bin/env bash
# Run every benchmark suite on the shared data and save each result under benchmarks/results/.
#
#   benchmarks/run_all.sh                  # CPU, every item (hours on a 2-core CPU: see README)
#   DEVICE=cuda benchmarks/run_all.sh      # on the GPU (the speed suite then sweeps fp32/fp16/bf16)
#   LIMIT=50 benchmarks/run_all.sh         # a bounded run: docs and summaries 50 items per file, both labels
#                                          # kept; nli the first 50 pairs; clean the first 50 ContraDoc documents
#                                          # (FRANK's 45 always)
#
# Environment: DEVICE (cpu | cuda | auto; default cpu), LIMIT (items per file; default all),
# DATA (the shared data folder; default ../shared/data beside the checkout), NLI_MODEL
# (default: the built-in model), SUITES (default "nli docs clean summaries speed").
set -euo pipefail
cd "$(dirname "$0")/.."

DEVICE="${DEVICE:-cpu}"
DATA="${DATA:-../shared/data}"
SUITES="${SUITES:-nli docs clean summaries speed}"
common=(--device "$DEVICE" --save)
limit=()
if [[ -n "${LIMIT:-}" ]]; then limit=(--limit "$LIMIT"); fi
model=()
if [[ -n "${NLI_MODEL:-}" ]]; then model=(--nli-model "$NLI_MODEL"); fi

if [[ ! -d "$DATA" ]]; then
  echo "run_all.sh: no shared data at '$DATA'; set DATA=/path/to/shared/data" >&2
  exit 1
fi
if command -v consistency >/dev/null 2>&1; then
  bench() { consistency bench "$@"; }
else  # not installed: run from the checkout
  bench() { python3 -c 'import sys; from consistency.cli import main; main(sys.argv[1:], prog_name="consistency")' bench "$@"; }
fi

for suite in $SUITES; do
  case "$suite" in
    nli)
      # NLI pair files (accuracy, macro-F1, per-class, ECE), one result per file.
      for file in "$DATA"/nli/eval/*.jsonl; do
        bench nli "$file" "${common[@]}" "${limit[@]}" "${model[@]}"
      done
      ;;
    docs)
      # ContraDoc self-contradiction at the checker's default threshold (0.5; the file has no
      # development split to calibrate on), candidate pairs and all pairs side by side.
      bench docs "$DATA/docs/contradoc_wiki_story.jsonl" --pairing both "${common[@]}" "${limit[@]}" "${model[@]}"
      ;;
    clean)
      # False alarms on clean news: FRANK's measurement-side articles and ContraDoc's clean documents.
      bench clean --docs "$DATA/docs" "${common[@]}" "${limit[@]}" "${model[@]}"
      ;;
    summaries)
      # SummEdits, all seven domains at the default threshold, candidates and all pairs ...
      bench summaries "$DATA"/docs/summedits/summedits_*.jsonl --pairing both "${common[@]}" "${limit[@]}" \
        "${model[@]}" --tag default-threshold
      # ... and the six others with every rule's threshold picked on one domain (samsum), never reported here.
      others=()
      for file in "$DATA"/docs/summedits/summedits_*.jsonl; do
        [[ "$file" == *summedits_samsum.jsonl ]] || others+=("$file")
      done
      bench summaries "${others[@]}" --calibrate-on "$DATA/docs/summedits/summedits_samsum.jsonl" \
        "${common[@]}" "${limit[@]}" "${model[@]}" --tag calibrated-on-samsum
      ;;
    speed)
      # NLI / embedder throughput by batch size and dtype, end to end, pairing on 20-200 sentences.
      bench speed --articles "$DATA/docs/frank.jsonl.gz" "${common[@]}" "${model[@]}"
      ;;
    *)
      echo "run_all.sh: unknown suite '$suite'; use nli, docs, clean, summaries, speed" >&2
      exit 1
      ;;
  esac
done
echo "results: $(pwd)/benchmarks/results" >&2
