#!/usr/bin/env bash
# Prefill and decode speed of SmolLM2-135M in F32: prune4j (JMH, ForwardBench) against llama.cpp
# (tools/reference/llama-ppl.mjs --speed) on the same F32 file, both with 2 threads. Run on a quiet machine;
# prints both results for docs/benchmarks.md. Takes about 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
scripts/fetch-assets.sh --models --reference
work=/tmp/prune4j-bench
mkdir -p "$work"
model="$work/smollm2-135m-f32.gguf"
[ -f "$model" ] || ./prune4j convert smollm2 --out "$model" --dtype f32
./mvnw -q -o -pl bench -am package -DskipTests
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java --add-modules=jdk.incubator.vector -Dprune4j.bench.model="$model" -Dprune4j.threads=2 -jar bench/target/benchmarks.jar \
  ForwardBench -f 1 -wi 3 -i 5 -w 2s -r 3s -jvmArgsAppend "-Dprune4j.bench.model=$model -Dprune4j.threads=2" 2>&1 | tee "$work/forward-jmh.log" | grep -E "^ForwardBench|Benchmark"
for n in 128 512; do
  node tools/reference/llama-ppl.mjs --model "$model" --speed --prefill "$n" --decode 32 --threads 2 --repetitions 5 --json "$work/llama-speed-$n.json" | tail -3
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
