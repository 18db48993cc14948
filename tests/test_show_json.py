"""`tern show --json` must read every model exactly as the PyPI `gguf` package (gguf-py) reads it:
the same keys in the same order, value types, values, tensor names, types, shapes and offsets."""
import json
import math
import subprocess

import gguf
import numpy as np
import pytest

from conftest import MODELS, model_path


def gguf_py_value(field):
    """A field's value as plain Python, and its type names ([outer, inner...] for arrays)."""
    types = [t.name.lower() for t in field.types]
    return field.contents(), types


def same(ours, theirs, type_name):
    """Value equality; floats compared as the stored width (non-finite ones arrive as "nan"/"inf" strings)."""
    floats = {"float32": np.float32, "float64": np.float64}
    if isinstance(ours, list):
        if type_name in floats and not any(isinstance(x, list) for x in ours):
            a, b = np.array(ours, dtype=floats[type_name]), np.array(theirs, dtype=floats[type_name])
            return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
        return len(ours) == len(theirs) and all(same(a, b, type_name) for a, b in zip(ours, theirs))
    if type_name in floats:
        return np.array_equal(floats[type_name](ours), floats[type_name](theirs), equal_nan=True)
    return ours == theirs


@pytest.mark.parametrize("name", list(MODELS))
def test_show_json_agrees_with_gguf_py(tern, name):
    path = model_path(name)
    ours = json.loads(subprocess.run([str(tern), "show", "--json", "--full", str(path)],
                                     check=True, capture_output=True, text=True).stdout)
    reader = gguf.GGUFReader(str(path))

    # gguf-py lists the header's three fixed fields (GGUF.version, .tensor_count, .kv_count) as fields too.
    fields = [f for f in reader.fields.values() if not f.name.startswith("GGUF.")]
    assert list(ours["metadata"]) == [f.name for f in fields]
    for field in fields:
        entry = ours["metadata"][field.name]
        value, types = gguf_py_value(field)
        if types[0] == "array":
            assert entry["type"] == "array", field.name
            assert entry["element_type"] == types[1], field.name
            assert entry["count"] == len(value), field.name
            element = types[-1]
            assert same(entry["value"], value, element), field.name
        else:
            assert entry["type"] == types[0], field.name
            assert same(entry["value"], value, types[0]), field.name

    assert len(ours["tensors"]) == len(reader.tensors)
    for t, r in zip(ours["tensors"], reader.tensors):
        assert t["name"] == r.name
        assert t["type"].lower() == gguf.GGMLQuantizationType(r.tensor_type).name.lower()
        assert t["shape"] == [int(d) for d in r.shape]
        assert ours["data_offset"] + t["offset"] == r.data_offset, t["name"]
        assert t["size"] == r.n_bytes, t["name"]


def test_show_json_elides_long_arrays(tern):
    path = model_path("tiny-deepseek-r1-Q4_K_M")
    ours = json.loads(subprocess.run([str(tern), "show", "--json", str(path)],
                                     check=True, capture_output=True, text=True).stdout)
    tokens = ours["metadata"]["tokenizer.ggml.tokens"]
    assert tokens == {"type": "array", "element_type": "string", "count": 152064}
    assert ours["summary"]["architecture"] == "deepseek2"
    assert ours["summary"]["expert_count"] == 8 and ours["summary"]["expert_used_count"] == 2


def test_show_reports_a_corrupt_file_in_one_line(tern, tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(model_path("tiny-deepseek-r1-Q8_0").read_bytes()[:5000])
    result = subprocess.run([str(tern), "show", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: key tokenizer.ggml.tokens:"), result.stderr
