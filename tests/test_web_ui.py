"""The web chat UI in a real browser (issue #8): Selenium drives Debian's headless Chromium against
a live `tern serve`. The steps run in order on one browser and one server, and each saves a
screenshot under $TERN_TEST_ARTIFACTS/web-ui (default tests/artifacts/web-ui) for the build's artifacts."""
import json
import os
import pathlib
import shutil
import time

import ollama
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ROOT, model_path
from tern_server import TernServer
from test_openai_api import R1_PREFILL

ARTIFACTS = pathlib.Path(os.environ.get("TERN_TEST_ARTIFACTS") or ROOT / "tests/artifacts") / "web-ui"
ADMIN = ("ada", "admin password")
BOB = ("bob", "bob password")
XSS = "<img src=x onerror=alert(1)> <script>alert(2)</script>"
STORY = "Write a very long story about a lighthouse keeper and her cat, with many chapters."


def browser_paths():
    paths = shutil.which("chromium"), shutil.which("chromedriver")
    if not all(paths):
        message = "chromium and chromium-driver are missing: apt-get install chromium chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return paths


@pytest.fixture(scope="module")
def server(tern, tmp_path_factory):
    root = tmp_path_factory.mktemp("webui")
    s = TernServer(tern, root / "models", root / "serve.log")
    native = ollama.Client(host=s.url)
    for name, key in [("smollm2", "SmolLM2-135M-Instruct.Q4_1"), ("tiny-r1", "tiny-deepseek-r1-Q4_K_M")]:
        path = model_path(key)
        native.create(model=name, files={path.name: native.create_blob(path)})
    # Greedy with room for thousands of tokens: an answer that would run long after a stop that failed.
    native.create(model="smollm2-long", from_="smollm2", parameters={"num_predict": 3000, "temperature": 0})
    native.create(model="r1-think", from_="tiny-r1", template=R1_PREFILL)
    yield s
    assert s.stop() == 0, open(root / "serve.log").read()


@pytest.fixture(scope="module")
def driver(server):
    chromium, chromedriver = browser_paths()
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"]:
        options.add_argument(flag)
    # An alert must stay open so the test can see that none was raised.
    options.set_capability("unhandledPromptBehavior", "ignore")
    d = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    d.implicitly_wait(0)
    yield d
    d.quit()


class Steps:
    count = 0


def shot(driver, name):
    Steps.count += 1
    driver.save_screenshot(str(ARTIFACTS / f"{Steps.count:02d}-{name}.png"))


def wait(driver, condition, timeout=30, message=""):
    # A page that reloads (sign-out, refresh) leaves stale elements behind for a moment.
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=[StaleElementReferenceException, NoSuchElementException]).until(condition, message)


def by_id(driver, element_id):
    return driver.find_element(By.ID, element_id)


def visible(driver, element_id):
    return by_id(driver, element_id).is_displayed()


def sign_in(driver, username, password):
    wait(driver, lambda d: visible(d, "auth") and visible(d, "username"))
    by_id(driver, "username").clear()
    by_id(driver, "username").send_keys(username)
    by_id(driver, "password").send_keys(password)
    by_id(driver, "auth-submit").click()
    wait(driver, lambda d: visible(d, "shell"), message="the app did not open after signing in")


def sign_out(driver):
    by_id(driver, "logout").click()
    wait(driver, lambda d: visible(d, "auth"))


def assert_no_alert(driver):
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    raise AssertionError(f"an alert ran: {text!r}")


def start_chat(driver, model, text):
    by_id(driver, "new-chat").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .empty"))
    Select(by_id(driver, "model-picker")).select_by_value(model)
    prompt = by_id(driver, "prompt")
    prompt.send_keys(text)
    prompt.send_keys(Keys.ENTER)  # Enter sends


def answer_text(driver):
    answers = driver.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .content")
    return answers[-1].text if answers else ""


def test_first_run_creates_the_admin(server, driver):
    driver.get(server.url + "/")
    wait(driver, lambda d: visible(d, "auth") and visible(d, "password2"), message="no first-run form")
    assert "Create the admin account" in by_id(driver, "auth-intro").text
    by_id(driver, "username").send_keys(ADMIN[0])
    by_id(driver, "password").send_keys(ADMIN[1])
    by_id(driver, "password2").send_keys(ADMIN[1])
    shot(driver, "first-run-admin-form")
    by_id(driver, "auth-submit").click()
    wait(driver, lambda d: visible(d, "shell"))
    assert "ada (admin)" in by_id(driver, "whoami").text
    shot(driver, "admin-created")


def test_sign_out_and_in(driver):
    sign_out(driver)
    assert not visible(driver, "password2")
    shot(driver, "sign-in-form")
    sign_in(driver, *ADMIN)
    shot(driver, "signed-in")


def test_answer_streams_in_and_stop_cancels_it(server, driver):
    start_chat(driver, "smollm2-long:latest", STORY)
    wait(driver, lambda d: visible(d, "stop"), message="no stop button while streaming")
    lengths = []
    deadline = time.time() + 120
    while len(lengths) < 3 and time.time() < deadline:
        n = len(answer_text(driver))
        if n and (not lengths or n > lengths[-1]):
            lengths.append(n)
        time.sleep(0.05)
    assert len(lengths) >= 3, f"the answer did not grow across 3 observations: {lengths}"
    shot(driver, "answer-streaming")
    by_id(driver, "stop").click()
    wait(driver, lambda d: visible(d, "send") and not visible(d, "stop"), message="stop did not end the stream")
    stopped = answer_text(driver)
    assert len(stopped) >= lengths[-1]
    time.sleep(1)
    assert answer_text(driver) == stopped
    stats = driver.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .stats")[-1].text
    assert "stopped" in stats and "tokens/s" in stats and "first token" in stats, stats
    # The server let go of the model: a request for it starts now, not after the 3000-token answer.
    started = time.time()
    status, body = server.json("POST", "/api/generate", {"model": "smollm2-long", "prompt": "hi", "stream": False,
                                                         "options": {"num_predict": 1}})
    assert status == 200 and body["done"] and time.time() - started < 10
    shot(driver, "stopped")


def test_reload_keeps_the_chat(driver):
    before = answer_text(driver)
    driver.refresh()
    wait(driver, lambda d: visible(d, "shell") and d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant"))
    users = driver.find_elements(By.CSS_SELECTOR, "#messages .message.user .content")
    assert [u.text for u in users] == [STORY]
    assert answer_text(driver) == before
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#chat-list .chat-item .title")]
    assert any(STORY.startswith(t.rstrip("…")) for t in titles), titles
    shot(driver, "after-reload")


def test_thinking_model_shows_a_thinking_block(driver):
    start_chat(driver, "r1-think:latest", "hi")
    wait(driver, lambda d: any(e.is_displayed() and e.find_element(By.CSS_SELECTOR, ".thinking-body").text.strip()
                               for e in d.find_elements(By.CSS_SELECTOR, "#messages .thinking")), message="no thinking block")
    summary = driver.find_element(By.CSS_SELECTOR, "#messages .thinking summary")
    if visible(driver, "stop"):
        assert summary.text == "Thinking…"
        shot(driver, "thinking-streaming")
        by_id(driver, "stop").click()  # random weights never close their thinking
    wait(driver, lambda d: visible(d, "send"))
    summary = driver.find_element(By.CSS_SELECTOR, "#messages .thinking summary")
    assert summary.text.startswith("Thought for ") and summary.text.endswith(" s"), summary.text
    summary.click()
    assert driver.find_element(By.CSS_SELECTOR, "#messages .thinking .thinking-body").text.strip()
    shot(driver, "thought")


def test_markup_from_people_and_models_renders_as_text(server, driver):
    start_chat(driver, "smollm2:latest", XSS)
    wait(driver, lambda d: answer_text(d) or visible(d, "send"), timeout=60, message="no answer started")
    if visible(driver, "stop"):
        by_id(driver, "stop").click()
    wait(driver, lambda d: visible(d, "send"))
    user = driver.find_element(By.CSS_SELECTOR, "#messages .message.user .content")
    assert user.text == XSS
    # A model answer with markup, stored as if a model had written it, then opened in the UI.
    chat_id = driver.current_url.rsplit("/", 1)[1]
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    # The UI saves the stopped answer after the Send button returns: wait for that save to land first.
    wait(driver, lambda d: len(server.json("GET", f"/web/chats/{chat_id}", headers={"Cookie": cookie})[1]["messages"]) == 2)
    answer = (f"{XSS}\n\n**bold** and [a link](javascript:alert(3))\n\n```html\n<script>alert(4)</script>\n```\n\n"
              "| a | b |\n|---|---|\n| <b>x</b> | `y` |")
    messages = [{"role": "user", "content": XSS}, {"role": "assistant", "content": answer}]
    status, _, _ = server.request("PUT", f"/web/chats/{chat_id}/messages", json.dumps({"messages": messages}),
                                  headers={"Cookie": cookie, "Content-Type": "application/json"})
    assert status == 200
    driver.refresh()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .code-block"))
    content = driver.find_element(By.CSS_SELECTOR, "#messages .message.assistant .content")
    assert XSS in content.text and "<script>alert(4)</script>" in content.text and "<b>x</b>" in content.text
    assert content.find_element(By.TAG_NAME, "strong").text == "bold"
    assert not driver.find_elements(By.CSS_SELECTOR, "#messages img, #messages script, #messages b, #messages a[href^='javascript']")
    assert content.find_element(By.CSS_SELECTOR, "table td code").text == "y"
    assert_no_alert(driver)
    assert driver.execute_script("return document.querySelectorAll('script').length") == 1  # the app's own
    shot(driver, "markup-as-text")


def test_phone_width_layout(driver):
    driver.set_window_size(390, 844)
    time.sleep(0.3)
    assert not by_id(driver, "sidebar").is_displayed() or by_id(driver, "sidebar").location["x"] < 0
    by_id(driver, "menu").click()
    wait(driver, lambda d: by_id(d, "new-chat").is_displayed() and by_id(d, "sidebar").location["x"] >= 0)
    time.sleep(0.3)
    shot(driver, "phone-sidebar")
    driver.execute_script("arguments[0].click()", by_id(driver, "scrim"))  # the sidebar covers the scrim's centre
    time.sleep(0.3)
    shot(driver, "phone-chat")
    driver.set_window_size(1280, 900)


def test_a_second_user_sees_none_of_the_first_users_chats(driver):
    first_user_chats = [e.get_attribute("data-id") for e in driver.find_elements(By.CSS_SELECTOR, "#chat-list .chat-item")]
    assert len(first_user_chats) == 3
    by_id(driver, "nav-settings").click()
    wait(driver, lambda d: d.find_elements(By.ID, "add-user"))
    by_id(driver, "new-user-name").send_keys(BOB[0])
    by_id(driver, "new-user-password").send_keys(BOB[1])
    driver.find_element(By.CSS_SELECTOR, "#add-user button[type=submit]").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#users tr[data-user=bob]"))
    shot(driver, "admin-added-bob")
    sign_out(driver)
    sign_in(driver, *BOB)
    wait(driver, lambda d: "No chats yet." in by_id(d, "chat-list").text)
    assert not driver.find_elements(By.CSS_SELECTOR, "#chat-list .chat-item")
    assert "bob (user)" in by_id(driver, "whoami").text
    # Even a chat's address opens nothing of someone else's.
    driver.get(f"{driver.current_url.split('#')[0]}#/chat/{first_user_chats[0]}")
    wait(driver, lambda d: "could not be opened" in by_id(d, "messages").text)
    assert not driver.find_elements(By.CSS_SELECTOR, "#messages .message.user, #messages .message.assistant")
    by_id(driver, "nav-settings").click()
    wait(driver, lambda d: d.find_elements(By.ID, "keys"))
    assert not driver.find_elements(By.ID, "users")  # no user administration for a user
    shot(driver, "second-user")
