"""The web UI's accounts over HTTP (issue #8): who may call what on loopback and network binds,
session cookies, API keys, the login throttle, and chats that belong strictly to their owner."""
import json
import os
import subprocess

import pytest

from tern_server import TernServer

ADMIN = {"username": "ada", "password": "admin password"}
BOB = {"username": "bob", "password": "bob password"}


class Browser:
    """One signed-in client: keeps the session cookie as a browser would (same origin, no Origin header)."""

    def __init__(self, server):
        self.server = server
        self.cookie = None

    def call(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, response_headers, data = self.server.request(method, path, body, headers=headers)
        if "set-cookie" in response_headers:
            self.cookie = response_headers["set-cookie"].split(";")[0]
        return status, (json.loads(data) if data.strip() and response_headers.get("content-type", "").startswith("application/json") else data)

    def sign_in(self, credentials, path="/web/login"):
        status, body = self.call("POST", path, credentials)
        assert status == 200, body
        return body["user"]


@pytest.fixture(scope="module")
def server(tern, tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    s = TernServer(tern, root / "models", root / "web.log")
    yield s
    assert s.stop() == 0, open(root / "web.log").read()


@pytest.fixture(scope="module")
def admin(server):
    browser = Browser(server)
    assert browser.call("GET", "/web/session")[1] == {"setup_required": True, "user": None, "api_requires_auth": False}
    status, headers, _ = server.request("POST", "/web/setup", ADMIN)
    assert status == 200
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    browser.cookie = cookie.split(";")[0]
    assert browser.call("POST", "/web/setup", {"username": "eve", "password": "eve password"})[0] == 409
    return browser


@pytest.fixture(scope="module")
def bob(server, admin):
    status, user = admin.call("POST", "/web/users", {**BOB, "role": "user"})
    assert status == 200 and user["role"] == "user"
    browser = Browser(server)
    browser.sign_in(BOB)
    return browser


def test_root_answers_ollama_clients_and_browsers(server):
    assert server.request("GET", "/")[::2] == (200, b"Ollama is running")
    assert server.request("HEAD", "/")[0] == 200
    status, headers, page = server.request("GET", "/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 200 and headers["content-type"].startswith("text/html") and b"/web/assets/app.js" in page
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"
    status, headers, script = server.request("GET", "/web/assets/app.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and b"import" in script
    assert server.request("GET", "/web/assets/nope.js")[0] == 404


def test_loopback_keeps_the_api_open_and_the_ui_closed(server, admin):
    assert server.request("GET", "/api/tags")[0] == 200
    assert server.request("GET", "/web/chats")[0] == 401
    assert server.request("GET", "/web/me")[0] == 401
    assert admin.call("GET", "/web/me")[1]["username"] == "ada"


def test_a_tls_proxy_gets_a_secure_cookie(server, admin):
    status, headers, _ = server.request("POST", "/web/login", ADMIN, headers={"X-Forwarded-Proto": "https"})
    assert status == 200 and "; Secure" in headers["set-cookie"]


def test_users_see_only_their_own_chats(server, admin, bob):
    status, chat = admin.call("POST", "/web/chats", {"title": "Ada's secret plan", "model": "smollm2", "system": "Be brief.",
                                                      "options": {"temperature": 0.3}})
    assert status == 200
    ada_chat = chat["id"]
    messages = [{"role": "user", "content": "the launch code is 1234"},
                {"role": "assistant", "content": "Noted.", "thinking": "hmm", "stats": {"tokens": 2}}]
    assert admin.call("PUT", f"/web/chats/{ada_chat}/messages", {"messages": messages})[0] == 200
    bob_chat = bob.call("POST", "/web/chats", {"title": "Bob's chat"})[1]["id"]

    assert [c["id"] for c in bob.call("GET", "/web/chats")[1]["chats"]] == [bob_chat]
    assert bob.call("GET", "/web/chats?q=launch")[1]["chats"] == []
    for method, path, body in [("GET", f"/web/chats/{ada_chat}", None), ("PATCH", f"/web/chats/{ada_chat}", {"title": "mine"}),
                               ("PUT", f"/web/chats/{ada_chat}/messages", {"messages": []}), ("DELETE", f"/web/chats/{ada_chat}", None)]:
        assert bob.call(method, path, body)[0] == 404, (method, path)
    saved = admin.call("GET", f"/web/chats/{ada_chat}")[1]
    assert saved["title"] == "Ada's secret plan" and saved["system"] == "Be brief." and saved["options"] == {"temperature": 0.3}
    assert [m["content"] for m in saved["messages"]] == ["the launch code is 1234", "Noted."]
    assert saved["messages"][1]["thinking"] == "hmm" and saved["messages"][1]["stats"] == {"tokens": 2}
    assert [c["id"] for c in admin.call("GET", "/web/chats?q=LAUNCH")[1]["chats"]] == [ada_chat]


def test_chat_list_newest_first_rename_delete(admin):
    first = admin.call("POST", "/web/chats", {"title": "one"})[1]["id"]
    second = admin.call("POST", "/web/chats", {"title": "two"})[1]["id"]
    ids = [c["id"] for c in admin.call("GET", "/web/chats")[1]["chats"]]
    assert ids.index(second) < ids.index(first)
    admin.call("PUT", f"/web/chats/{first}/messages", {"messages": [{"role": "user", "content": "hi"}]})
    assert admin.call("GET", "/web/chats")[1]["chats"][0]["id"] == first
    assert admin.call("PATCH", f"/web/chats/{second}", {"title": "renamed"})[1]["title"] == "renamed"
    assert admin.call("DELETE", f"/web/chats/{second}")[0] == 200
    assert admin.call("GET", f"/web/chats/{second}")[0] == 404
    assert admin.call("PUT", f"/web/chats/{first}/messages", {"messages": [{"role": "robot", "content": "x"}]})[0] == 400


def test_only_admins_manage_users_and_models(server, admin, bob):
    assert bob.call("GET", "/web/users")[0] == 403
    assert bob.call("POST", "/web/users", {"username": "mallory", "password": "12345678"})[0] == 403
    assert bob.call("POST", "/api/pull", {"model": "smollm2"})[0] == 403
    assert bob.call("DELETE", "/api/delete", {"model": "smollm2"})[0] == 403
    assert bob.call("GET", "/api/tags")[0] == 200
    assert [u["username"] for u in admin.call("GET", "/web/users")[1]["users"]] == ["ada", "bob"]
    assert admin.call("POST", "/web/users", {"username": "bob", "password": "12345678"})[0] == 409
    assert admin.call("POST", "/web/users", {"username": "x y", "password": "12345678"})[0] == 400
    assert admin.call("POST", "/web/users", {"username": "carl", "password": "short"})[0] == 400
    ada_id = admin.call("GET", "/web/me")[1]["id"]
    assert admin.call("PATCH", f"/web/users/{ada_id}", {"role": "user"})[0] == 409  # the last admin stays


def test_api_keys_are_per_user_bearer_tokens(server, bob):
    status, created = bob.call("POST", "/web/keys", {"name": "script"})
    assert status == 200 and created["secret"].startswith("tern_")
    bearer = {"Authorization": f"Bearer {created['secret']}"}
    status, _, data = server.request("GET", "/web/chats", headers=bearer)
    assert status == 200 and [c["title"] for c in json.loads(data)["chats"]] == ["Bob's chat"]
    assert server.request("GET", "/web/me", headers={"Authorization": "Bearer tern_wrong"})[0] == 401
    keys = bob.call("GET", "/web/keys")[1]["keys"]
    assert [k["name"] for k in keys] == ["script"] and keys[0]["last_used_at"] is not None
    assert bob.call("DELETE", f"/web/keys/{keys[0]['id']}")[0] == 200
    assert server.request("GET", "/web/chats", headers=bearer)[0] == 401


def test_cross_origin_requests_cannot_use_the_cookie(server, admin):
    # localhost:3000 is an allowed CORS origin for the API, but never acts as a signed-in user.
    for origin in ["http://localhost:3000", "https://evil.example.com"]:
        status, _ = admin.call("POST", "/web/chats", {"title": "csrf"}, headers={"Origin": origin})
        assert status in (401, 403), origin  # the cookie is ignored (401) or the origin refused outright (403)
        assert admin.call("GET", "/web/chats", headers={"Origin": origin})[0] in (401, 403), origin
    same = f"http://127.0.0.1:{server.port}"
    assert admin.call("POST", "/web/chats", {"title": "same origin"}, headers={"Origin": same})[0] == 200


def test_disabling_and_signing_out_end_sessions(server, admin):
    admin.call("POST", "/web/users", {"username": "dora", "password": "dora password"})
    dora = Browser(server)
    dora_id = dora.sign_in({"username": "dora", "password": "dora password"})["id"]
    assert admin.call("PATCH", f"/web/users/{dora_id}", {"disabled": True})[1]["disabled"] is True
    assert dora.call("GET", "/web/me")[0] == 401
    assert dora.call("POST", "/web/login", {"username": "dora", "password": "dora password"})[0] == 401
    admin.call("PATCH", f"/web/users/{dora_id}", {"disabled": False})
    dora.sign_in({"username": "dora", "password": "dora password"})
    cookie = dora.cookie
    status, headers, _ = server.request("POST", "/web/logout", headers={"Cookie": cookie})
    assert status == 200 and "Max-Age=0" in headers["set-cookie"]
    assert server.request("GET", "/web/me", headers={"Cookie": cookie})[0] == 401
    assert admin.call("DELETE", f"/web/users/{dora_id}")[0] == 200
    assert dora.call("POST", "/web/login", {"username": "dora", "password": "dora password"})[0] == 401


def test_chats_survive_a_restart(tern, tmp_path):
    db = tmp_path / "tern.db"
    first = TernServer(tern, tmp_path / "models", tmp_path / "a.log", TERN_DB=db)
    browser = Browser(first)
    browser.sign_in(ADMIN, path="/web/setup")
    chat = browser.call("POST", "/web/chats", {"title": "kept"})[1]["id"]
    browser.call("PUT", f"/web/chats/{chat}/messages", {"messages": [{"role": "user", "content": "remember me"}]})
    assert first.stop() == 0
    second = TernServer(tern, tmp_path / "models", tmp_path / "b.log", TERN_DB=db)
    try:
        again = Browser(second)
        assert again.call("GET", "/web/session")[1]["setup_required"] is False
        assert again.call("GET", "/web/me", headers={"Cookie": browser.cookie})[0] == 200  # sessions persist too
        again.sign_in(ADMIN)
        assert [m["content"] for m in again.call("GET", f"/web/chats/{chat}")[1]["messages"]] == ["remember me"]
    finally:
        assert second.stop() == 0


def test_users_change_their_own_password(tern, tmp_path):
    s = TernServer(tern, tmp_path / "models", tmp_path / "password.log")
    try:
        here, elsewhere = Browser(s), Browser(s)
        here.sign_in(ADMIN, path="/web/setup")
        elsewhere.sign_in(ADMIN)
        change = {"current_password": "not it", "new_password": "a new password"}
        assert here.call("POST", "/web/me/password", change)[0] == 403
        assert here.call("POST", "/web/me/password", {"current_password": ADMIN["password"], "new_password": "short"})[0] == 400
        old_cookie = here.cookie
        status, body = here.call("POST", "/web/me/password", {**change, "current_password": ADMIN["password"]})
        assert status == 200 and body["user"]["username"] == "ada" and here.cookie != old_cookie
        assert here.call("GET", "/web/me")[0] == 200  # this browser stays signed in
        assert elsewhere.call("GET", "/web/me")[0] == 401  # every other session ended
        assert s.request("POST", "/web/login", ADMIN)[0] == 401
        Browser(s).sign_in({"username": "ada", "password": "a new password"})
        assert Browser(s).call("POST", "/web/me/password", change)[0] == 401  # signed-in users only
    finally:
        assert s.stop() == 0


def test_network_bind_requires_credentials(tern, tmp_path):
    s = TernServer(tern, tmp_path / "models", tmp_path / "net.log", host="0.0.0.0")
    try:
        assert s.request("GET", "/api/tags")[0] == 401
        assert s.request("POST", "/v1/chat/completions", {"model": "x", "messages": []})[0] == 401
        assert s.request("GET", "/")[0] == 200  # the login page and Ollama's health check still answer
        browser = Browser(s)
        assert browser.call("GET", "/web/session")[1]["api_requires_auth"] is True
        browser.sign_in(ADMIN, path="/web/setup")
        assert browser.call("GET", "/api/tags")[0] == 200
        secret = browser.call("POST", "/web/keys", {"name": "ci"})[1]["secret"]
        assert s.request("GET", "/api/tags", headers={"Authorization": f"Bearer {secret}"})[0] == 200
        assert s.request("GET", "/api/tags", headers={"Authorization": "Bearer tern_nope"})[0] == 401
    finally:
        assert s.stop() == 0


def test_auth_off_opens_a_network_bind_with_a_warning(tern, tmp_path):
    s = TernServer(tern, tmp_path / "models", tmp_path / "off.log", host="0.0.0.0", TERN_AUTH="off")
    try:
        assert s.request("GET", "/api/tags")[0] == 200
        assert s.request("GET", "/web/chats")[0] == 401  # the UI still signs people in
    finally:
        assert s.stop() == 0
    assert "TERN_AUTH=off" in open(tmp_path / "off.log").read()


def test_auth_on_closes_loopback_too_and_the_cli_presents_its_key(tern, tmp_path):
    s = TernServer(tern, tmp_path / "models", tmp_path / "on.log", TERN_AUTH="on")
    try:
        assert s.request("GET", "/api/tags")[0] == 401
        browser = Browser(s)
        browser.sign_in(ADMIN, path="/web/setup")
        secret = browser.call("POST", "/web/keys", {"name": "cli"})[1]["secret"]
        env = dict(os.environ, TERN_HOST=f"127.0.0.1:{s.port}")
        env.pop("TERN_API_KEY", None)
        refused = subprocess.run([str(tern), "list"], env=env, capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0 and "unauthorized" in refused.stderr
        listed = subprocess.run([str(tern), "list"], env={**env, "TERN_API_KEY": secret}, capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and listed.stdout.startswith("NAME")
    finally:
        assert s.stop() == 0


def test_failed_logins_are_rate_limited(tern, tmp_path):
    s = TernServer(tern, tmp_path / "models", tmp_path / "throttle.log")
    try:
        Browser(s).sign_in(ADMIN, path="/web/setup")
        wrong = {"username": "ada", "password": "not the password"}
        assert [s.request("POST", "/web/login", wrong)[0] for _ in range(5)] == [401] * 5
        status, headers, _ = s.request("POST", "/web/login", ADMIN)
        assert status == 429 and int(headers["retry-after"]) > 0
    finally:
        assert s.stop() == 0
