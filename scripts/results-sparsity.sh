#!/usr/bin/env bash
# Fills the post-training sparsity table of docs/results.md: prunes SmolLM2-135M with each method and target and
# evaluates perplexity on the SOTU test split. One run per line of the plan; results go to out/results/*.json and a
# markdown table to out/results/sparsity.md. Long: about 3-6 minutes per run on 2 cores.
#   scripts/results-sparsity.sh [--nsamples N] [--eval-max-tokens T] [--extra "FLAGS" --tag TAG] [PLAN...]
# PLAN entries look like apt:2:4, sparsegpt:0.5, wanda:0.6:owl (default: the whole table). --extra passes more
# prune flags to every run (e.g. "--pattern-rule single"); --tag is then added to the result names.
set -euo pipefail
cd "$(dirname "$0")/.."
NSAMPLES=128
EVAL_TOKENS=16384
EXTRA=""
TAG=""
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --nsamples) NSAMPLES=$2; shift 2 ;;
    --eval-max-tokens) EVAL_TOKENS=$2; shift 2 ;;
    --extra) EXTRA=$2; shift 2 ;;
    --tag) TAG=-$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PLAN=("$@")
if [[ ${#PLAN[@]} -eq 0 ]]; then
  for m in magnitude wanda sparsegpt apt; do
    for t in 2:4 4:8 0.5 0.6 0.7 0.5:owl 0.6:owl 0.7:owl; do PLAN+=("$m:$t"); done
  done
fi
mkdir -p out/results
# the dense model's perplexity once, under the same protocol, instead of once per run
[[ -f out/results/dense.json ]] || ./prune4j eval ppl smollm2 --text sotu:test --max-tokens "$EVAL_TOKENS" \
    --json out/results/dense.json
for entry in "${PLAN[@]}"; do
  method=${entry%%:*}; rest=${entry#*:}
  args=(--method "$method")
  if [[ $rest == *:owl ]]; then args+=(--sparsity "${rest%:owl}" --allocation owl)
  elif [[ $rest == *:* ]]; then args+=(--pattern "$rest")
  else args+=(--sparsity "$rest"); fi
  name="$method-${rest//:/-}$TAG"
  echo "== $name" >&2
  ./prune4j prune smollm2 "${args[@]}" --nsamples "$NSAMPLES" $EXTRA --eval-text sotu:test --eval-max-tokens "$EVAL_TOKENS" \
      --no-eval-before --no-save --out "out/results/$name" --overwrite --json "out/results/$name.json"
done
node tools/results/sparsity-table.mjs out/results > out/results/sparsity.md
cat out/results/sparsity.md
