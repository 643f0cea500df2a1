"""Golden SparseGPT fixtures from IST-DASLab's reference implementation, for prune4j's Java SparseGPT.

Usage: python3 sparsegpt_fixture.py REFERENCE_SPARSEGPT_PY --commit HASH [--out DIR]
  REFERENCE_SPARSEGPT_PY  path of the reference sparsegpt.py (kept outside the repo, never committed)
  --commit                the reference repository commit the file was taken from (recorded, not checked)
  --out                   default prune/src/test/resources/reference/sparsegpt

For each layer shape it builds a bias-free nn.Linear and calibration inputs from numpy's default_rng (PCG64;
torch's RNG is not used, so the data do not depend on the torch version), feeds the inputs to the
reference's SparseGPT.add_batch in 4 calls of shape [1, 64, in] (each call is one "sample" to the
reference, so H = 2/4 * X^T X), runs fasterprune once per case on a fresh layer, and writes
<layer name>.json with the inputs, the weights and every case's result. The README next to this file
describes the fields. Everything is float32, as in the reference; each case is also re-run with the
reference made to compute in float64 (see sparsegpt_harness.float64_everywhere) and the differences are
recorded, so a Java test knows how much of a deviation is float32 rounding in the reference.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ beside the tools in the work tree
from sparsegpt_harness import float64_everywhere, load_reference, quiet_fasterprune  # noqa: E402

TOKENS = 256
BATCHES = 4
FACTORS = 8
PERCDAMP = 0.01


def case(name, sparsity, prunen=0, prunem=0, blocksize=128):
    return {"name": name, "sparsity": sparsity, "prunen": prunen, "prunem": prunem,
            "blocksize": blocksize, "percdamp": PERCDAMP}


STANDARD_CASES = [case("unstructured-50", 0.5), case("unstructured-70", 0.7),
                  case("2of4", 0.5, 2, 4), case("4of8", 0.5, 4, 8)]
# The 320-wide layer has 8 rows, not 48: its inputs alone take ~240 KB, each case's weights and mask ~20 KB
# for 8 rows, and a fixture file has to stay under 400 KB.
LAYERS = [
    {"name": "linear-48x96", "rows": 48, "columns": 96, "seed": 96, "deadColumn": 37, "cases": STANDARD_CASES},
    {"name": "linear-8x320", "rows": 8, "columns": 320, "seed": 320, "deadColumn": 200,
     "cases": STANDARD_CASES + [case("unstructured-50-block32", 0.5, blocksize=32)]},
]
GENERATOR = (
    "rng = numpy.random.default_rng(seed); "
    "W = float32(rng.standard_normal((rows, columns))); "
    "F = rng.standard_normal((N, 8)); L = rng.standard_normal((8, columns)); E = rng.standard_normal((N, columns)); "
    "s = exp(0.5 * rng.standard_normal(columns)); "
    "X = float32(rint((0.5 * F @ L + E) * s)) (X = [F E] @ [0.5 L; I]: 8 shared factors correlate the columns; "
    "scaled per column; rounded to "
    "integers so every precision holds it exactly); X[:, deadColumn] = 0. Draws in that order.")


def make_data(layer):
    rng = np.random.default_rng(layer["seed"])
    rows, columns = layer["rows"], layer["columns"]
    weight = rng.standard_normal((rows, columns)).astype(np.float32)
    factors = rng.standard_normal((TOKENS, FACTORS))
    loadings = rng.standard_normal((FACTORS, columns))
    noise = rng.standard_normal((TOKENS, columns))
    scales = np.exp(0.5 * rng.standard_normal(columns))
    inputs = np.rint((0.5 * factors @ loadings + noise) * scales).astype(np.float32)
    inputs[:, layer["deadColumn"]] = 0
    return weight, inputs


def run_reference(reference, weight, inputs, settings, dtype):
    """One fresh layer through add_batch x4 and fasterprune; returns (pruned weight, H diagonal, loss)."""
    rows, columns = weight.shape
    layer = torch.nn.Linear(columns, rows, bias=False).to(dtype)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight).to(dtype))
    gpt = reference.SparseGPT(layer)
    per_batch = TOKENS // BATCHES
    for b in range(BATCHES):
        gpt.add_batch(torch.from_numpy(inputs[b * per_batch:(b + 1) * per_batch]).to(dtype).unsqueeze(0), None)
    hessian_diagonal = torch.diag(gpt.H).clone().numpy()
    loss = quiet_fasterprune(gpt, sparsity=settings["sparsity"], prunen=settings["prunen"],
                             prunem=settings["prunem"], blocksize=settings["blocksize"],
                             percdamp=settings["percdamp"])
    return layer.weight.detach().numpy().copy(), hessian_diagonal, loss


def reconstruction_error(weight, pruned, inputs):
    """sum((W X^T - W' X^T)^2) in float64."""
    diff = (weight.astype(np.float64) - pruned.astype(np.float64)) @ inputs.astype(np.float64).T
    return float(np.sum(diff * diff))


def check_mask(mask, settings, layer_name):
    """The reference's own sparsity rules, so a fixture with a tie or a stray zero is caught here."""
    rows, columns = mask.shape
    n, m = settings["prunen"], settings["prunem"]
    if n:
        per_group = mask.reshape(rows, columns // m, m).sum(axis=2)
        if not np.all(per_group == n):
            raise SystemExit(f"{layer_name} {settings['name']}: not exactly {n} zeros in every group of {m}")
        return
    bs = settings["blocksize"]
    for i1 in range(0, columns, bs):
        block = mask[:, i1:i1 + bs]
        # thresh = sorted(score)[int(numel * sparsity)]; mask = score <= thresh: one more than int(numel * s)
        expected = int(block.size * settings["sparsity"]) + 1
        if block.sum() != expected:
            raise SystemExit(f"{layer_name} {settings['name']}: block at column {i1} has {block.sum()} zeros, "
                             f"expected {expected}")


def f32(x):
    """Shortest decimal that reads back (Float.parseFloat) as the same float32."""
    x = np.float32(x)
    return "0" if x == 0 else np.format_float_scientific(x, unique=True, trim="-") if abs(x) < 1e-4 \
        else np.format_float_positional(x, unique=True, trim="-")


def f64(x):
    return repr(float(x))


def number_list(values, fmt):
    return "[" + ",".join(fmt(v) for v in np.asarray(values).ravel()) + "]"


def mask_rows(mask):
    return [("".join("1" if z else "0" for z in row)) for row in mask]


def to_json(obj, indent=0):
    """JSON with numeric arrays pre-rendered (RawList) on one line and everything else indented."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, RawList):
        return obj.text
    if isinstance(obj, dict):
        items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and isinstance(obj[0], (dict, str)):
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj)


class RawList:
    def __init__(self, text):
        self.text = text


def build_layer(reference, layer, provenance):
    weight, inputs = make_data(layer)
    rows, columns = weight.shape
    dead = layer["deadColumn"]
    cases, hessian_diagonal = [], None
    for settings in layer["cases"]:
        pruned, diag, loss = run_reference(reference, weight, inputs, settings, torch.float32)
        if hessian_diagonal is not None and not np.array_equal(diag, hessian_diagonal):
            raise SystemExit(f"{layer['name']}: add_batch is not deterministic")
        hessian_diagonal = diag
        mask = pruned == 0
        check_mask(mask, settings, layer["name"])
        with float64_everywhere():
            pruned64, _, loss64 = run_reference(reference, weight.astype(np.float64), inputs.astype(np.float64),
                                                settings, torch.float64)
        mask64 = pruned64 == 0
        cases.append({
            "name": settings["name"],
            "settings": {k: settings[k] for k in ("sparsity", "prunen", "prunem", "blocksize", "percdamp")},
            "zeroed": int(mask.sum()),
            "reconstructionError": reconstruction_error(weight, pruned, inputs),
            "referenceLoss": loss,
            "mask": mask_rows(mask),
            "prunedWeight": RawList(number_list(pruned, f32)),
            "float64Check": {
                "maskDifferences": int(np.sum(mask != mask64)),
                "maxAbsWeightDifference": float(np.max(np.abs(pruned.astype(np.float64) - pruned64))),
                "reconstructionError": reconstruction_error(weight, pruned64, inputs),
                "referenceLoss": loss64,
                "prunedWeightRowSums": [float(v) for v in pruned64.sum(axis=1)],
                "prunedWeightRowSquares": [float(v) for v in (pruned64 * pruned64).sum(axis=1)],
            },
        })
        print(f"{layer['name']} {settings['name']}: zeroed {mask.sum()}/{mask.size}, "
              f"error {cases[-1]['reconstructionError']:.6g}, float64 mask differences "
              f"{cases[-1]['float64Check']['maskDifferences']}, max |dW| "
              f"{cases[-1]['float64Check']['maxAbsWeightDifference']:.3g}", file=sys.stderr)
    dense_output = weight.astype(np.float64) @ inputs.astype(np.float64).T
    return {
        "description": "SparseGPT reference results for one bias-free linear layer; arrays are row-major.",
        "reference": provenance,
        "generator": {"library": f"numpy {np.__version__} default_rng (PCG64)", "seed": layer["seed"],
                      "recipe": GENERATOR},
        "rows": rows,
        "columns": columns,
        "tokens": TOKENS,
        "deadColumn": dead,
        "calibration": {
            "batches": BATCHES,
            "batchShape": [1, TOKENS // BATCHES, columns],
            "order": "add_batch(X[64*b : 64*(b+1)].unsqueeze(0)) for b = 0..3",
            "hessian": "H = 2/nsamples * sum_b X_b^T X_b with nsamples = 4 (one per add_batch call), i.e. X^T X / 2",
        },
        "denseOutputEnergy": float(np.sum(dense_output * dense_output)),
        "hessianDiagonal": RawList(number_list(hessian_diagonal, f32)),
        "weight": RawList(number_list(weight, f32)),
        "inputs": RawList("[" + ",".join(str(int(v)) for v in inputs.ravel()) + "]"),
        "cases": cases,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference", help="path of the reference sparsegpt.py")
    parser.add_argument("--commit", required=True, help="reference repository commit of that file")
    parser.add_argument("--out", default="prune/src/test/resources/reference/sparsegpt")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one thread: a deterministic reduction order in torch's CPU kernels
    reference, sha256 = load_reference(args.reference)
    provenance = {"repository": "IST-DASLab/sparsegpt", "file": "sparsegpt.py", "commit": args.commit,
                  "fileSha256": sha256, "class": "SparseGPT", "torch": torch.__version__, "dtype": "float32",
                  "device": "cpu", "threads": 1}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for layer in LAYERS:
        path = out / f"{layer['name']}.json"
        path.write_text(to_json(build_layer(reference, layer, provenance)) + "\n")
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
