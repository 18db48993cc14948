// The chat view: the conversation, streaming answers from /api/chat, stop, regenerate,
// edit-and-resend, thinking blocks and per-answer statistics. The chat is saved through /web/chats
// after each turn (and when stopped), so a reload finds it as it was.
import { h, clear, api, readNDJSON, copyText } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

const $ = (id) => document.getElementById(id);
const now = () => performance.now();

export class ChatView {
  constructor(app) {
    this.app = app;
    this.chat = null;
    this.controller = null;
    $("composer").onsubmit = (event) => { event.preventDefault(); this.sendPrompt(); };
    $("prompt").onkeydown = (event) => {
      // Enter sends, Shift+Enter breaks the line; an IME composing text keeps its Enter.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); this.sendPrompt(); }
    };
    $("prompt").oninput = () => this.fitPrompt();
    document.addEventListener("keydown", (event) => { if (event.key === "Escape" && this.controller) this.stop(); });
    $("stop").onclick = () => this.stop();
    $("model-picker").onchange = () => this.changeSettings({ model: $("model-picker").value });
    $("chat-settings-toggle").onclick = () => {
      const panel = $("chat-settings");
      panel.hidden = !panel.hidden;
      $("chat-settings-toggle").setAttribute("aria-expanded", String(!panel.hidden));
    };
    $("system-prompt").onchange = () => this.changeSettings({ system: $("system-prompt").value });
    for (const id of ["temperature", "num-ctx", "think"]) $(id).onchange = () => this.changeSettings({ options: this.readOptions() });
  }

  fitPrompt() {
    const prompt = $("prompt");
    prompt.style.height = "auto";
    prompt.style.height = `${prompt.scrollHeight + 2}px`;
  }

  newDraft() {
    if (this.controller) this.stop();
    const last = localStorage.getItem("tern.model");
    const names = this.app.models.map((m) => m.name);
    this.chat = { id: null, title: "New chat", model: names.includes(last) ? last : names[0] || "", system: "", options: { think: true }, messages: [] };
    this.showSettings();
    this.render();
    this.app.markActive(null);
    $("prompt").focus();
  }

  async open(id) {
    if (this.chat && this.chat.id === id) { this.render(); return; }
    if (this.controller) this.stop();
    try {
      this.chat = await api("GET", `/web/chats/${encodeURIComponent(id)}`);
    } catch (error) {
      if (error.status === 401) return;
      this.newDraft();
      this.notice(`That chat could not be opened: ${error.message}`);
      return;
    }
    this.showSettings();
    this.render();
    this.app.markActive(id);
  }

  refreshModelPicker() {
    const picker = clear($("model-picker"));
    const names = this.app.models.map((m) => m.name);
    if (!names.length) picker.append(h("option", { value: "" }, "No models installed"));
    for (const name of names) picker.append(h("option", { value: name }, name));
    const wanted = this.chat && this.chat.model;
    if (wanted && !names.includes(wanted)) picker.append(h("option", { value: wanted }, `${wanted} (not installed)`));
    if (wanted) picker.value = wanted;
  }

  showSettings() {
    const options = this.chat.options || {};
    this.refreshModelPicker();
    $("system-prompt").value = this.chat.system || "";
    $("temperature").value = options.temperature ?? "";
    $("num-ctx").value = options.num_ctx ?? "";
    $("think").checked = options.think !== false;
  }

  readOptions() {
    const options = { think: $("think").checked };
    const temperature = parseFloat($("temperature").value);
    const numCtx = parseInt($("num-ctx").value, 10);
    if (!Number.isNaN(temperature)) options.temperature = temperature;
    if (!Number.isNaN(numCtx)) options.num_ctx = numCtx;
    return options;
  }

  async changeSettings(change) {
    Object.assign(this.chat, change);
    if (change.model) localStorage.setItem("tern.model", change.model);
    if (this.chat.id) await api("PATCH", `/web/chats/${this.chat.id}`, change);
  }

  notice(text) {
    $("messages").append(h("div", { class: "message" }, h("p", { class: "error" }, text)));
  }

  // MARK: rendering

  render() {
    const list = clear($("messages"));
    if (!this.chat.messages.length) {
      list.append(h("div", { class: "empty" }, h("h2", {}, "What can I help with?"),
        h("p", {}, this.chat.model ? `Chatting with ${this.chat.model}` : "Install a model on the Models page to start.")));
    }
    this.chat.messages.forEach((message, index) => list.append(this.messageNode(message, index)));
    this.scrollToEnd(true);
  }

  messageNode(message, index) {
    const node = h("div", { class: `message ${message.role}`, dataset: { index } });
    node.message = message;
    if (message.role === "user") {
      node.append(h("div", { class: "bubble content" }, message.content));
      node.append(h("div", { class: "tools" },
        h("button", { type: "button", class: "edit", onclick: () => this.edit(node, index) }, "Edit"),
        h("button", { type: "button", class: "copy", onclick: () => copyText(message.content) }, "Copy")));
    } else {
      node.thinking = h("details", { class: "thinking" }, h("summary"), h("div", { class: "thinking-body" }));
      node.content = h("div", { class: "bubble content" });
      node.error = h("p", { class: "error" });
      node.stats = h("div", { class: "stats" });
      const isLast = index === this.chat.messages.length - 1;
      node.tools = h("div", { class: "tools" },
        h("button", { type: "button", class: "copy", onclick: () => copyText(message.content) }, "Copy"),
        isLast ? h("button", { type: "button", class: "regenerate", onclick: () => this.regenerate() }, "Regenerate") : null);
      node.append(node.thinking, node.content, node.error, node.stats, node.tools);
      this.update(node, false);
    }
    return node;
  }

  /** Redraws an answer in place: the thinking block keeps whatever open state the reader gave it. */
  update(node, streaming) {
    const m = node.message;
    const s = m.stats || {};
    node.thinking.hidden = !m.thinking;
    node.thinking.querySelector(".thinking-body").textContent = m.thinking || "";
    const thinkingNow = streaming && !m.content && !s.thought_seconds;
    node.thinking.querySelector("summary").textContent = thinkingNow ? "Thinking…"
      : `Thought for ${s.thought_seconds >= 10 ? Math.round(s.thought_seconds) : (s.thought_seconds || 0).toFixed(1)} s`;
    if (thinkingNow) node.thinking.open = true;
    else if (node.thinking.dataset.closedOnce !== "1" && m.thinking && (m.content || !streaming)) {
      node.thinking.open = false;
      node.thinking.dataset.closedOnce = "1";
    }
    node.content.replaceChildren(renderMarkdown(m.content || ""));
    node.content.classList.toggle("cursor", streaming);
    node.error.textContent = m.error || "";
    node.stats.textContent = streaming ? "" : statsLine(s);
    node.tools.hidden = streaming;
  }

  scrollToEnd(force) {
    const list = $("messages");
    if (force || list.scrollHeight - list.scrollTop - list.clientHeight < 120) list.scrollTop = list.scrollHeight;
  }

  // MARK: sending

  async sendPrompt() {
    const text = $("prompt").value;
    if (!text.trim() || this.controller) return;
    if (!this.chat.model) { this.notice("Pick a model first."); return; }
    $("prompt").value = "";
    this.fitPrompt();
    this.chat.messages.push({ role: "user", content: text, created_at: Date.now() / 1000 });
    await this.ensureSaved(text);
    this.render();
    await this.save();
    await this.generate();
  }

  /** A draft becomes a saved chat with its first message, titled after it. */
  async ensureSaved(firstText) {
    if (this.chat.id) return;
    const title = firstText.trim().replace(/\s+/g, " ").slice(0, 60);
    const saved = await api("POST", "/web/chats", { title, model: this.chat.model, system: this.chat.system, options: this.chat.options });
    this.chat.id = saved.id;
    this.chat.title = saved.title;
    history.replaceState(null, "", `#/chat/${saved.id}`);
    await this.app.loadChats();
    this.app.markActive(saved.id);
  }

  async save() {
    const messages = this.chat.messages.map((m) => ({ role: m.role, content: m.content, thinking: m.thinking || "",
      stats: m.stats || {}, created_at: m.created_at }));
    await api("PUT", `/web/chats/${this.chat.id}/messages`, { messages });
  }

  async regenerate() {
    if (this.controller) return;
    if (this.chat.messages.at(-1)?.role === "assistant") this.chat.messages.pop();
    this.render();
    await this.generate();
  }

  edit(node, index) {
    if (this.controller) return;
    const area = h("textarea", {}, this.chat.messages[index].content);
    const send = h("button", { type: "button", class: "primary save-edit" }, "Save & send");
    const cancel = h("button", { type: "button" }, "Cancel");
    node.classList.add("editing");
    node.replaceChildren(area, h("div", { class: "tools" }, send, cancel));
    area.focus();
    cancel.onclick = () => this.render();
    send.onclick = async () => {
      if (!area.value.trim()) return;
      // Everything after the edited message answered the old text, so it goes.
      this.chat.messages = this.chat.messages.slice(0, index + 1);
      this.chat.messages[index] = { ...this.chat.messages[index], content: area.value };
      this.render();
      await this.save();
      await this.generate();
    };
  }

  stop() {
    // Aborting the fetch closes the connection; the server notices and stops generating.
    if (this.controller) this.controller.abort();
  }

  setStreaming(on) {
    $("send").hidden = on;
    $("stop").hidden = !on;
  }

  /** Streams an answer to the conversation so far into a new assistant message. */
  async generate() {
    const chat = this.chat;
    const model = chat.model;
    const answer = { role: "assistant", content: "", thinking: "", stats: { model }, created_at: Date.now() / 1000 };
    const history = chat.messages.map((m) => ({ role: m.role, content: m.content }));
    if (chat.system && chat.system.trim()) history.unshift({ role: "system", content: chat.system });
    chat.messages.push(answer);
    const node = this.messageNode(answer, chat.messages.length - 1);
    $("messages").append(node);
    this.scrollToEnd(true);

    const options = {};
    if (chat.options.temperature !== undefined) options.temperature = chat.options.temperature;
    if (chat.options.num_ctx !== undefined) options.num_ctx = chat.options.num_ctx;
    const body = { model, messages: history, stream: true, options };
    if (this.app.canThink(model)) body.think = chat.options.think !== false;

    this.controller = new AbortController();
    this.setStreaming(true);
    const started = now();
    let first = null, thinkStart = null, thinkEnd = null, pieces = 0, final = null, pending = false;
    const redraw = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; if (this.chat === chat) { this.update(node, !!this.controller); this.scrollToEnd(false); } });
    };
    try {
      const res = await fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), signal: this.controller.signal, credentials: "same-origin" });
      if (!res.ok) {
        const text = await res.text();
        let message = text;
        try { message = JSON.parse(text).error || text; } catch { /* plain text error */ }
        throw new Error(`${res.status}: ${message}`);
      }
      await readNDJSON(res, (chunk) => {
        if (chunk.error) throw new Error(chunk.error);
        const m = chunk.message || {};
        const t = now();
        if (m.thinking) { thinkStart ??= t; answer.thinking += m.thinking; }
        if (m.content) { if (answer.thinking) thinkEnd ??= t; answer.content += m.content; }
        if (m.thinking || m.content) { first ??= t; pieces++; }
        if (chunk.done) final = chunk;
        redraw();
      });
    } catch (error) {
      if (error.name === "AbortError") answer.stats.stopped = true;
      else answer.error = error.message;
    }
    const end = now();
    if (answer.thinking) answer.stats.thought_seconds = ((thinkEnd ?? end) - thinkStart) / 1000;
    if (first !== null) answer.stats.ttft_seconds = (first - started) / 1000;
    if (final && final.eval_count) {
      answer.stats.tokens = final.eval_count;
      answer.stats.tokens_per_second = final.eval_count / (final.eval_duration / 1e9);
      answer.stats.prompt_tokens = final.prompt_eval_count;
    } else if (pieces) {
      // Stopped early: no final counts came, so count the streamed pieces (one token each).
      answer.stats.tokens = pieces;
      answer.stats.tokens_per_second = end > first ? pieces / ((end - first) / 1000) : 0;
    }
    this.controller = null;
    this.setStreaming(false);
    // A full redraw moves the Regenerate button to the new last answer.
    if (this.chat === chat) this.render();
    await this.save().catch((error) => this.notice(`Could not save the chat: ${error.message}`));
    await this.app.loadChats();
  }
}

function statsLine(s) {
  const parts = [];
  if (s.tokens) parts.push(`${s.tokens} tokens`);
  if (s.tokens_per_second) parts.push(`${s.tokens_per_second.toFixed(1)} tokens/s`);
  if (s.ttft_seconds !== undefined) parts.push(`first token ${s.ttft_seconds.toFixed(2)} s`);
  if (s.stopped) parts.push("stopped");
  return parts.join(" · ");
}
