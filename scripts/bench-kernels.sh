#!/usr/bin/env bash
# Builds the JMH jar and measures the fp32 kernels on 1 and 2 threads: FMA peak (JMH and C), GEMM GFLOP/s, GEMV and
# read bandwidth GB/s. Prints a markdown table for docs/benchmarks.md; the full JMH log goes to
# bench/target/bench-kernels.log. Takes about 5 minutes.
# Usage: scripts/bench-kernels.sh [JMH options, default: -f 1 -wi 3 -i 5 -w 1s -r 1s]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jmh_options=("$@")
if [ ${#jmh_options[@]} -eq 0 ]; then jmh_options=(-f 1 -wi 3 -i 5 -w 1s -r 1s); fi

./mvnw -q -o -pl bench -am package -DskipTests
jar=bench/target/benchmarks.jar
log=bench/target/bench-kernels.log

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
echo "jmh: ${jmh_options[*]}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v gcc >/dev/null; then
    tmp="$(mktemp -d)"
    gcc -O2 -mfma -mavx2 -pthread tools/bench/fmapeak.c -o "$tmp/fmapeak"
    "$tmp/fmapeak" 1
    "$tmp/fmapeak" 2
    rm -rf "$tmp"
fi

"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "$jar" dev.prune4j.bench.KernelReport \
    "${jmh_options[@]}" > "$log" 2>&1
sed -n '/^FMA peak/,$p' "$log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
