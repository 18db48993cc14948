"""`tern tokenize` / `tern detokenize` against llama.cpp's reference ids (shared/fixtures/reference)."""
import json
import subprocess

import pytest

from conftest import MODELS, SHARED, model_path


def reference(name):
    return json.loads((SHARED / "fixtures/reference" / f"{name}.json").read_text())


@pytest.mark.parametrize("name", list(MODELS))
def test_tokenize_json_matches_llama_cpp_in_both_modes(tern, name):
    path = model_path(name)
    for case in reference(name)["tokenization"][:4]:
        for mode, flags in (("parse_special", []), ("no_parse_special", ["--no-special"])):
            out = subprocess.run([str(tern), "tokenize", str(path), "--json", *flags, "--file", "-"],
                                 input=case["text"].encode(), capture_output=True, check=True).stdout
            result = json.loads(out)
            assert result["ids"] == case[mode]["tokens"], (name, case["id"], mode)
            assert len(result["pieces"]) == len(result["ids"])


def test_plain_ids_and_detokenize_round_trip(tern):
    path = model_path("qwen2.5-coder-0.5b-instruct")
    text = "Hello, 世界! 🙂"
    ids = subprocess.run([str(tern), "tokenize", str(path), text], capture_output=True, text=True, check=True).stdout.split()
    assert all(i.isdigit() for i in ids)
    back = subprocess.run([str(tern), "detokenize", str(path), *ids], capture_output=True, text=True, check=True).stdout
    assert back.rstrip("\n") == text
