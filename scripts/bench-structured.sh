#!/usr/bin/env bash
# Prefill and decode speed of structurally pruned models against the dense one, in prune4j (`prune4j bench`) and in
# llama.cpp (tools/reference/llama-ppl.mjs --speed), 2 threads each, batch 1, prompts of 128 and 512 tokens then 32
# greedy decode steps. The models are measured in alternation, ROUNDS times, so that the machine's drift hits them
# all alike; the table shows the median over rounds of each run's median. Run on a quiet machine.
#   scripts/bench-structured.sh [--rounds N] LABEL=MODEL.gguf ...     (the first model is the baseline)
# e.g. scripts/bench-structured.sh dense=/tmp/prune4j-bench/smollm2-135m-f32.gguf \
#        20%=out/structured/wanda-sp-0.2/model.gguf 30%=out/structured/wanda-sp-0.3/model.gguf
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=2
if [[ ${1:-} == --rounds ]]; then ROUNDS=$2; shift 2; fi
[[ $# -ge 1 ]] || { echo "usage: $0 [--rounds N] LABEL=MODEL.gguf ..." >&2; exit 2; }
scripts/fetch-assets.sh --models --reference >/dev/null
OUT=out/bench-structured
mkdir -p "$OUT"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/conditions.txt"
for round in $(seq 1 "$ROUNDS"); do
  for entry in "$@"; do
    label=${entry%%=*}; model=${entry#*=}
    echo "== round $round: $label ($model)" >&2
    ./prune4j --threads 2 bench "$model" --prompt-lengths 128,512 --decode-tokens 32 \
        --json "$OUT/prune4j-$label-r$round.json" > /dev/null
    for n in 128 512; do
      node tools/reference/llama-ppl.mjs --model "$model" --speed --prefill "$n" --decode 32 --threads 2 \
          --repetitions 5 --json "$OUT/llama-$label-$n-r$round.json" > /dev/null
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/conditions.txt"
node tools/results/speed-table.mjs "$OUT" "$@" | tee "$OUT/speed.md"
