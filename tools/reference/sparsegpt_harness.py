"""Loads IST-DASLab's reference `sparsegpt.py` from a path outside the repo and runs it on CPU.

The reference file is never copied into prune4j; both SparseGPT tools take its path as an argument.
It imports `transformers` (only for an isinstance check against `transformers.Conv1D`) and `quant`
(the file beside it); when either is missing an empty stand-in is registered, which changes nothing for
an `nn.Linear` layer. `fasterprune` ends with `torch.cuda.synchronize()`, which raises on a CPU-only
torch, so that call is made a no-op when CUDA is absent. The reference's algorithm is not touched.
"""
import contextlib
import hashlib
import importlib.util
import io
import re
import sys
import types
from pathlib import Path

import torch


def load_reference(path):
    """Imports the reference sparsegpt.py at `path`; returns (module, sha256 of the file)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise SystemExit(f"reference sparsegpt.py not found: {path}")
    sys.path.insert(0, str(path.parent))
    try:
        import transformers  # noqa: F401  (the real one, when installed)
    except ImportError:
        stub = types.ModuleType("transformers")
        stub.Conv1D = type("Conv1D", (), {})
        sys.modules["transformers"] = stub
    if importlib.util.find_spec("quant") is None:
        sys.modules["quant"] = types.ModuleType("quant")
    if not torch.cuda.is_available():
        torch.cuda.synchronize = lambda *args, **kwargs: None
    spec = importlib.util.spec_from_file_location("sparsegpt_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "SparseGPT"):
        raise SystemExit(f"{path} has no class SparseGPT")
    return module, hashlib.sha256(path.read_bytes()).hexdigest()


def quiet_fasterprune(gpt, **settings):
    """Runs gpt.fasterprune(**settings), swallowing its prints; returns the 'error' it printed (sum of its
    Losses, float) or None if it printed none."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        gpt.fasterprune(**settings)
    match = re.search(r"^error (\S+)$", out.getvalue(), re.MULTILINE)
    return float(match.group(1)) if match else None


@contextlib.contextmanager
def float64_everywhere():
    """Makes the reference compute in float64: it creates H with the default dtype and casts inputs and
    weights with `.float()`, so both are redirected to float64 for the duration. A precision check only;
    the reference's own dtype is float32."""
    default = torch.get_default_dtype()
    original_float = torch.Tensor.float
    torch.set_default_dtype(torch.float64)
    torch.Tensor.float = lambda self, *args, **kwargs: self.double()
    try:
        yield
    finally:
        torch.Tensor.float = original_float
        torch.set_default_dtype(default)
