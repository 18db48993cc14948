#!/usr/bin/env python3
"""Write Tests/KernelsTests/Fixtures/dequant-sha256.json: for every tensor of the six test
models, the SHA-256 of its dequantized float32 values as gguf-py computes them (little-endian
bytes, row-major as stored). KernelsTests checks that Kernels' dequantization gives the same.

gguf-py's dequantization is bit-identical to ggml's (shared/fixtures/quant/README.md), so the
hashes pin Kernels to ggml on real weights.

Setup:  python3 -m venv /tmp/gguf-venv && /tmp/gguf-venv/bin/pip install gguf==0.19.0 numpy
Run:    /tmp/gguf-venv/bin/python scripts/gen-dequant-hashes.py
Models are found where TestSupport looks: $TERN_MODEL_CACHE (default ~/.cache/tern/models)
for the fetched ones, $TERN_SHARED/models (default ../shared/models) for the tiny ones.
"""
import hashlib
import importlib.metadata
import json
import os
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType
from gguf.quants import dequantize

GGUF_VERSION = "0.19.0"
REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "Tests/KernelsTests/Fixtures/dequant-sha256.json"

# TestModel.allCases in Sources/TestSupport/TestModels.swift, in order; True = fetched.
MODELS = [
    ("SmolLM2-135M-Instruct.Q4_1", True),
    ("gemma-3-270m-q4_k_m", True),
    ("qwen2.5-coder-0.5b-instruct", True),
    ("tiny-deepseek-r1-F16", False),
    ("tiny-deepseek-r1-Q8_0", False),
    ("tiny-deepseek-r1-Q4_K_M", False),
]

# Rows dequantized at a time, to bound memory on large embedding tables.
ROWS_PER_CHUNK = 4096


def model_path(name: str, fetched: bool) -> Path:
    if fetched:
        cache = os.environ.get("TERN_MODEL_CACHE") or os.path.expanduser("~/.cache/tern/models")
        return Path(cache) / f"{name}.gguf"
    shared = os.environ.get("TERN_SHARED") or str(REPO.parent / "shared")
    return Path(shared) / "models" / f"{name}.gguf"


def ggml_type_name(qtype: GGMLQuantizationType) -> str:
    """ggml's spelling (ggml_type_name): lower case except the K of the K-quants."""
    name = qtype.name.lower()
    return name[:-2] + "_K" if name.endswith("_k") else name


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            h.update(chunk)
    return h.hexdigest()


def dequantized_sha256(tensor) -> str:
    """Dequantizes the tensor a chunk of rows at a time and hashes the float32 bytes."""
    if tensor.tensor_type == GGMLQuantizationType.Q8_1:
        # gguf-py sizes q8_1 blocks at 40 bytes instead of ggml's 36; no test model has q8_1.
        sys.exit(f"{tensor.name}: q8_1 tensors are misread by gguf-py {GGUF_VERSION}")
    data = np.asarray(tensor.data)
    rows = data.reshape(-1, data.shape[-1])
    h = hashlib.sha256()
    for start in range(0, rows.shape[0], ROWS_PER_CHUNK):
        values = dequantize(rows[start:start + ROWS_PER_CHUNK], tensor.tensor_type)
        h.update(np.ascontiguousarray(values, dtype="<f4").tobytes())
    return h.hexdigest()


def format_document(document: dict) -> str:
    """JSON with one tensor per line, so a diff shows which tensors changed."""
    lines = ["{", ' "generator": ' + json.dumps(document["generator"], indent=1).replace("\n", "\n ") + ",", ' "models": [']
    for i, model in enumerate(document["models"]):
        lines.append(f'  {{"name": {json.dumps(model["name"])}, "tensors": [')
        tensors = model["tensors"]
        lines += ["   " + json.dumps(t) + ("," if j < len(tensors) - 1 else "") for j, t in enumerate(tensors)]
        lines.append("  ]}" + ("," if i < len(document["models"]) - 1 else ""))
    lines += [" ]", "}"]
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == document
    return text


def main() -> None:
    installed = importlib.metadata.version("gguf")
    if installed != GGUF_VERSION:
        sys.exit(f"gguf {installed} is installed; the hashes are defined by gguf {GGUF_VERSION}")
    models = []
    for name, fetched in MODELS:
        path = model_path(name, fetched)
        if not path.is_file():
            sys.exit(f"{path}: missing (run scripts/fetch-models for the fetched models)")
        print(f"{name}: hashing", file=sys.stderr)
        reader = GGUFReader(path)
        tensors = [
            {
                "name": t.name,
                "type": ggml_type_name(t.tensor_type),
                "shape": [int(d) for d in t.shape],
                "sha256": dequantized_sha256(t),
            }
            for t in reader.tensors
        ]
        models.append({"name": name, "file_sha256": file_sha256(path), "tensors": tensors})
    document = {
        "generator": {
            "script": "scripts/gen-dequant-hashes.py",
            "gguf": GGUF_VERSION,
            "numpy": np.__version__,
            "digest": "sha256 of each tensor's dequantized float32 values, little-endian, "
                      "in stored (row-major) order, as gguf.quants.dequantize computes them",
            "model_sha256": {m["name"]: m["file_sha256"] for m in models},
        },
        "models": [{"name": m["name"], "tensors": m["tensors"]} for m in models],
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(format_document(document))
    print(f"wrote {OUTPUT.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
