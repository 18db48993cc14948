"""`tern run --raw` as a user runs it: the greedy continuation llama.cpp prints, and the --verbose
statistics block in Ollama's format."""
import json
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import model_path

GOLDEN = json.loads((pathlib.Path(__file__).parent / "fixtures/llama-simple-capital.json").read_text())


@pytest.mark.parametrize("name", list(GOLDEN["continuations"]))
def test_raw_greedy_continuation_matches_llama_cpp(tern, name):
    path = model_path(name)
    result = subprocess.run(
        [str(tern), "run", "--raw", "-o", "temperature=0", "-o", f"num_predict={GOLDEN['n_predict']}", str(path),
         GOLDEN["prompt"]], capture_output=True, text=True, check=True)
    assert result.stdout == GOLDEN["continuations"][name] + "\n"


def test_verbose_prints_the_statistics_block(tern):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    result = subprocess.run([str(tern), "run", "--raw", "--verbose", "-o", "num_predict=4", "-o", "seed=1", str(path),
                             "Hello"], capture_output=True, text=True, check=True)
    labels = [line.split(":")[0] for line in result.stderr.splitlines()]
    assert labels == ["total duration", "load duration", "prompt eval count", "prompt eval duration",
                      "prompt eval rate", "eval count", "eval duration", "eval rate"]
    assert re.search(r"^eval count:           4 token\(s\)$", result.stderr, re.M)
    assert re.search(r"^prompt eval rate:     \d+\.\d\d tokens/s$", result.stderr, re.M)


def test_bad_option_is_one_clear_line(tern):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    result = subprocess.run([str(tern), "run", "--raw", "-o", "num_ctx=lots", str(path), "Hi"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip() == 'Error: option "num_ctx" must be of type integer'


def test_bench_json_has_llama_bench_fields(tern):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    out = subprocess.run([str(tern), "bench", "-m", str(path), "-p", "8", "-n", "4", "-t", "1", "-r", "1", "--json"],
                         capture_output=True, text=True, check=True).stdout
    records = json.loads(out)
    assert [(r["n_prompt"], r["n_gen"]) for r in records] == [(8, 0), (0, 4)]
    for r in records:
        assert {"model_filename", "n_prompt", "n_gen", "n_depth", "n_threads", "avg_ts", "stddev_ts"} <= r.keys()
        assert r["avg_ts"] > 0 and r["n_threads"] == 1 and r["n_depth"] == 0


def test_bench_over_a_filled_cache(tern):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    run = [str(tern), "bench", "-m", str(path), "-p", "4", "-n", "2", "-d", "16", "-t", "1", "-r", "1"]
    records = json.loads(subprocess.run(run + ["--json"], capture_output=True, text=True, check=True).stdout)
    assert [(r["n_prompt"], r["n_gen"], r["n_depth"]) for r in records] == [(4, 0, 16), (0, 2, 16)]
    table = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "| pp4 @ d16 |" in table and "| tg2 @ d16 |" in table
    refused = subprocess.run([str(tern), "bench", "-m", str(path), "--n-depth=-1"], capture_output=True, text=True)
    assert refused.returncode != 0 and "--n-depth must be 0 or more" in refused.stderr


def test_repl_sets_parameters_answers_and_exits(tern):
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    session = "\n".join([
        "/set parameter num_predict 3",
        "/set parameter temperature 0",
        '"""The capital',
        'of France is"""',
        "/show info",
        "/unknown",
        "/bye",
        "never sent",
    ]) + "\n"
    result = subprocess.run([str(tern), "run", "--raw", str(path)], input=session, capture_output=True, text=True,
                            timeout=120, check=True)
    out = result.stdout
    assert "Set parameter 'num_predict' to '3'" in out
    assert "Set parameter 'temperature' to '0'" in out
    assert "... " in out  # the multi-line continuation prompt
    # The multi-line message is "The capital\nof France is": the REPL answers it as the one-shot path does.
    one_shot = subprocess.run([str(tern), "run", "--raw", "-o", "num_predict=3", "-o", "temperature=0", str(path),
                               "The capital\nof France is"], capture_output=True, text=True, check=True).stdout
    assert one_shot.strip() and one_shot in out
    assert "architecture        llama" in out
    assert "Unknown command '/unknown'. Type /? for help" in out
    assert out.count(">>> ") == 6  # one prompt per message read; none after /bye


@pytest.mark.parametrize("name", list(GOLDEN["continuations"]))
def test_peak_memory_is_the_mapped_file_plus_a_little(tern, name):
    """Peak RSS ≤ file size + KV cache + 150 MB: weights stay in the mapping, nothing is copied."""
    import os
    path = model_path(name)
    # A fresh, small interpreter starts tern and reads its rusage: a child forked from this pytest
    # process would report this process's size as its peak (ru_maxrss survives exec).
    measure = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, "
               "stderr=subprocess.DEVNULL); _, st, ru = os.wait4(p.pid, 0); print(st, ru.ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", measure, str(tern), "run", "--raw", "-o", "num_predict=8", "-o", "num_ctx=512",
                          str(path), "Hello"], capture_output=True, text=True, check=True).stdout.split()
    status, usage_kb = int(out[0]), int(out[1])
    assert status == 0
    peak = usage_kb * 1024
    # 512 positions of f16 K and V at ≤ 1024 values per layer and 30 layers is < 64 MB: within the margin.
    assert peak <= path.stat().st_size + 150 * 1024 * 1024, f"peak RSS {peak} bytes"


def test_ctrl_c_stops_the_answer_not_the_program(tern):
    """SIGINT ends the generation within a token; the one-shot run then exits normally."""
    import signal
    import time
    path = model_path("SmolLM2-135M-Instruct.Q4_1")
    proc = subprocess.Popen([str(tern), "run", "--raw", "-o", "num_predict=100000", "-o", "num_ctx=8192", str(path),
                             "Once upon a time"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.read(20)  # wait until tokens are streaming
    assert first
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert proc.returncode == 0, err
