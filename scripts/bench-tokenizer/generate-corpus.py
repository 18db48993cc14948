#!/usr/bin/env python3
"""Writes corpus.json: llama.cpp's token ids for a wide corpus of texts, on the test models and on
variants of them whose tokenizer metadata is changed (other pre-tokenizers on DeepSeek-R1's
vocabulary, SentencePiece with a space prefix, Phi-3's whitespace stripping).

It needs a CPU build of llama.cpp at commit 84f712946729f8517c972da4eb80db810ffe3210 and the
`gguf` Python package. From the repository root, with LLAMA the llama.cpp checkout:

    c++ -O2 -std=c++17 scripts/bench-tokenizer/llama-tokenizer.cpp -I$LLAMA/include -I$LLAMA/ggml/include \
        -L$LLAMA/build/bin -lllama -Wl,-rpath,$LLAMA/build/bin -o /tmp/llama-tokenizer
    python3 scripts/bench-tokenizer/generate-corpus.py /tmp/llama-tokenizer

Variants are written header-only (no tensors) to a temporary folder; Swift tests rebuild the same
headers in memory with the same overrides.
"""
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUTPUT = os.path.join(ROOT, "Tests", "TokenizerTests", "Fixtures", "corpus.json")
SHARED = os.environ.get("TERN_SHARED", os.path.join(ROOT, "..", "shared"))
CACHE = os.environ.get("TERN_MODEL_CACHE", os.path.expanduser("~/.cache/tern/models"))

MODELS = {
    "SmolLM2-135M-Instruct.Q4_1": os.path.join(CACHE, "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "gemma-3-270m-q4_k_m": os.path.join(CACHE, "gemma-3-270m-q4_k_m.gguf"),
    "qwen2.5-coder-0.5b-instruct": os.path.join(CACHE, "qwen2.5-coder-0.5b-instruct.gguf"),
    "tiny-deepseek-r1-F16": os.path.join(SHARED, "models", "tiny-deepseek-r1-F16.gguf"),
}

R1 = "tiny-deepseek-r1-F16"
# (name, base model, metadata overrides)
VARIANTS = [
    ("smollm2", "SmolLM2-135M-Instruct.Q4_1", {}),
    ("gemma3", "gemma-3-270m-q4_k_m", {}),
    ("qwen25", "qwen2.5-coder-0.5b-instruct", {}),
    ("r1", R1, {}),
    ("r1-llama-bpe", R1, {"tokenizer.ggml.pre": "llama-bpe"}),
    ("r1-deepseek-v3", R1, {"tokenizer.ggml.pre": "deepseek-v3"}),
    ("r1-default", R1, {"tokenizer.ggml.pre": "default"}),
    ("r1-gpt-2", R1, {"tokenizer.ggml.pre": "gpt-2"}),
    ("r1-qwen35", R1, {"tokenizer.ggml.pre": "qwen35"}),
    ("r1-falcon", R1, {"tokenizer.ggml.pre": "falcon"}),
    ("smollm2-starcoder", "SmolLM2-135M-Instruct.Q4_1", {"tokenizer.ggml.pre": "starcoder"}),
    ("gemma3-space-prefix", "gemma-3-270m-q4_k_m", {"tokenizer.ggml.add_space_prefix": True}),
]

SPECIAL_STRINGS = [
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>",
    "<｜Assistant｜>", "<think>", "</think>", "<tool_call>", "<start_of_turn>", "<end_of_turn>", "<bos>", "<eos>",
    "<pad>", "<unused7>", "[multimodal]", "<table>", "</td>", "<|fim_prefix|>", "[PAD151700]", "<jupyter_code>",
    "<repo_name>", "<h1>", "<s>", "</s>", "<0x41>", "<|EOT|>",
]

HANDWRITTEN = [
    "", " ", "  ", "\n", "\n\n", "\t", "a", "Hello world", " Hello world", "Hello world ", "Hello  world   ",
    "I'm can't we'll they're you've she'd it's", "I'M CAN'T WE'LL THEY'RE YOU'VE SHE'D IT'S", "don’t won’t", "''s 'x '",
    "12345 3.14159 1,000,000", "1234567890123", "٣٤٥ ①②③ Ⅻ １２３ ¹²³ ½", "0x1F 1e-9 +42 -7",
    "你好，世界！今天天气很好。", "日本語のテキスト、カタカナとひらがな。", "안녕하세요 세계", "一二三四五六七八九十 〇 龥龦",
    "café naïve résumé", "e\u0301 a\u0308 n\u0303", "Z\u0351\u0328a\u0301\u0300l\u0364g\u0347o", "नमस्ते दुनिया", "สวัสดีชาวโลก",
    "مرحبا بالعالم", "שלום עולם", "Привет, мир!", "Γειά σου Κόσμε",
    "🦙🚀 emoji", "👨‍👩‍👧‍👦 family", "🇺🇸🇯🇵 flags", "👍🏽👍🏿", "1️⃣ #️⃣", "❤️‍🔥",
    "tabs\tand\r\nCRLF", "a\rb\r\r\nc", "\n\n\nx\n\n", "x   \n   y", "\u00a0nbsp\u00a0", "\u3000ideographic\u3000space",
    "line\u2028separator\u2029para", "next\u0085line", "v\x0btab\x0cfeed", "\u200bzero\u200dwidth\ufeffbom",
    "\x00\x01\x02\x1f\x7f control", "    indented code():\n        return x**2", "def f(a, b):\n\treturn a+b  # sum\n",
    "int main() { printf(\"%d\\n\", 42); }", "{\"key\": [1, 2, {\"x\": null}]}", "```python\nprint('hi')\n```",
    "<table><tr><td>1</td></tr></table>", "<b>bold</b> <i>it</i>", "!!!???...,,,", "~~~ a~b ~abc x~~y", "`code` $$$ ^_^",
    "(｡◕‿◕｡) ¯\\_(ツ)_/¯", "a—b–c…d", "«quotes» „low“ ‘single’", "→ ⇒ ∀x∈ℝ: x² ≥ 0", "© ® ™ € £ ¥",
    "http://example.com/path?q=1&r=2#frag", "user@example.com", "C:\\Users\\name\\file.txt", "#hashtag @mention",
    "<|im_start|>user\nhi<|im_end|>", "<|im_start|im_end|>", "<<|im_start|>>", "<｜begin▁of▁sentence｜><｜User｜>hi",
    "<think>\nreasoning\n</think>\n\nanswer", "<start_of_turn>user\nhello<end_of_turn>\n<start_of_turn>model",
    "<bos><bos>text<eos>", "<unused12> <unused999>", "[multimodal] [PAD151665]", "<|endoftext|><|endoftext|>",
    "<s> text </s>", "  <|im_end|>  after", "<|im_end|>\n\n", "x<|fim_prefix|>y<|fim_suffix|>z<|fim_middle|>",
    "a" * 300, "ab" * 150, "1234567890" * 20, " " * 200 + "x", "\n" * 40, "\t" * 35 + "x", "🦙" * 30,
    "你" * 100, "Hello世界123abc", "ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "ℌ𝔢𝔩𝔩𝔬 𝐁𝐨𝐥𝐝", "\u2ffc\u2ffd\u31ef new in 15.1",
    "\U0002ebf0\U0002ebf1 CJK ext I", "\u0378\u0379 unassigned", "\ue000\uf8ff private use",
]

INVALID = [
    b"\xff", b"\xc3", b"a\xc3(b", b"\xe2\x82", b"\xe2\x82x", b"\xc0\xaf overlong", b"\xed\xa0\x80 surrogate",
    b"\x80\x80\x80", b"ok\xfe\xffok", b"\xf0\x9f\x98", b"\xf0\x9f\x98\x80\xf0\x9f", b"caf\xe9", b"\xe4\xbd\xa0\xe5",
    b"<|im_start|>\xff<|im_end|>", b"\xf8\x88\x80\x80\x80",
]


def random_text(rng: random.Random) -> bytes:
    pools = [
        lambda: rng.choice(["the", "quick", "Brown", "FOX", "jumps", "over", "lazy", "dog", "tokenizer", "I'm", "it's"]),
        lambda: str(rng.randint(0, 10 ** rng.randint(1, 12))),
        lambda: rng.choice(" \t\n\r\u00a0\u3000\u2028\u0085\x0b\x0c") * rng.randint(1, 5),
        lambda: rng.choice("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") * rng.randint(1, 3),
        lambda: "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(1, 6))),
        lambda: "".join(chr(rng.randint(0x3040, 0x30FF)) for _ in range(rng.randint(1, 6))),
        lambda: "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 4))),
        lambda: chr(rng.randint(0x1F300, 0x1FAFF)) + rng.choice(["", "\u200d" + chr(rng.randint(0x1F300, 0x1F5FF)), "\U0001F3FD", "\ufe0f"]),
        lambda: rng.choice("aeiou") + "".join(chr(rng.randint(0x300, 0x36F)) for _ in range(rng.randint(1, 3))),
        lambda: "".join(chr(rng.randint(0x900, 0x97F)) for _ in range(rng.randint(1, 5))),
        lambda: "".join(chr(rng.randint(0x600, 0x6FF)) for _ in range(rng.randint(1, 5))),
        lambda: "".join(chr(rng.randint(0x2190, 0x23FF)) for _ in range(rng.randint(1, 3))),
        lambda: "".join(chr(rng.randint(0xFF01, 0xFF5E)) for _ in range(rng.randint(1, 4))),
        lambda: chr(rng.randint(0, 0x1F)),
        lambda: chr(rng.randint(0x80, 0x2FFF)),
        lambda: chr(rng.randint(0x10000, 0x10FFFF)),
        lambda: rng.choice(SPECIAL_STRINGS),
        lambda: rng.choice(["'s", "'T", "'re", "'VE", "'m", "'Ll", "'d", "’s"]),
    ]
    parts = [rng.choice(pools)() for _ in range(rng.randint(1, 24))]
    text = "".join(parts).encode("utf-8", "surrogatepass")
    if rng.random() < 0.15:  # a few malformed bytes; never a lead byte past F3, which llama.cpp cannot re-encode
        i = rng.randint(0, len(text))
        text = text[:i] + bytes(rng.choice(list(range(0x80, 0xF4)) + list(range(0xF8, 0x100))) for _ in range(rng.randint(1, 3))) + text[i:]
    return text


def corpus() -> list[bytes]:
    rng = random.Random(20261129)
    texts = [t.encode("utf-8") for t in HANDWRITTEN] + INVALID
    texts += [random_text(rng) for _ in range(300)]
    return texts


def write_variant(base: str, overrides: dict, path: str) -> None:
    """Copies the base model's metadata (no tensors) with `overrides` applied."""
    reader = gguf.GGUFReader(base)
    writer = gguf.GGUFWriter(path, arch=reader.fields["general.architecture"].contents())
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        value = overrides.get(key, field.contents())
        kind = field.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(key, value, kind, sub_type=field.types[-1])
        else:
            writer.add_key_value(key, value, kind)
    for key, value in overrides.items():
        if key not in reader.fields:
            writer.add_key_value(key, value, gguf.GGUFValueType.BOOL if isinstance(value, bool) else gguf.GGUFValueType.STRING)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main() -> None:
    tool = sys.argv[1]
    texts = corpus()
    out = {"llama_cpp_commit": "84f712946729f8517c972da4eb80db810ffe3210",
           "texts_hex": [t.hex() for t in texts], "variants": []}
    with tempfile.TemporaryDirectory() as tmp:
        blob = os.path.join(tmp, "texts.bin")
        with open(blob, "wb") as f:
            for t in texts:
                f.write(struct.pack("<I", len(t)) + t)
        for name, base, overrides in VARIANTS:
            model = MODELS[base]
            if overrides:
                model = os.path.join(tmp, name + ".gguf")
                write_variant(MODELS[base], overrides, model)
            lines = subprocess.run([tool, "corpus", model, blob], check=True, capture_output=True, text=True).stdout.splitlines()
            # Per text: ids with special parsing on and off, and the decoding of the first ids
            # (rendering specials; then without them, where that differs).
            results = [None] * len(texts)
            for line in lines:
                index, mode, ids, text_hex, plain_hex = line.split("\t")
                entry = results[int(index)] or {}
                entry[mode] = [int(x) for x in ids.split()]
                if mode == "P":
                    entry["text_hex"] = text_hex
                    if plain_hex != text_hex:
                        entry["text_plain_hex"] = plain_hex
                results[int(index)] = entry
            assert all(r is not None for r in results), name
            out["variants"].append({"name": name, "model": base, "overrides": overrides, "results": results})
            print(name, "done", file=sys.stderr)
    with open(OUTPUT, "w") as f:
        json.dump(out, f, ensure_ascii=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
