#!/usr/bin/env python3
"""Regenerates the llama.cpp embedding fixtures in this folder (see README.md).

Usage: generate.py LLAMA_EMBEDDING_BINARY   (or set LLAMA_EMBEDDING)
Each case runs llama-embedding once on one prompt line; the pooled vector is kept un-normalized
(--embd-normalize -1) so the tests can check its magnitude as well as its direction, and the
token ids come from --verbose-prompt so a tokenization mismatch is told apart from a numeric one.
"""
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LLAMA_EMBEDDING", "")
if not BINARY:
    sys.exit("usage: generate.py LLAMA_EMBEDDING_BINARY (a CPU build of llama.cpp at 84f712946729f8517c972da4eb80db810ffe3210)")
CACHE = os.environ.get("TERN_MODEL_CACHE", os.path.expanduser("~/.cache/tern/models"))
SHARED = os.environ.get("TERN_SHARED", os.path.join(HERE, "../../../../../shared"))
TEXT = "The quick brown fox jumps over the lazy dog."

# (fixture name, model path, pooling)
CASES = [
    ("SmolLM2-135M-Instruct.Q4_1-last", f"{CACHE}/SmolLM2-135M-Instruct.Q4_1.gguf", "last"),
    ("SmolLM2-135M-Instruct.Q4_1-mean", f"{CACHE}/SmolLM2-135M-Instruct.Q4_1.gguf", "mean"),
    ("SmolLM2-135M-Instruct.Q4_1-cls", f"{CACHE}/SmolLM2-135M-Instruct.Q4_1.gguf", "cls"),
    ("qwen2.5-coder-0.5b-instruct-last", f"{CACHE}/qwen2.5-coder-0.5b-instruct.gguf", "last"),
    ("gemma-3-270m-q4_k_m-last", f"{CACHE}/gemma-3-270m-q4_k_m.gguf", "last"),
    ("tiny-deepseek-r1-F16-last", f"{SHARED}/models/tiny-deepseek-r1-F16.gguf", "last"),
    ("tiny-deepseek-r1-F16-mean", f"{SHARED}/models/tiny-deepseek-r1-F16.gguf", "mean"),
]

# The settings of shared/fixtures/reference: one ubatch, no flash attention, no weight repacking.
SETTINGS = ["-c", "512", "-b", "512", "-ub", "512", "-fa", "off", "-nr", "-t", "2",
            "--embd-normalize", "-1", "--embd-output-format", "json", "--verbose-prompt"]


def run(model, pooling):
    command = [BINARY, "-m", model, "-p", TEXT, "--pooling", pooling] + SETTINGS
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    # --verbose-prompt lists the ids on stdout ahead of the JSON document.
    tokens = [int(m.group(1)) for m in re.finditer(r"^\s*(\d+) -> '", done.stdout, re.MULTILINE)]
    vector = json.loads(done.stdout[done.stdout.index("\n{"):])["data"][0]["embedding"]
    return command, tokens, vector


for name, model, pooling in CASES:
    command, tokens, vector = run(model, pooling)
    fixture = {
        "model": os.path.basename(model),
        "pooling": pooling,
        "text": TEXT,
        "command": shlex.join(os.path.basename(c) if c in (BINARY, model) else c for c in command),
        "tokens": tokens,
        "embedding": vector,
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {len(tokens)} tokens, {len(vector)} dims")
