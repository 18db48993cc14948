"""The model library (issue #10): `tern serve` instances on loopback with separate stores serving
each other over the registry protocol (spec §5.5–§5.8): ranges, pulls with Ollama's status lines,
resume after a killed puller, corrupt bytes re-fetched, TERN_LIBRARY mirrors, push, pull + rm.
The transfers that matter move the 491 MB Qwen model (five 100 MB parts); SmolLM2 serves where
the size does not."""
import concurrent.futures
import filecmp
import functools
import hashlib
import http.client
import http.server
import json
import os
import pty
import re
import shutil
import signal
import socketserver
import subprocess
import threading
import time

import ollama
import pytest

from conftest import model_path
from tern_server import TernServer, free_port


@functools.lru_cache
def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_path(server, name, host="registry.ollama.ai", namespace="library"):
    model, tag = name.split(":")
    return server.models_dir / "manifests" / host / namespace / model / tag


def stream_lines(server, path, body):
    """POSTs `body` and returns every NDJSON line of the answer."""
    status, _, data = server.request("POST", path, body, timeout=300)
    assert status == 200, data
    return [json.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def gguf():
    return model_path("SmolLM2-135M-Instruct.Q4_1")


@pytest.fixture(scope="module")
def qwen():
    return model_path("qwen2.5-coder-0.5b-instruct")


def stop_and_remove(server):
    """Stops a Tern and deletes its store: the Qwen copies would fill /tmp run after run."""
    code = server.stop()
    shutil.rmtree(server.models_dir, ignore_errors=True)
    return code


@pytest.fixture(scope="module")
def library(tern, tmp_path_factory, gguf, qwen):
    """The library: holds smollm2 (the GGUF and a template) and qwen, and accepts pushes."""
    root = tmp_path_factory.mktemp("library")
    s = TernServer(tern, root / "models", root / "serve.log", TERN_LIBRARY_PUSH="on")
    client = ollama.Client(host=s.url)
    digest = client.create_blob(gguf)
    assert client.create(model="smollm2", files={"SmolLM2.gguf": digest}).status == "success"
    assert client.create(model="smollm2-concise", from_="smollm2", system="Be brief.").status == "success"
    assert client.create(model="qwen", files={"qwen.gguf": client.create_blob(qwen)}).status == "success"
    yield s
    assert stop_and_remove(s) == 0, open(root / "serve.log").read()


@pytest.fixture
def fresh(tern, tmp_path, library):
    """A new, empty Tern whose TERN_LIBRARY is the library; stopped and its store deleted after the test."""
    servers = []

    def start(models=None, **env):
        env.setdefault("TERN_LIBRARY", f"http://127.0.0.1:{library.port}")
        s = TernServer(tern, models or tmp_path / f"models{len(servers)}", tmp_path / f"serve{len(servers)}.log", **env)
        servers.append(s)
        return s

    yield start
    for s in servers:
        stop_and_remove(s)


@pytest.fixture(scope="module")
def qwen_puller(tern, tmp_path_factory, library):
    """A second Tern that pulled qwen from the library: its status lines and the server."""
    root = tmp_path_factory.mktemp("puller")
    s = TernServer(tern, root / "models", root / "serve.log")
    lines = stream_lines(s, "/api/pull", {"model": library_name(library, "qwen:latest"), "insecure": True})
    yield s, lines
    assert stop_and_remove(s) == 0, open(root / "serve.log").read()


def part_count(size):
    """How many parts Ollama's plan (§5.7) cuts `size` bytes into: 16, clamped to 100 MB – 1 GB each."""
    part = min(max(size // 16, 100_000_000), 1_000_000_000)
    return -(-size // part)


def merged(spans):
    """Inclusive (first, last) byte spans merged where they touch or overlap, and their total length."""
    result = []
    for first, last in sorted(spans):
        if result and first <= result[-1][1] + 1:
            result[-1] = (result[-1][0], max(result[-1][1], last))
        else:
            result.append((first, last))
    return result, sum(last - first + 1 for first, last in spans)


def requested(ranges):
    """The byte spans of `bytes=first-last` Range headers, merged, and the bytes asked for in all."""
    return merged([tuple(int(n) for n in r[len("bytes="):].split("-")) for r in ranges])


def library_name(library, model="smollm2:latest"):
    return f"127.0.0.1:{library.port}/library/{model}"


# --- serving ---------------------------------------------------------------------------------

def test_registry_base_and_manifests(library):
    status, headers, body = library.request("GET", "/v2/")
    assert status == 200 and json.loads(body) == {}
    status, headers, body = library.request("GET", "/v2/library/smollm2/manifests/latest",
                                            headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
    assert status == 200
    assert body == manifest_path(library, "smollm2:latest").read_bytes()
    assert headers["content-type"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert headers["docker-content-digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    status, headers, head_body = library.request("HEAD", "/v2/library/smollm2/manifests/latest")
    assert status == 200 and head_body == b"" and int(headers["content-length"]) == len(body)
    status, _, body = library.request("GET", "/v2/library/nope/manifests/latest")
    assert status == 404 and json.loads(body)["errors"][0]["code"] == "MANIFEST_UNKNOWN"


def test_blobs_whole_and_by_range(library, gguf):
    digest = "sha256:" + sha256_file(gguf)
    size = gguf.stat().st_size
    path = f"/v2/library/smollm2/blobs/{digest}"
    status, headers, _ = library.request("HEAD", path)
    assert status == 200 and int(headers["content-length"]) == size and headers["accept-ranges"] == "bytes"
    status, headers, body = library.request("GET", path)
    assert status == 200 and hashlib.sha256(body).hexdigest() == digest[7:]
    data = gguf.read_bytes()
    for header, start, end in [("bytes=10-19", 10, 19), ("bytes=-5", size - 5, size - 1),
                               (f"bytes={size - 3}-", size - 3, size - 1), (f"bytes=5-{size + 100}", 5, size - 1)]:
        status, headers, body = library.request("GET", path, headers={"Range": header})
        assert status == 206, header
        assert headers["content-range"] == f"bytes {start}-{end}/{size}", header
        assert body == data[start:end + 1], header
    status, headers, _ = library.request("GET", path, headers={"Range": f"bytes={size}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}"
    assert library.request("GET", "/v2/library/smollm2/blobs/sha256:" + "0" * 64)[0] == 404
    assert library.request("GET", "/v2/library/smollm2/blobs/nonsense")[0] == 400


def test_uploads_refused_unless_enabled(fresh):
    closed = fresh()
    status, _, body = closed.request("POST", "/v2/library/x/blobs/uploads/")
    assert status == 403 and "TERN_LIBRARY_PUSH=on" in json.loads(body)["errors"][0]["message"]


# --- pulling ---------------------------------------------------------------------------------

def test_pull_of_qwen_status_lines_bytes_and_manifest(library, qwen_puller, qwen):
    puller, lines = qwen_puller
    statuses = [line["status"] for line in lines]
    assert statuses[0] == "pulling manifest"
    assert statuses[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    manifest = json.loads(manifest_path(library, "qwen:latest").read_bytes())
    digests = [layer["digest"] for layer in manifest["layers"]] + [manifest["config"]["digest"]]
    layer_lines = [line for line in lines if "digest" in line]
    assert [d for d in dict.fromkeys(line["digest"] for line in layer_lines)] == digests
    for line in layer_lines:
        assert line["status"] == "pulling " + line["digest"][7:19]
        assert 0 <= line["completed"] <= line["total"]
    for digest in digests:
        progress = [line["completed"] for line in layer_lines if line["digest"] == digest]
        assert progress == sorted(progress) and progress[-1] == manifest_size(manifest, digest)
    weights_hex = sha256_file(qwen)
    assert len([line for line in layer_lines if line["digest"] == "sha256:" + weights_hex]) > 2  # progress while it ran
    host = f"127.0.0.1:{library.port}"
    pulled = manifest_path(puller, "qwen:latest", host=host)
    assert pulled.read_bytes() == manifest_path(library, "qwen:latest").read_bytes()
    assert filecmp.cmp(puller.models_dir / "blobs" / ("sha256-" + weights_hex), qwen, shallow=False)
    assert not [p for p in (puller.models_dir / "blobs").iterdir() if "partial" in p.name]
    # Pulling again finds every blob present: each layer is reported complete at once.
    again = stream_lines(puller, "/api/pull", {"model": library_name(library, "qwen:latest"), "insecure": True})
    assert all(line["completed"] == line["total"] for line in again if "digest" in line)
    shown = ollama.Client(host=puller.url).show(f"{host}/library/qwen:latest")
    assert shown.modelinfo["general.architecture"] == "qwen2"


def manifest_size(manifest, digest):
    return next(layer["size"] for layer in manifest["layers"] + [manifest["config"]] if layer["digest"] == digest)


def test_ollama_client_pull_stream_and_errors(library, fresh):
    puller = fresh()
    client = ollama.Client(host=puller.url)
    updates = list(client.pull(library_name(library), insecure=True, stream=True))
    assert updates[0].status == "pulling manifest" and updates[-1].status == "success"
    assert any(u.digest and u.total for u in updates)
    with pytest.raises(ollama.ResponseError) as error:
        client.pull(library_name(library, "nope:latest"), insecure=True)
    assert "pull model manifest: file does not exist" in str(error.value)
    with pytest.raises(ollama.ResponseError) as error:
        client.pull(f"http://127.0.0.1:{library.port}/library/smollm2")
    assert "insecure protocol http" in str(error.value)


def test_library_mirror_first_for_unqualified_names(library, fresh):
    puller = fresh(TERN_LIBRARY=f"http://127.0.0.1:{free_port()},http://127.0.0.1:{library.port}")
    lines = stream_lines(puller, "/api/pull", {"model": "smollm2"})
    assert lines[-1] == {"status": "success"}
    assert manifest_path(puller, "smollm2:latest").read_bytes() == manifest_path(library, "smollm2:latest").read_bytes()
    assert [m.model for m in ollama.Client(host=puller.url).list().models] == ["smollm2:latest"]
    lines = stream_lines(puller, "/api/pull", {"model": "nope"})
    assert lines[-1] == {"error": "pull model manifest: file does not exist"}


# --- the CLI's progress bars -----------------------------------------------------------------

BAR = r"\d+% ▕[█ ]{25}▏ [\d.]+ [KMGT]?B/[\d.]+ [KMGT]?B"
FULL_BAR = r"100% ▕█{25}▏ ([\d.]+ [KMGT]?B)/\1"


def cli(tern, server, *args):
    return subprocess.run([str(tern), *args], env=dict(os.environ, TERN_HOST=f"127.0.0.1:{server.port}"),
                          capture_output=True, text=True, timeout=300)


def cli_in_terminal(tern, server, *args, cwd=None):
    """Runs the CLI with stderr on a pseudo-terminal, where progress is redrawn in place; returns
    its exit code and every state it drew, one per redraw."""
    master, slave = pty.openpty()
    process = subprocess.Popen([str(tern), *args], env=dict(os.environ, TERN_HOST=f"127.0.0.1:{server.port}"), cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    states = [s.strip() for s in re.split(r"\r\x1b\[K|\r?\n", drawn.decode()) if s.strip()]
    return process.wait(timeout=300), states


def test_cli_pull_draws_progress(library, fresh, tern):
    puller = fresh()
    done = cli(tern, puller, "pull", "--insecure", library_name(library))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "pulling manifest" and lines[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    assert lines[1:-3] and all(re.fullmatch("pulling [0-9a-f]{12}: " + FULL_BAR, line) for line in lines[1:-3]), lines
    failed = cli(tern, puller, "pull", "--insecure", library_name(library, "nope:x"))
    assert failed.returncode != 0 and "Error: pull model manifest: file does not exist" in failed.stderr


def test_cli_push_draws_progress(library, fresh, tern, gguf):
    target = fresh(TERN_LIBRARY_PUSH="on")
    name = f"127.0.0.1:{target.port}/team/smollm2-cli:v1"
    assert library.request("POST", "/api/copy", {"source": "smollm2", "destination": name})[0] == 200
    for _ in range(2):  # the second push finds every blob there: each bar is full at once
        done = cli(tern, library, "push", "--insecure", name)
        assert done.returncode == 0, done.stderr
        lines = done.stderr.splitlines()
        assert lines[0] == "retrieving manifest" and lines[-2:] == ["pushing manifest", "success"]
        assert all(re.fullmatch("pushing [0-9a-f]{12}: " + FULL_BAR, line) for line in lines[1:-2]), lines
        assert f"pushing {sha256_file(gguf)[:12]}: 100% ▕{'█' * 25}▏ 98 MB/98 MB" in lines


def test_cli_create_draws_the_copy_with_size_speed_and_time_left(fresh, tern, qwen, tmp_path):
    server = fresh()
    (tmp_path / "qwen.gguf").symlink_to(qwen)
    (tmp_path / "Modelfile").write_text("FROM ./qwen.gguf\n")
    code, states = cli_in_terminal(tern, server, "create", "coder", "-f", "Modelfile", cwd=tmp_path)
    assert code == 0, states
    label = f"copying file {sha256_file(qwen)[:12]}: "
    copying = [s for s in states if s.startswith(label)]
    # While it copies: size, speed and time left; when done, the full size.
    assert any(re.fullmatch(label + BAR + r"  [\d.]+ [KMG]?B/s  (\d+h)?(\d+m)?\d+s [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]", s) for s in copying), copying
    assert re.fullmatch(label + FULL_BAR, copying[-1]), copying[-1]
    assert states[-1] == "success"
    assert [m.model for m in ollama.Client(host=server.url).list().models] == ["coder:latest"]


# --- resume and corruption through a proxy ---------------------------------------------------

class Proxy:
    """A test-only HTTP proxy in front of a Tern: it records the blob digest and Range of each blob
    request, and can stop forwarding blob bytes once `stall_after` of them have passed in all
    (every blob response then hangs, as a dead link would) or flip one byte in the first
    `corrupt` blob responses."""

    def __init__(self, upstream_port, stall_after=None, corrupt=0):
        self.ranges = []
        self.forwarded = 0
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.release = threading.Event()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.forward()

            def do_GET(self):
                self.forward()

            def forward(self):
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("range", "accept")}
                upstream.request(self.command, self.path, headers=headers)
                response = upstream.getresponse()
                is_blob = "/blobs/" in self.path and self.command == "GET"
                with proxy.lock:
                    if is_blob:
                        proxy.ranges.append((self.path.rsplit(":", 1)[-1], self.headers.get("Range")))
                    flip = is_blob and len(proxy.ranges) <= corrupt
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in ("connection", "transfer-encoding", "date", "server"):
                        self.send_header(k, v)
                self.end_headers()
                first = True
                while True:
                    chunk = response.read(1 << 18)
                    if not chunk:
                        break
                    if flip and first and len(chunk) > 100:
                        chunk = chunk[:100] + bytes([chunk[100] ^ 0xFF]) + chunk[101:]
                    first = False
                    if is_blob and stall_after is not None:
                        with proxy.lock:
                            allowed = min(len(chunk), stall_after - proxy.forwarded)
                            proxy.forwarded += allowed
                        if allowed < len(chunk):
                            self.wfile.write(chunk[:allowed])
                            self.wfile.flush()
                            proxy.stalled.set()
                            proxy.release.wait(120)
                            return
                    self.wfile.write(chunk)
                upstream.close()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ranges_of(self, digest_hex):
        """The Range headers of the requests for one blob, sorted."""
        return sorted(r for d, r in self.ranges if d == digest_hex)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def saved_parts(models_dir, digest_hex):
    """The part states a download left: [(offset, size, completed)] by offset."""
    parts = []
    for path in (models_dir / "blobs").glob(f"sha256-{digest_hex}-partial-*"):
        if path.name.endswith(".tmp"):
            continue
        try:
            state = json.loads(path.read_text())
            parts.append((state["Offset"], state["Size"], state["Completed"]))
        except (ValueError, KeyError):
            pass
    return sorted(parts)


@pytest.mark.parametrize("fraction", [0.3, 0.7])
def test_killed_puller_resumes_where_it_stopped(library, fresh, qwen, tmp_path, fraction):
    digest_hex = sha256_file(qwen)
    size = qwen.stat().st_size
    stall_after = int(size * fraction)
    proxy = Proxy(library.port, stall_after=stall_after)
    models = tmp_path / "resume-models"
    puller = fresh(models=models)
    name = f"127.0.0.1:{proxy.port}/library/qwen:latest"
    pool = concurrent.futures.ThreadPoolExecutor(1)
    pool.submit(lambda: puller.request("POST", "/api/pull", {"model": name, "insecure": True}, timeout=300))
    assert proxy.stalled.wait(120)
    # The bytes before the stall reach the disk; a part records its progress every 32 MiB.
    time.sleep(0.5)
    puller.process.send_signal(signal.SIGKILL)
    puller.process.wait()
    proxy.close()
    pool.shutdown(wait=False)
    parts = saved_parts(models, digest_hex)
    saved = sum(completed for _, _, completed in parts)
    assert len(parts) == part_count(size)
    # Bytes of a slice behind a gap (at most the 8 requests in flight, 8 MiB each) and the last
    # 32 MiB of each part are not recorded yet: they are fetched again.
    assert stall_after - 8 * (8 << 20) - len(parts) * (32 << 20) <= saved <= stall_after
    assert (models / "blobs" / f"sha256-{digest_hex}-partial").exists()
    assert not (models / "blobs" / f"sha256-{digest_hex}").exists()
    assert not manifest_path(puller, "qwen:latest", host=f"127.0.0.1:{proxy.port}").exists()

    recorder = Proxy(library.port)
    again = fresh(models=models)
    lines = stream_lines(again, "/api/pull", {"model": f"127.0.0.1:{recorder.port}/library/qwen:latest", "insecure": True})
    recorder.close()
    assert lines[-1] == {"status": "success"}
    # Only the bytes the part files do not record are asked for, each once.
    missing = merged([(offset + completed, offset + part_size - 1) for offset, part_size, completed in parts if completed < part_size])
    assert requested(recorder.ranges_of(digest_hex)) == (missing[0], size - saved)
    assert filecmp.cmp(models / "blobs" / f"sha256-{digest_hex}", qwen, shallow=False)
    assert not [p for p in (models / "blobs").iterdir() if "partial" in p.name]


def test_corrupt_bytes_in_flight_are_rejected_and_fetched_again(library, fresh, qwen):
    proxy = Proxy(library.port, corrupt=1)
    puller = fresh()
    lines = stream_lines(puller, "/api/pull", {"model": f"127.0.0.1:{proxy.port}/library/qwen:latest", "insecure": True})
    proxy.close()
    assert lines[-1] == {"status": "success"}
    digest_hex = sha256_file(qwen)
    assert filecmp.cmp(puller.models_dir / "blobs" / f"sha256-{digest_hex}", qwen, shallow=False)
    # The whole blob failed its hash: every byte was fetched once more.
    size = qwen.stat().st_size
    assert requested(proxy.ranges_of(digest_hex)) == ([(0, size - 1)], 2 * size)
    # The pull's progress went back to 0 for the second download.
    weights = [line["completed"] for line in lines if line.get("digest") == "sha256:" + digest_hex]
    assert any(b < a for a, b in zip(weights, weights[1:]))


# --- pushing ---------------------------------------------------------------------------------

def test_push_of_the_pulled_qwen_to_an_empty_tern_then_skip_what_it_has(library, qwen_puller, fresh, qwen):
    puller, _ = qwen_puller
    target = fresh(TERN_LIBRARY_PUSH="on")
    name = f"127.0.0.1:{target.port}/team/qwen:v1"
    assert puller.request("POST", "/api/copy", {"source": f"127.0.0.1:{library.port}/library/qwen:latest", "destination": name})[0] == 200
    lines = stream_lines(puller, "/api/push", {"model": name, "insecure": True})
    statuses = [line["status"] for line in lines]
    assert statuses[0] == "retrieving manifest" and statuses[-2:] == ["pushing manifest", "success"]
    assert all(line["status"] == "pushing " + line["digest"][7:19] for line in lines if "digest" in line)
    digest_hex = sha256_file(qwen)
    weights = [line["completed"] for line in lines if line.get("digest") == "sha256:" + digest_hex]
    assert len(weights) > 2 and weights == sorted(weights) and weights[-1] == qwen.stat().st_size
    stored = manifest_path(target, "qwen:v1", namespace="team")
    assert stored.read_bytes() == manifest_path(library, "qwen:latest").read_bytes()
    assert filecmp.cmp(target.models_dir / "blobs" / f"sha256-{digest_hex}", qwen, shallow=False)
    # A second push finds every blob there: each layer's first line is already complete.
    again = stream_lines(puller, "/api/push", {"model": name, "insecure": True})
    first = {}
    for line in again:
        if "digest" in line:
            first.setdefault(line["digest"], line)
    assert first and all(line["completed"] == line["total"] for line in first.values())
    assert [m.model for m in ollama.Client(host=target.url).list().models] == ["team/qwen:v1"]


def test_push_to_a_closed_tern_is_refused(library, fresh):
    target = fresh()
    name = f"127.0.0.1:{target.port}/team/refused:v1"
    assert library.request("POST", "/api/copy", {"source": "smollm2", "destination": name})[0] == 200
    lines = stream_lines(library, "/api/push", {"model": name, "insecure": True})
    assert "403" in lines[-1]["error"] and "TERN_LIBRARY_PUSH=on" in lines[-1]["error"]


def test_push_where_the_api_needs_credentials_takes_an_admins_api_key(library, fresh):
    target = fresh(TERN_LIBRARY_PUSH="on", TERN_AUTH="on")
    status, headers, _ = target.request("POST", "/web/setup", {"username": "ada", "password": "admin password"})
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    status, _, body = target.request("POST", "/web/keys", {"name": "library"}, headers={"Cookie": cookie, "Content-Type": "application/json"})
    assert status == 200
    key = json.loads(body)["secret"]
    name = f"127.0.0.1:{target.port}/team/keyed:v1"
    assert library.request("POST", "/api/copy", {"source": "smollm2", "destination": name})[0] == 200
    refused = stream_lines(library, "/api/push", {"model": name, "insecure": True})
    assert "401" in refused[-1]["error"]
    pusher = fresh(TERN_API_KEY=key)
    assert stream_lines(pusher, "/api/pull", {"model": "smollm2"})[-1] == {"status": "success"}
    assert pusher.request("POST", "/api/copy", {"source": "smollm2", "destination": name})[0] == 200
    assert stream_lines(pusher, "/api/push", {"model": name, "insecure": True})[-1] == {"status": "success"}
    # Reading the library needs no key: another Tern pulls the pushed model back.
    assert stream_lines(fresh(), "/api/pull", {"model": name, "insecure": True})[-1] == {"status": "success"}
    assert target.request("GET", "/api/tags")[0] == 401


# --- store hygiene ---------------------------------------------------------------------------

def test_concurrent_pull_and_rm_keep_every_referenced_blob(library, fresh, gguf):
    puller = fresh()
    client = ollama.Client(host=puller.url)
    digest_hex = sha256_file(gguf)
    for _ in range(3):
        assert stream_lines(puller, "/api/pull", {"model": "smollm2"})[-1] == {"status": "success"}
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            pulled = pool.submit(stream_lines, puller, "/api/pull", {"model": "smollm2-concise"})
            time.sleep(0.01)
            removed = pool.submit(puller.request, "DELETE", "/api/delete", {"model": "smollm2"})
            assert pulled.result()[-1] == {"status": "success"}
            assert removed.result()[0] == 200
        assert (puller.models_dir / "blobs" / f"sha256-{digest_hex}").exists()
        assert "SYSTEM Be brief." in client.show("smollm2-concise").modelfile
        assert puller.request("DELETE", "/api/delete", {"model": "smollm2-concise"})[0] == 200
    assert not [p for p in (puller.models_dir / "blobs").iterdir()]


def test_store_that_cannot_be_written_fails_clearly_and_stays_consistent(library, fresh, tmp_path):
    puller = fresh(models=tmp_path / "models-ok")
    # blobs/ is a file: nothing can be created below it (what a read-only or full store looks
    # like to the puller when it runs as root, which ignores permission bits).
    (tmp_path / "models-ok").mkdir(exist_ok=True)
    (tmp_path / "models-ok" / "blobs").write_text("")
    lines = stream_lines(puller, "/api/pull", {"model": "smollm2"})
    assert "error" in lines[-1] and "models-ok/blobs" in lines[-1]["error"]
    assert not (tmp_path / "models-ok" / "manifests").exists()


def test_serve_prunes_unused_blobs_and_stale_downloads_at_start(library, fresh, tmp_path):
    models = tmp_path / "pruned"
    first = fresh(models=models)
    assert stream_lines(first, "/api/pull", {"model": "smollm2"})[-1] == {"status": "success"}
    first.stop()
    blobs = models / "blobs"
    referenced = {p.name for p in blobs.iterdir()}
    unused = "sha256-" + hashlib.sha256(b"unused").hexdigest()
    abandoned = "sha256-" + hashlib.sha256(b"abandoned").hexdigest()
    downloading = "sha256-" + hashlib.sha256(b"downloading").hexdigest()
    for name in [unused, abandoned + "-partial", abandoned + "-partial-0", downloading + "-partial", downloading + "-partial-0",
                 "sha256-a1b2c3"]:  # the temporary file of a crashed upload
        (blobs / name).write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    # Everything is old but the partial file another process is still writing into.
    for path in blobs.iterdir():
        if path.name != downloading + "-partial":
            os.utime(path, (two_hours_ago, two_hours_ago))
    everything = {p.name for p in blobs.iterdir()}

    for opt_out in [{"TERN_NOPRUNE": "1"}, {"OLLAMA_NOPRUNE": "true"}]:
        fresh(models=models, **opt_out).stop()
        assert {p.name for p in blobs.iterdir()} == everything, opt_out
    pruned = fresh(models=models)
    assert {p.name for p in blobs.iterdir()} == referenced | {downloading + "-partial", downloading + "-partial-0"}
    assert ollama.Client(host=pruned.url).show("smollm2").modelinfo["general.architecture"] == "llama"
    assert "pruned blobs/" in open(pruned.log_path).read()
