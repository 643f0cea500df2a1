"""Times IST-DASLab's reference SparseGPT `fasterprune` on CPU for SmolLM2-135M's linear shapes.

Usage: nice -n 19 python3 sparsegpt_timing.py REFERENCE_SPARSEGPT_PY [--tokens 65536] [--runs 5] [--threads 2]
                                             [--json FILE]
For each shape [rows, columns] the Hessian is accumulated once with the reference's add_batch from
--tokens correlated random inputs (numpy default_rng, in calls of [1, 2048, columns]); then, for unstructured
50% and 2:4 (blocksize 128, percdamp 0.01), fasterprune runs once to warm up and --runs times measured, each
on a fresh layer and a fresh copy of H. Only fasterprune is timed (it includes the damping, the Cholesky
inverse and the column sweep); the add_batch time is printed for information. float32, the reference's dtype.
Prints a Markdown table of medians (and minima) in ms, the 1-minute load average before and after, and the
CPU time other processes used meanwhile (from /proc/stat): with another process busy on a 2-core machine,
torch's and OpenBLAS's 2 threads wait for each other and single runs were seen 20-40x slower, so only a run
during which other processes used next to no CPU is worth quoting.
"""
import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import sys
import time

# Set before torch loads OpenBLAS: BLAS threads of their own next to torch's 2 OpenMP threads oversubscribe the
# 2 cores and made fasterprune up to 2x slower and erratic (run-to-run spread 2x); one BLAS thread, torch's
# 2 threads for everything else, gave steady times. Set OPENBLAS_NUM_THREADS yourself to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ beside the tools in the work tree
from sparsegpt_harness import load_reference  # noqa: E402

SHAPES = [("q_proj / o_proj", 576, 576), ("k_proj / v_proj", 192, 576), ("gate_proj / up_proj", 1536, 576),
          ("down_proj", 576, 1536)]
SETTINGS = [("unstructured 50%", {"sparsity": 0.5}), ("2:4", {"sparsity": 0.5, "prunen": 2, "prunem": 4})]
CHUNK = 2048


def accumulate_hessian(reference, layer, tokens, rng):
    """Returns (H, milliseconds spent in add_batch alone)."""
    gpt = reference.SparseGPT(layer)
    columns = layer.in_features
    loadings = rng.standard_normal((8, columns))
    elapsed = 0.0
    for _ in range(tokens // CHUNK):
        x = 0.5 * rng.standard_normal((CHUNK, 8)) @ loadings + rng.standard_normal((CHUNK, columns))
        batch = torch.from_numpy(x.astype(np.float32)).unsqueeze(0)
        start = time.perf_counter()
        gpt.add_batch(batch, None)
        elapsed += time.perf_counter() - start
    return gpt.H.clone(), elapsed * 1000


def busy_cpu_seconds():
    """CPU time all processes have used since boot (/proc/stat), and this process's own."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    ticks = os.sysconf("SC_CLK_TCK")
    own = resource.getrusage(resource.RUSAGE_SELF)
    return (user + nice + system + irq + softirq + steal) / ticks, own.ru_utime + own.ru_stime


def time_fasterprune(reference, weight, hessian, settings):
    layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=False)
    with torch.no_grad():
        layer.weight.copy_(weight)
    gpt = reference.SparseGPT(layer)
    gpt.H = hessian.clone()
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        gpt.fasterprune(blocksize=128, percdamp=0.01, **settings)
        return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference", help="path of the reference sparsegpt.py")
    parser.add_argument("--tokens", type=int, default=65536)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    reference, sha256 = load_reference(args.reference)
    rng = np.random.default_rng(135)
    results = []
    load_at_start = os.getloadavg()[0]
    busy_at_start, own_at_start = busy_cpu_seconds()
    wall_at_start = time.perf_counter()
    print(f"load average {load_at_start:.2f} at start; torch {torch.__version__}, {torch.get_num_threads()} threads, float32, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, reference sha256 {sha256[:12]}")
    print(f"| layer | shape [out, in] | add_batch {args.tokens} tokens (ms) | "
          + " | ".join(f"fasterprune {name} (ms, median of {args.runs}; min)" for name, _ in SETTINGS) + " |")
    print("|---|---|---:|" + "---:|" * len(SETTINGS))
    for label, rows, columns in SHAPES:
        layer = torch.nn.Linear(columns, rows, bias=False)
        weight = torch.from_numpy(rng.standard_normal((rows, columns)).astype(np.float32))
        hessian, add_batch_ms = accumulate_hessian(reference, layer, args.tokens, rng)
        row = {"layer": label, "rows": rows, "columns": columns, "addBatchMs": add_batch_ms}
        for name, settings in SETTINGS:
            time_fasterprune(reference, weight, hessian, settings)
            times = [time_fasterprune(reference, weight, hessian, settings) for _ in range(args.runs)]
            row[name] = {"medianMs": statistics.median(times), "runsMs": times}
        results.append(row)
        print(f"| {label} | [{rows}, {columns}] | {add_batch_ms:.0f} | "
              + " | ".join(f"{row[name]['medianMs']:.1f}; {min(row[name]['runsMs']):.1f}" for name, _ in SETTINGS)
              + " |", flush=True)
    load_at_end = os.getloadavg()[0]
    busy_at_end, own_at_end = busy_cpu_seconds()
    wall = time.perf_counter() - wall_at_start
    others = max(0.0, (busy_at_end - busy_at_start) - (own_at_end - own_at_start))
    print(f"load average {load_at_end:.2f} at end; other processes used {others:.1f} CPU-s during these {wall:.0f} s "
          "(times are only meaningful on an otherwise idle machine)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"torch": torch.__version__, "threads": args.threads, "tokens": args.tokens,
                       "loadAverage": {"start": load_at_start, "end": load_at_end},
                       "wallSeconds": wall, "otherProcessesCpuSeconds": others,
                       "referenceSha256": sha256, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
