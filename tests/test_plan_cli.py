"""`tern skeleton` and `tern plan` on DeepSeek-R1 671B Q4_K_M (issue #9's acceptance): both policies
on 8 × 48 GiB + 2 TiB, the MLA cache fitting 128K context, and a num_gpu that does not fit refused."""
import json
import subprocess

import pytest

DEVICES = "8x48GiB,ram:2TiB"


@pytest.fixture(scope="module")
def skeleton(tern, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "r1-671b.gguf"
    out = subprocess.run([str(tern), "skeleton", "--deepseek-r1-671b", str(path)], capture_output=True, text=True, check=True)
    assert "1025 tensors" in out.stdout and path.stat().st_size < 1_000_000
    return path


def plan(tern, path, *args):
    out = subprocess.run([str(tern), "plan", str(path), "--devices", DEVICES, *args, "--json"], capture_output=True, text=True)
    return out.returncode, json.loads(out.stdout) if out.stdout.strip() else None, out.stderr


def test_both_policies_side_by_side(tern, skeleton):
    rc, plans, _ = plan(tern, skeleton, "--ctx", "2048", "--policy", "both")
    assert rc == 0
    by = {p["policy"]: p for p in plans}
    tern_plan, ollama_plan = by["tern"], by["ollama"]
    assert tern_plan["fits"] and ollama_plan["fits"]
    assert ollama_plan["gpu_layers"] == 51  # Ollama's estimate for this hardware (spec §6.5.4)
    ram = next(d for d in tern_plan["devices"] if d["kind"] == "ram")
    # Only routed experts spill; the embedding is a row lookup and stays in RAM as llama.cpp keeps it.
    assert all(h.startswith("routed experts") or h == "token embedding" for h in ram["holds"])
    assert all("KV cache" not in h for h in ram["holds"])
    assert tern_plan["ram_bytes_per_token"] * 3 <= ollama_plan["ram_bytes_per_token"]
    assert tern_plan["predicted_decode_tps"] > ollama_plan["predicted_decode_tps"]


def test_long_context_fits_with_the_compressed_cache(tern, skeleton):
    rc, plans, _ = plan(tern, skeleton, "--ctx", "131072")
    assert rc == 0 and plans["fits"] and plans["context_length"] == 131072


def test_num_gpu_that_does_not_fit_is_refused(tern, skeleton):
    rc, plans, _ = plan(tern, skeleton, "--ctx", "2048", "-o", "num_gpu=61")
    assert rc != 0 and not plans["fits"]
    assert "short by" in plans["refusal"] and "num_gpu" in plans["refusal"]


def test_a_real_model_plans_on_this_machine(tern):
    from conftest import model_path
    out = subprocess.run([str(tern), "plan", str(model_path("SmolLM2-135M-Instruct.Q4_1")), "--ctx", "2048", "--json"],
                         capture_output=True, text=True, check=True)
    p = json.loads(out.stdout)
    assert p["fits"] and p["processor"] == "100% CPU" and p["total_bytes"] > 90_000_000


def test_a_gpu_plan_says_there_is_no_gpu_backend(tern, skeleton):
    out = subprocess.run([str(tern), "plan", str(skeleton), "--devices", DEVICES, "--ctx", "2048"], capture_output=True, text=True)
    assert out.returncode == 0 and "no GPU backend yet" in out.stdout
