// The web UI's entry point: signing in (or creating the first admin), the sidebar of saved chats,
// and switching between the chat, models and settings views by the URL's hash
// (#/chat/ID, #/models, #/settings), so a reload comes back to the same place.
import { h, clear, api, setUnauthorizedHandler } from "./dom.js";
import { ChatView } from "./chat.js";
import { renderModels, renderSettings } from "./pages.js";

const $ = (id) => document.getElementById(id);

class App {
  constructor() {
    this.user = null;
    this.models = [];
    this.chat = new ChatView(this);
    setUnauthorizedHandler(() => this.showAuth(false));
  }

  async boot() {
    const session = await api("GET", "/web/session");
    if (session.user) await this.start(session.user);
    else this.showAuth(session.setup_required);
  }

  showAuth(setup) {
    $("shell").hidden = true;
    $("auth").hidden = false;
    $("auth-intro").textContent = setup
      ? "Welcome. Create the admin account for this server: it manages users and models."
      : "Sign in to chat.";
    $("password2-label").hidden = !setup;
    $("password2").required = setup;
    $("password").autocomplete = setup ? "new-password" : "current-password";
    $("auth-submit").textContent = setup ? "Create admin account" : "Sign in";
    $("auth-error").textContent = "";
    $("auth-form").onsubmit = async (event) => {
      event.preventDefault();
      const username = $("username").value.trim();
      const password = $("password").value;
      if (setup && password !== $("password2").value) {
        $("auth-error").textContent = "The passwords differ.";
        return;
      }
      try {
        const { user } = await api("POST", setup ? "/web/setup" : "/web/login", { username, password });
        $("password").value = $("password2").value = "";
        await this.start(user);
      } catch (error) {
        $("auth-error").textContent = error.message;
      }
    };
    $("username").focus();
  }

  async start(user) {
    this.user = user;
    $("auth").hidden = true;
    $("shell").hidden = false;
    $("whoami").textContent = `${user.username} (${user.role})`;
    $("new-chat").onclick = () => { location.hash = "#/new"; this.closeSidebar(); };
    $("nav-models").onclick = () => { location.hash = "#/models"; this.closeSidebar(); };
    $("nav-settings").onclick = () => { location.hash = "#/settings"; this.closeSidebar(); };
    $("logout").onclick = async () => {
      await api("POST", "/web/logout").catch(() => {});
      // A full reload drops every chat of this user from memory before anyone else signs in.
      location.replace("/");
    };
    $("menu").onclick = () => $("shell").classList.toggle("sidebar-open");
    $("scrim").onclick = () => this.closeSidebar();
    let searchTimer = null;
    $("search").oninput = () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => this.loadChats(), 200);
    };
    window.onhashchange = () => this.route();
    await Promise.all([this.loadModels(), this.loadChats()]);
    await this.route();
  }

  closeSidebar() { $("shell").classList.remove("sidebar-open"); }

  async loadModels() {
    try {
      this.models = (await api("GET", "/api/tags")).models || [];
    } catch {
      this.models = [];
    }
    this.chat.refreshModelPicker();
  }

  /** Whether the model can think: only then does a request carry `think` (others refuse it). */
  canThink(name) {
    const model = this.models.find((m) => m.name === name || m.model === name);
    return !!(model && (model.capabilities || []).includes("thinking"));
  }

  async loadChats() {
    const q = $("search").value.trim();
    const { chats } = await api("GET", `/web/chats${q ? `?q=${encodeURIComponent(q)}` : ""}`);
    const list = clear($("chat-list"));
    if (!chats.length) list.append(h("li", { class: "muted" }, q ? "No chat matches." : "No chats yet."));
    for (const chat of chats) list.append(this.chatItem(chat));
  }

  chatItem(chat) {
    const active = this.chat.chat && this.chat.chat.id === chat.id;
    const title = h("button", { class: "title", type: "button", title: chat.title }, chat.title);
    title.onclick = () => { location.hash = `#/chat/${chat.id}`; this.closeSidebar(); };
    const item = h("li", { class: `chat-item${active ? " active" : ""}`, dataset: { id: chat.id } }, title,
      h("span", { class: "actions" },
        h("button", { type: "button", class: "rename", title: "Rename", onclick: () => this.rename(item, chat) }, "✎"),
        h("button", { type: "button", class: "delete", title: "Delete", onclick: () => this.remove(chat) }, "✕")));
    return item;
  }

  rename(item, chat) {
    const input = h("input", { class: "rename-input", value: chat.title, "aria-label": "Chat title" });
    const finish = async (save) => {
      input.onblur = null;
      const title = input.value.trim();
      if (save && title && title !== chat.title) {
        await api("PATCH", `/web/chats/${chat.id}`, { title });
        if (this.chat.chat && this.chat.chat.id === chat.id) this.chat.chat.title = title;
      }
      await this.loadChats();
    };
    input.onkeydown = (e) => {
      if (e.key === "Enter") finish(true);
      else if (e.key === "Escape") finish(false);
    };
    input.onblur = () => finish(true);
    item.replaceChildren(input);
    input.focus();
    input.select();
  }

  async remove(chat) {
    if (!confirm(`Delete "${chat.title}"?`)) return;
    await api("DELETE", `/web/chats/${chat.id}`);
    if (this.chat.chat && this.chat.chat.id === chat.id) location.hash = "#/new";
    await this.loadChats();
  }

  /** Marks the open chat in the sidebar without reloading the list. */
  markActive(id) {
    for (const item of $("chat-list").querySelectorAll(".chat-item")) item.classList.toggle("active", item.dataset.id === id);
  }

  async route() {
    const [, view, id] = location.hash.split("/");
    for (const name of ["chat-view", "models-view", "settings-view"]) $(name).hidden = true;
    const onChat = !view || view === "new" || view === "chat";
    $("model-picker").hidden = $("chat-settings-toggle").hidden = !onChat;
    if (view === "models") {
      $("models-view").hidden = false;
      await renderModels(this, $("models-view"));
    } else if (view === "settings") {
      $("settings-view").hidden = false;
      await renderSettings(this, $("settings-view"));
    } else {
      $("chat-view").hidden = false;
      if (view === "chat" && id) await this.chat.open(id);
      else this.chat.newDraft();
    }
  }
}

const app = new App();
app.boot().catch((error) => {
  document.body.prepend(h("p", { class: "error" }, `Tern could not start the UI: ${error.message}`));
});
