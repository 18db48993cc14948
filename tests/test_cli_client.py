"""The CLI as an HTTP client: each verb against a small fake Ollama server that answers with canned
responses shaped per the spec and records what it was sent."""
import datetime
import hashlib
import http.server
import json
import os
import socket
import subprocess
import threading

import pytest

STATS = {"total_duration": 10706818083, "load_duration": 6338219291, "prompt_eval_count": 26,
         "prompt_eval_duration": 130079000, "eval_count": 259, "eval_duration": 4232710000}
THINKER_CAPABILITIES = ["completion", "thinking"]
GAP = "    "


def timestamp(delta):
    """An RFC 3339 time `delta` away from now, as Go writes it."""
    return (datetime.datetime.now(datetime.timezone.utc) + delta).isoformat()


class FakeOllama(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests = []
    blobs = {}

    def log_message(self, *args):
        pass

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def record(self, raw):
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = {"bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
        FakeOllama.requests.append((self.command, self.path, payload))
        return payload

    def reply(self, status, obj=None):
        data = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def stream(self, lines, split=True):
        """NDJSON in chunked encoding; each line is cut in two chunks so lines cross buffers."""
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in lines:
            data = (json.dumps(line) + "\n").encode()
            for part in ([data[:len(data) // 2], data[len(data) // 2:]] if split else [data]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def do_HEAD(self):
        self.record(b"")
        if self.path.startswith("/api/blobs/"):
            digest = self.path.split("/")[-1]
            return self.reply(200 if digest in FakeOllama.blobs else 404)
        self.reply(200)

    def do_GET(self):
        self.record(b"")
        if self.path == "/api/tags":
            return self.reply(200, {"models": [
                {"name": "deepseek-r1:671b", "model": "deepseek-r1:671b", "modified_at": timestamp(-datetime.timedelta(days=21, hours=1)),
                 "size": 404430188519, "digest": "739e1b229ad7" + "0" * 52, "details": {"family": "deepseek2"}},
                {"name": "qwen:latest", "model": "qwen:latest", "modified_at": timestamp(-datetime.timedelta(seconds=70)),
                 "size": 2500000000, "digest": "a80c4f17acd5" + "1" * 52, "details": {"family": "qwen2"}},
            ]})
        if self.path == "/api/ps":
            return self.reply(200, {"models": [
                {"name": "deepseek-r1:671b", "model": "deepseek-r1:671b", "size": 449000000000, "size_vram": 346000000000,
                 "digest": "739e1b229ad7" + "0" * 52, "details": {}, "expires_at": timestamp(datetime.timedelta(minutes=4, seconds=30)),
                 "context_length": 8192},
                {"name": "qwen:latest", "model": "qwen:latest", "size": 1000, "size_vram": 0, "digest": "a80c4f17acd5" + "1" * 52,
                 "details": {}, "expires_at": "2318-04-01T00:00:00Z", "context_length": 4096},
            ]})
        self.reply(404)

    def do_DELETE(self):
        body = self.record(self.body())
        if body["model"] == "missing":
            return self.reply(404, {"error": "model 'missing' not found"})
        self.reply(200)

    def do_POST(self):
        raw = self.body()
        if self.path.startswith("/api/blobs/"):
            self.record(raw)
            digest = self.path.split("/")[-1]
            if "sha256:" + hashlib.sha256(raw).hexdigest() != digest:
                return self.reply(400, {"error": "digest mismatch"})
            FakeOllama.blobs[digest] = raw
            return self.reply(201)
        body = self.record(raw)
        model = body.get("model", "")
        if model == "missing" and self.path != "/api/create":
            return self.reply(404, {"error": "model 'missing' not found"})
        if self.path == "/api/show":
            return self.reply(200, show_response(model))
        if self.path == "/api/copy":
            return self.reply(200)
        if self.path == "/api/create":
            return self.stream([{"status": "parsing GGUF"}, {"status": "using existing layer sha256:" + "2" * 64},
                                {"status": "writing manifest"}, {"status": "success"}])
        if self.path == "/api/generate":
            if not body.get("prompt"):
                return self.stream([{"model": model, "response": "", "done": True, "done_reason": "unload"}])
            if model == "broken":
                return self.stream([{"model": model, "response": "Hal", "done": False}, {"error": "runner crashed"}])
            thinking = [{"model": model, "response": "", "thinking": t, "done": False} for t in ["Hmm,", " France."]] \
                if model == "thinker" else []
            return self.stream(thinking + [{"model": model, "response": r, "done": False} for r in ["The", " capital", " is Paris."]]
                               + [dict({"model": model, "response": "", "done": True, "done_reason": "stop"}, **STATS)])
        if self.path == "/api/chat":
            messages = body.get("messages") or []
            if not messages:
                return self.stream([{"model": model, "message": {"role": "assistant", "content": ""}, "done": True,
                                     "done_reason": "load"}])
            said = messages[-1]["content"]
            return self.stream([{"model": model, "message": {"role": "assistant", "content": c}, "done": False}
                                for c in ["You said: ", said]]
                               + [dict({"model": model, "message": {"role": "assistant", "content": ""}, "done": True}, **STATS)])
        self.reply(404)


def show_response(model):
    return {
        "license": "MIT License\n\nCopyright (c) 2024\nPermission is hereby granted\n",
        "modelfile": "# Modelfile generated by \"ollama show\"\nFROM /blobs/sha256-abc\n",
        "parameters": 'stop                           "<|im_end|>"\ntemperature                    0.7',
        "template": "{{ .Prompt }}",
        "system": "You are helpful.",
        "details": {"parent_model": "", "format": "gguf", "family": "qwen2", "families": ["qwen2"],
                    "parameter_size": "494.03M", "quantization_level": "Q8_0"},
        "model_info": {"general.architecture": "qwen2", "qwen2.context_length": 32768, "qwen2.embedding_length": 896,
                       "tokenizer.ggml.tokens": ["<unk>", "<s>", "</s>", "a"]},
        "capabilities": THINKER_CAPABILITIES if model == "thinker" else ["completion", "tools"],
        "messages": [],
    }


@pytest.fixture
def server():
    FakeOllama.requests = []
    FakeOllama.blobs = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeOllama)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def tern_cli(tern, server, *args, input="", env=None):
    """Runs `tern ARGS` against the fake server (with TERN_HOST); stdin is a pipe."""
    environment = dict(os.environ, TERN_HOST=f"127.0.0.1:{server.server_address[1]}", **(env or {}))
    environment.pop("OLLAMA_HOST", None)
    return subprocess.run([str(tern), *args], input=input, capture_output=True, text=True, timeout=60, env=environment)


def sent(path, method="POST"):
    """The bodies the CLI sent to `path`, in order."""
    return [body for m, p, body in FakeOllama.requests if p == path and m == method]


def test_list_table(tern, server):
    result = tern_cli(tern, server, "list")
    assert result.returncode == 0, result.stderr
    # Cells padded to their column, four spaces after each; the header's last cell gets one.
    assert result.stdout.splitlines() == [
        "NAME".ljust(16) + GAP + "ID".ljust(12) + GAP + "SIZE".ljust(6) + GAP + "MODIFIED".ljust(18) + " ",
        "deepseek-r1:671b" + GAP + "739e1b229ad7" + GAP + "404 GB" + GAP + "3 weeks ago".ljust(18) + GAP,
        "qwen:latest".ljust(16) + GAP + "a80c4f17acd5" + GAP + "2.5 GB" + GAP + "About a minute ago" + GAP,
    ]
    assert FakeOllama.requests[0][:2] == ("HEAD", "/")  # the heartbeat comes first
    filtered = tern_cli(tern, server, "ls", "QW").stdout.splitlines()
    assert [line.split()[0] for line in filtered] == ["NAME", "qwen:latest"]


def test_ps_table(tern, server):
    lines = tern_cli(tern, server, "ps").stdout.splitlines()
    assert lines[0] == GAP.join(["NAME".ljust(16), "ID".ljust(12), "SIZE".ljust(6), "PROCESSOR".ljust(15), "CONTEXT",
                                 "UNTIL".ljust(18)]) + " "
    assert lines[1] == GAP.join(["deepseek-r1:671b", "739e1b229ad7", "449 GB", "23%/77% CPU/GPU", "8192   ",
                                 "4 minutes from now"]) + GAP
    assert lines[2] == GAP.join(["qwen:latest".ljust(16), "a80c4f17acd5", "1 KB  ", "100% CPU".ljust(15), "4096   ",
                                 "Forever".ljust(18)]) + GAP


def test_show_info_view(tern, server):
    result = tern_cli(tern, server, "show", "qwen")
    assert result.returncode == 0, result.stderr
    assert sent("/api/show") == [{"model": "qwen"}]
    out = result.stdout
    assert out.startswith("  Model\n    architecture        qwen2      \n    parameters          494.03M    \n")
    assert "    context length      32768      \n" in out
    assert "  Capabilities\n    completion    \n    tools         \n\n" in out
    assert '  Parameters\n    stop           "<|im_end|>"    \n    temperature    0.7             \n\n' in out
    assert "  License\n" + "".join(GAP + line.ljust(18) + GAP + "\n" for line in ["MIT License", "Copyright (c) 2024", "..."]) in out
    assert "Metadata" not in out
    verbose = tern_cli(tern, server, "show", "-v", "qwen")
    assert sent("/api/show")[-1] == {"model": "qwen", "verbose": True}
    assert "    tokenizer.ggml.tokens     [<unk> ...+3 more]    " in verbose.stdout


@pytest.mark.parametrize("flag,expected", [
    ("--modelfile", '# Modelfile generated by "ollama show"\nFROM /blobs/sha256-abc\n\n'),
    ("--parameters", 'stop                           "<|im_end|>"\ntemperature                    0.7\n'),
    ("--license", "MIT License\n\nCopyright (c) 2024\nPermission is hereby granted\n\n"),
    ("--system", "You are helpful."),
    ("--template", "{{ .Prompt }}"),
])
def test_show_raw_fields(tern, server, flag, expected):
    assert tern_cli(tern, server, "show", flag, "qwen").stdout == expected


def test_show_flags_are_exclusive(tern, server):
    result = tern_cli(tern, server, "show", "--system", "--template", "qwen")
    assert result.returncode == 1
    assert result.stderr == "Error: only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified\n"
    assert sent("/api/show") == []


def test_cp_rm_stop(tern, server):
    copied = tern_cli(tern, server, "cp", "qwen", "mine")
    assert copied.stdout == "copied 'qwen' to 'mine'\n"
    assert sent("/api/copy") == [{"source": "qwen", "destination": "mine"}]

    removed = tern_cli(tern, server, "rm", "mine", "qwen")
    assert removed.stdout == "deleted 'mine'\ndeleted 'qwen'\n"
    assert sent("/api/generate") == [{"model": "mine", "prompt": "", "keep_alive": "0s"},
                                     {"model": "qwen", "prompt": "", "keep_alive": "0s"}]
    assert sent("/api/delete", "DELETE") == [{"model": "mine"}, {"model": "qwen"}]

    stopped = tern_cli(tern, server, "stop", "qwen")
    assert stopped.returncode == 0 and stopped.stdout == ""
    missing = tern_cli(tern, server, "stop", "missing")
    assert missing.returncode == 1
    assert missing.stderr == 'Error: couldn\'t find model "missing" to stop\n'

    gone = tern_cli(tern, server, "rm", "missing")
    assert gone.returncode == 1 and gone.stderr == "Error: model 'missing' not found\n"


def test_create_uploads_the_from_file_then_creates(tern, server, tmp_path):
    weights = os.urandom(300_000)
    (tmp_path / "tiny.gguf").write_bytes(weights)
    digest = "sha256:" + hashlib.sha256(weights).hexdigest()
    (tmp_path / "Modelfile").write_text('FROM ./tiny.gguf\nTEMPLATE """{{ .Prompt }}"""\nSYSTEM Be brief.\n'
                                        "PARAMETER temperature 0.5\nPARAMETER stop a\nPARAMETER stop b\n"
                                        "MESSAGE user hi\nLICENSE MIT\n")
    result = tern_cli(tern, server, "create", "mine", "-f", str(tmp_path / "Modelfile"))
    assert result.returncode == 0, result.stderr
    assert [(m, p) for m, p, _ in FakeOllama.requests[1:]] == [
        ("HEAD", "/api/blobs/" + digest), ("POST", "/api/blobs/" + digest), ("POST", "/api/create")]
    assert sent("/api/blobs/" + digest) == [{"bytes": len(weights), "sha256": digest[7:]}]
    assert sent("/api/create") == [{
        "model": "mine", "template": "{{ .Prompt }}", "system": "Be brief.", "license": ["MIT"],
        "parameters": {"stop": ["a", "b"], "temperature": 0.5}, "messages": [{"role": "user", "content": "hi"}],
        "files": {"tiny.gguf": digest},
    }]
    assert result.stderr.splitlines() == [
        "gathering model components", f"copying file {digest[7:19]}: 100% ▕{'█' * 25}▏ 300 KB/300 KB", "parsing GGUF",
        "using existing layer sha256:" + "2" * 64, "writing manifest", "success"]

    again = tern_cli(tern, server, "create", "mine", "-f", str(tmp_path / "Modelfile"))
    assert again.returncode == 0
    assert len(sent("/api/blobs/" + digest)) == 1  # the server has it now: no second upload


def test_create_from_a_model_name(tern, server, tmp_path):
    (tmp_path / "Modelfile").write_text("FROM qwen\nPARAMETER num_ctx 8192\n")
    result = tern_cli(tern, server, "create", "mine", "-f", str(tmp_path / "Modelfile"))
    assert result.returncode == 0, result.stderr
    assert sent("/api/create") == [{"model": "mine", "parameters": {"num_ctx": 8192}, "from": "qwen"}]


def test_create_reports_a_bad_modelfile(tern, server, tmp_path):
    (tmp_path / "Modelfile").write_text("FROM qwen\nBOGUS x\n")
    result = tern_cli(tern, server, "create", "mine", "-f", str(tmp_path / "Modelfile"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: (line 2): command must be one of")


def test_run_one_shot_streams_and_prints_statistics(tern, server):
    result = tern_cli(tern, server, "run", "qwen", "What", "is", "the", "capital?", "--verbose",
                      "--format", "json", "--keepalive", "10m", "-o", "temperature=0")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The capital is Paris.\n\n"
    assert sent("/api/generate") == [{"model": "qwen", "prompt": "What is the capital?", "format": "json",
                                      "options": {"temperature": 0.0}, "keep_alive": "10m0s"}]
    assert result.stderr == ("total duration:       10.706818083s\nload duration:        6.338219291s\n"
                             "prompt eval count:    26 token(s)\nprompt eval duration: 130.079ms\n"
                             "prompt eval rate:     199.88 tokens/s\neval count:           259 token(s)\n"
                             "eval duration:        4.23271s\neval rate:            61.19 tokens/s\n")


def test_run_prepends_piped_input(tern, server):
    tern_cli(tern, server, "run", "qwen", "summarize", input="some notes")
    assert sent("/api/generate")[0]["prompt"] == "some notes summarize"


def test_run_thinking(tern, server):
    shown = tern_cli(tern, server, "run", "thinker", "hi")
    assert shown.stdout == "Thinking...\nHmm, France....done thinking.\n\nThe capital is Paris.\n\n"
    assert sent("/api/generate")[0]["think"] is True  # the model can think and --think was not given
    hidden = tern_cli(tern, server, "run", "thinker", "hi", "--hidethinking", "--think=high")
    assert hidden.stdout == "The capital is Paris.\n\n"
    assert sent("/api/generate")[1]["think"] == "high"
    tern_cli(tern, server, "run", "qwen", "hi", "--think")
    assert sent("/api/generate")[2]["think"] is True


def test_repl_keeps_the_conversation(tern, server):
    session = "\n".join(["hello", "/set parameter temperature 0.2", "/set system Be brief.", '"""again', 'and again"""',
                         "/show parameters", "/clear", "/unknown", "/bye", "never sent"]) + "\n"
    result = tern_cli(tern, server, "run", "qwen", input=session)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "You said: hello\n\n" in out
    assert "Set parameter 'temperature' to '0.2'\n" in out
    assert "Set system message.\n" in out
    assert "You said: again\nand again\n\n" in out
    assert "User defined parameters:\n  temperature                    0.2\n" in out
    assert "Cleared session context\n" in out
    assert "Unknown command '/unknown'. Type /? for help\n" in out
    assert out.count(">>> ") == 8
    chats = sent("/api/chat")
    assert chats[0] == {"model": "qwen", "messages": []}  # the load before the first prompt
    assert chats[1]["messages"] == [{"role": "user", "content": "hello"}]
    assert chats[2] == {"model": "qwen", "messages": [
        {"role": "user", "content": "hello"}, {"role": "assistant", "content": "You said: hello"},
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "again\nand again"}],
        "options": {"temperature": 0.2}}
    assert len(chats) == 3


def test_errors_are_one_line_and_exit_1(tern, server):
    missing = tern_cli(tern, server, "show", "missing")
    assert (missing.returncode, missing.stderr) == (1, "Error: model 'missing' not found\n")
    broken = tern_cli(tern, server, "run", "broken", "hi")
    assert broken.returncode == 1
    assert broken.stdout == "Hal"
    assert broken.stderr == "Error: runner crashed\n"
    bad_keepalive = tern_cli(tern, server, "run", "qwen", "hi", "--keepalive", "soon")
    assert bad_keepalive.stderr == 'Error: time: invalid duration "soon"\n'


def test_server_down(tern):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    environment = dict(os.environ, TERN_HOST=f"127.0.0.1:{port}")
    for args in (["list"], ["run", "qwen", "hi"], ["show", "qwen"]):
        result = subprocess.run([str(tern), *args], capture_output=True, text=True, timeout=30, env=environment)
        assert result.returncode == 1
        assert result.stderr == "Error: could not connect to tern server, run 'tern serve' to start it\n"
