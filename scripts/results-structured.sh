#!/usr/bin/env bash
# Fills the structured-pruning table of docs/results.md: cuts SmolLM2-135M with each structured method and ratio,
# scores perplexity on the SOTU test split at windows 512 and 128, then gives every cut model (and the dense one)
# the same short LoRA recovery and scores it again. Results go to out/structured/*.json and a markdown table to
# out/structured/structured.md. Long, on 2 cores: about 2 minutes per entry
# from saved scores (scoring a method the first time adds its calibration) and 4 more for its recovery.
#   scripts/results-structured.sh [--recover-steps N] [--eval-max-tokens T] [PLAN...]
# PLAN entries look like flap:0.2 or depth:0.3 (default: l2, wanda-sp, flap, llm-pruner, depth, random × 0.1, 0.2, 0.3).
# Each method is scored once (--save-scores, the first entry of that method) and later entries cut from the saved
# scores. --recover-steps 0 skips recovery.
set -euo pipefail
cd "$(dirname "$0")/.."
RECOVER_STEPS=64
EVAL_TOKENS=16384
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --recover-steps) RECOVER_STEPS=$2; shift 2 ;;
    --eval-max-tokens) EVAL_TOKENS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PLAN=("$@")
if [[ ${#PLAN[@]} -eq 0 ]]; then
  for m in l2 wanda-sp flap llm-pruner depth random; do
    for r in 0.1 0.2 0.3; do PLAN+=("$m:$r"); done
  done
fi
OUT=out/structured
mkdir -p "$OUT/scores"

# Each method's own published setting; everything else is the structured defaults (uniform allocation, a KV group
# as the attention unit, FFN widths multiples of 8, calibration 128 × 512 tokens of sotu:calibration).
method_flags() {
  case $1 in
    flap) echo "--bias-compensation" ;;                      # FLAP: global standardised threshold + bias compensation
    llm-pruner) echo "--protect-first 3 --protect-last 2" ;;  # LLM-Pruner leaves the first and last layers whole
    *) echo "" ;;
  esac
}

ppl() {  # ppl MODEL WINDOW JSON
  [[ -f $3 ]] || ./prune4j eval ppl "$1" --text sotu:test --window "$2" --max-tokens "$EVAL_TOKENS" --json "$3"
}

# The same recovery for every model: LoRA r=8 on all block linears, RECOVER_STEPS × 1 × 256 tokens of
# sotu:calibration, then the merged model scored at both windows.
recover() {  # recover MODEL NAME
  [[ $RECOVER_STEPS -gt 0 ]] || return 0
  local dir="$OUT/$2-lora"
  [[ -f $dir/merged.gguf ]] || ./prune4j finetune "$1" --data sotu:calibration --steps "$RECOVER_STEPS" \
      --warmup $((RECOVER_STEPS / 10)) --lr 5e-4 --lora-rank 8 --lora-alpha 16 --batch 1 --seq-len 256 --seed 0 \
      --checkpoint-every 0 --out "$dir" --save-merged "$dir/merged.gguf" --json "$OUT/$2-lora-run.json"
  ppl "$dir/merged.gguf" 512 "$OUT/$2-lora-w512.json"
  ppl "$dir/merged.gguf" 128 "$OUT/$2-lora-w128.json"
}

ppl smollm2 512 "$OUT/dense-w512.json"
ppl smollm2 128 "$OUT/dense-w128.json"
recover smollm2 dense

for entry in "${PLAN[@]}"; do
  method=${entry%%:*}; ratio=${entry#*:}
  name="$method-$ratio"
  scores="$OUT/scores/$method.scores"
  echo "== $name" >&2
  if [[ -f $scores ]]; then source_flags=(--scores "$scores"); else source_flags=(--save-scores "$scores"); fi
  # shellcheck disable=SC2046  # method_flags is a list of words
  [[ -f $OUT/$name.json ]] || ./prune4j prune smollm2 --method "$method" --ratio "$ratio" $(method_flags "$method") \
      "${source_flags[@]}" --eval-text sotu:test --eval-max-tokens "$EVAL_TOKENS" --no-eval-before --no-speed \
      --out "$OUT/$name" --overwrite --json "$OUT/$name.json"
  ppl "$OUT/$name/model.gguf" 128 "$OUT/$name-w128.json"
  recover "$OUT/$name/model.gguf" "$name"
done
node tools/results/structured-table.mjs "$OUT" > "$OUT/structured.md"
cat "$OUT/structured.md"
