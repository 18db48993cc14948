"""The OpenAI-compatible layer (`/v1`) driven by the real `openai` SDK against a live `tern serve`:
chat streamed and not, usage, a parsed tool call (Qwen2.5), reasoning fields from a model whose
template pre-fills `<think>`, models, embeddings, and errors in OpenAI's shape."""
import base64
import json
import math
import struct

import ollama
import openai
import pytest

from conftest import model_path
from tern_server import TernServer

# DeepSeek-R1's library template (spec §7.4), pre-filling `<think>\n` unless thinking is turned off.
R1_PREFILL = (
    "{{- if .System }}{{ .System }}{{ end }}"
    "{{- range $i, $_ := .Messages }}{{- $last := eq (len (slice $.Messages $i)) 1 }}"
    "{{- if eq .Role \"user\" }}<｜User｜>{{ .Content }}"
    "{{- else if eq .Role \"assistant\" }}<｜Assistant｜>"
    "{{- if and $.IsThinkSet (and $last .Thinking) }}<think>\n{{ .Thinking }}\n</think>\n{{ end }}"
    "{{ .Content }}{{ if not $last }}<｜end▁of▁sentence｜>{{ end }}{{ end }}"
    "{{- if and $last (ne .Role \"assistant\") }}<｜Assistant｜>"
    "{{- if and $.IsThinkSet (not $.Think) }}<think>\n\n</think>\n\n{{ else }}<think>\n{{ end }}{{ end }}"
    "{{- end }}"
)


@pytest.fixture(scope="module")
def server(tern, tmp_path_factory):
    root = tmp_path_factory.mktemp("openai")
    s = TernServer(tern, root / "models", root / "serve.log")
    native = ollama.Client(host=s.url)
    for name, key in [("smollm2", "SmolLM2-135M-Instruct.Q4_1"), ("qwen", "qwen2.5-coder-0.5b-instruct"),
                      ("tiny-r1", "tiny-deepseek-r1-Q4_K_M")]:
        path = model_path(key)
        native.create(model=name, files={path.name: native.create_blob(path)})
    native.create(model="r1-think", from_="tiny-r1", template=R1_PREFILL)
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="tern")


def test_chat_streamed_and_not(client):
    messages = [{"role": "user", "content": "What is 2 + 2?"}]
    whole = client.chat.completions.create(model="smollm2", messages=messages, temperature=0, max_tokens=12)
    assert whole.object == "chat.completion" and whole.choices[0].message.role == "assistant"
    assert whole.choices[0].message.content == "The answer is 4." and whole.choices[0].finish_reason == "stop"
    assert whole.usage.completion_tokens > 0 and whole.usage.total_tokens == whole.usage.prompt_tokens + whole.usage.completion_tokens
    chunks = list(client.chat.completions.create(model="smollm2", messages=messages, temperature=0, max_tokens=12, stream=True,
                                                 stream_options={"include_usage": True}))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len({c.id for c in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-2].choices[0].finish_reason == "stop" and chunks[-1].choices == []
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens


def test_length_and_stop(client):
    r = client.chat.completions.create(model="smollm2", messages=[{"role": "user", "content": "Count to ten."}],
                                       temperature=0, max_completion_tokens=3)
    assert r.choices[0].finish_reason == "length" and r.usage.completion_tokens == 3


def test_tool_call_is_parsed(client, server):
    tools = [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather for a city",
                                               "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                                              "required": ["city"]}}}]
    r = client.chat.completions.create(model="qwen", tools=tools, temperature=0, max_tokens=60,
                                       messages=[{"role": "user", "content": "What is the weather in Paris right now? Use the tool."}])
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "get_weather" and call.id.startswith("call_")
    assert json.loads(call.function.arguments) == {"city": "Paris"}
    streamed = list(client.chat.completions.create(model="qwen", tools=tools, temperature=0, max_tokens=60, stream=True,
                                                   messages=[{"role": "user", "content": "What is the weather in Paris right now? Use the tool."}]))
    calls = [tc for c in streamed if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert [c.function.name for c in calls] == ["get_weather"]
    assert streamed[-1].choices[0].finish_reason == "tool_calls"
    # The result goes back as a tool message and the template renders the call and its result.
    conversation = [
        {"role": "user", "content": "What is the weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": call.id, "type": "function", "function": {
            "name": "get_weather", "arguments": call.function.arguments}}]},
        {"role": "tool", "tool_call_id": call.id, "content": "18 C and sunny"}]
    follow = client.chat.completions.create(model="qwen", tools=tools, temperature=0, max_tokens=20, messages=conversation)
    assert follow.choices[0].finish_reason in ("stop", "length", "tool_calls")
    rendered = server.json("POST", "/v1/chat/completions", {"model": "qwen", "tools": tools, "messages": conversation,
                                                             "_debug_render_only": True})[1]["_debug_info"]["rendered_template"]
    assert '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' in rendered
    assert "<tool_response>\n18 C and sunny\n</tool_response>" in rendered


def test_reasoning_fields_when_the_template_prefills_think(server, client):
    chunks = list(client.chat.completions.create(model="r1-think", messages=[{"role": "user", "content": "hi"}],
                                                 max_tokens=8, seed=1, stream=True))
    deltas = [c.choices[0].delta for c in chunks if c.choices]
    reasoning = [d for d in deltas if getattr(d, "reasoning_content", None)]
    assert reasoning and all(d.reasoning == d.reasoning_content for d in reasoning)
    assert not any(d.content for d in deltas)  # the random model never closes its thinking
    native = ollama.Client(host=server.url).chat(model="r1-think", messages=[{"role": "user", "content": "hi"}],
                                                 options={"num_predict": 8, "seed": 1})
    assert native.message.thinking and native.message.content == ""
    hidden = ollama.Client(host=server.url).chat(model="r1-think", messages=[{"role": "user", "content": "hi"}],
                                                 options={"num_predict": 8, "seed": 1}, think=False)
    assert hidden.message.thinking is None and hidden.message.content


def test_models_and_embeddings(client):
    ids = {m.id for m in client.models.list().data}
    assert {"smollm2:latest", "qwen:latest"} <= ids
    m = client.models.retrieve("smollm2:latest")
    assert m.owned_by == "library" and m.object == "model"
    e = client.embeddings.create(model="smollm2", input=["The sky is blue.", "Grass is green."])
    assert len(e.data) == 2 and abs(math.sqrt(sum(x * x for x in e.data[0].embedding)) - 1) < 1e-4
    assert e.usage.prompt_tokens > 0
    raw = client.embeddings.with_raw_response.create(model="smollm2", input="The sky is blue.", encoding_format="base64")
    packed = json.loads(raw.text)["data"][0]["embedding"]
    floats = struct.unpack(f"<{len(base64.b64decode(packed)) // 4}f", base64.b64decode(packed))
    assert len(floats) == 576 and all(abs(a - b) < 1e-6 for a, b in zip(floats, e.data[0].embedding))


def test_errors_have_openai_shape(client, server):
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="nope", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.body["type"] == "not_found_error" and "nope" in missing.value.body["message"]
    with pytest.raises(openai.BadRequestError) as empty:
        client.chat.completions.create(model="smollm2", messages=[])
    assert empty.value.body["message"] == "[] is too short - 'messages'"
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="smollm2", messages=[{"role": "user", "content": "hi"}], n=2)
    status, body = server.json("POST", "/v1/chat/completions", {"model": "smollm2", "messages": [{"role": "user", "content": "hi"}],
                                                                 "reasoning_effort": "loud"})
    assert status == 400 and body["error"]["type"] == "invalid_request_error"


CAT = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}, "age": {"type": "integer", "minimum": 0},
                                        "colors": {"type": "array", "items": {"enum": ["black", "white", "orange"]}, "maxItems": 3}},
       "required": ["name", "age", "colors"]}


def _valid_cat(value):
    return (set(value) == {"name", "age", "colors"} and isinstance(value["name"], str) and len(value["name"]) <= 20
            and isinstance(value["age"], int) and value["age"] >= 0
            and all(c in ("black", "white", "orange") for c in value["colors"]) and len(value["colors"]) <= 3)


def test_json_schema_output_validates(client):
    for seed in range(3):
        r = client.chat.completions.create(
            model="smollm2", seed=seed, max_tokens=80, messages=[{"role": "user", "content": "Describe a cat as JSON."}],
            response_format={"type": "json_schema", "json_schema": {"name": "cat", "schema": CAT}})
        assert _valid_cat(json.loads(r.choices[0].message.content)) and r.choices[0].finish_reason == "stop"
    r = client.chat.completions.create(model="smollm2", max_tokens=400, temperature=0, response_format={"type": "json_object"},
                                       messages=[{"role": "user", "content": "Give a short JSON object with the name and country of Paris."}])
    assert r.choices[0].finish_reason == "stop" and isinstance(json.loads(r.choices[0].message.content), dict)


def test_native_format_and_thinking_first(server):
    native = ollama.Client(host=server.url)
    r = native.generate(model="smollm2", prompt="Describe a cat.", format=CAT, options={"num_predict": 80, "seed": 7})
    assert _valid_cat(json.loads(r.response))
    # A thinking model reasons unconstrained; the format starts after its closing tag (here never: random weights).
    t = native.chat(model="r1-think", messages=[{"role": "user", "content": "hi"}], format="json", options={"num_predict": 6, "seed": 1})
    assert t.message.thinking and t.message.content == ""
    with pytest.raises(ollama.ResponseError) as bad:
        native.generate(model="smollm2", prompt="x", format={"type": "string", "pattern": "a+"})
    assert bad.value.status_code == 400 and "pattern" in bad.value.error
