"""Starting and stopping a live `tern serve` for tests: a private model store, a free port."""
import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TernServer:
    def __init__(self, tern, models_dir, log_path, host="127.0.0.1", **env):
        """`host` is the address to bind (0.0.0.0 to test the network-facing policy); requests go to 127.0.0.1.
        The web UI's database defaults to a file beside the log, never ~/.tern (TERN_DB overrides)."""
        self.port = free_port()
        self.models_dir = models_dir
        self.log_path = log_path
        environment = dict(os.environ, TERN_HOST=f"{host}:{self.port}", TERN_MODELS=str(models_dir),
                           TERN_DB=str(pathlib.Path(log_path).with_suffix(".db")))
        environment.pop("OLLAMA_HOST", None)
        environment.update({k: str(v) for k, v in env.items()})
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([str(tern), "serve"], env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tern serve exited: {open(log_path).read()}")
            try:
                status, _, _ = self.request("HEAD", "/")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("tern serve did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, headers=None, timeout=120):
        """One HTTP request; returns (status, headers dict, body bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def json(self, method, path, body=None, **kwargs):
        status, _, data = self.request(method, path, body, **kwargs)
        return status, json.loads(data) if data.strip() else None

    def stop(self, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode
