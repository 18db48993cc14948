"""Shared settings for the Python-side tests: where the tern binary, the models and shared/ are."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("TERN_SHARED") or ROOT.parent / "shared")
MODEL_CACHE = pathlib.Path(os.environ.get("TERN_MODEL_CACHE") or pathlib.Path.home() / ".cache/tern/models")
TERN = pathlib.Path(os.environ.get("TERN_BIN") or ROOT / ".build/debug/tern")

MODELS = {
    "SmolLM2-135M-Instruct.Q4_1": MODEL_CACHE / "SmolLM2-135M-Instruct.Q4_1.gguf",
    "gemma-3-270m-q4_k_m": MODEL_CACHE / "gemma-3-270m-q4_k_m.gguf",
    "qwen2.5-coder-0.5b-instruct": MODEL_CACHE / "qwen2.5-coder-0.5b-instruct.gguf",
    "tiny-deepseek-r1-F16": SHARED / "models/tiny-deepseek-r1-F16.gguf",
    "tiny-deepseek-r1-Q8_0": SHARED / "models/tiny-deepseek-r1-Q8_0.gguf",
    "tiny-deepseek-r1-Q4_K_M": SHARED / "models/tiny-deepseek-r1-Q4_K_M.gguf",
}


def model_path(name):
    """The model's path; a missing model fails the test under CI and skips it elsewhere."""
    path = MODELS[name]
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: run scripts/fetch-models")
        pytest.skip(f"{path} is missing: run scripts/fetch-models")
    return path


@pytest.fixture(scope="session")
def tern():
    if not TERN.exists():
        pytest.fail(f"{TERN} is missing: build it with `swift build` (or set TERN_BIN)")
    return TERN
