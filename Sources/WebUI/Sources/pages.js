// The models page (installed and running models; pull and delete for admins) and the settings
// page (the user's password and API keys; user administration for admins).
import { h, clear, api, readNDJSON, formatBytes } from "./dom.js";

export async function renderModels(app, el) {
  clear(el).append(h("p", { class: "muted" }, "Loading…"));
  let tags, ps;
  try {
    [tags, ps] = await Promise.all([api("GET", "/api/tags"), api("GET", "/api/ps")]);
  } catch (error) {
    clear(el).append(h("p", { class: "error" }, error.message));
    return;
  }
  const admin = app.user.role === "admin";
  clear(el).append(h("h2", {}, "Installed models"));
  const installed = h("tbody");
  for (const m of tags.models || []) {
    const d = m.details || {};
    installed.append(h("tr", { dataset: { model: m.name } },
      h("td", {}, m.name), h("td", {}, formatBytes(m.size)), h("td", {}, d.quantization_level || "—"),
      h("td", {}, d.family || "—"), h("td", {}, d.parameter_size || "—"),
      h("td", {}, (m.capabilities || []).join(", ")),
      admin ? h("td", {}, h("button", { type: "button", class: "small delete-model", onclick: () => remove(m.name) }, "Delete")) : null));
  }
  if (!(tags.models || []).length) installed.append(h("tr", {}, h("td", { colspan: 7, class: "muted" }, "No models installed.")));
  el.append(h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Size", "Quantization", "Architecture", "Parameters", "Capabilities"]
    .map((t) => h("th", {}, t)), admin ? h("th") : null)), installed));

  if (admin) {
    const name = h("input", { id: "pull-name", placeholder: "e.g. smollm2:135m", required: true, "aria-label": "Model to pull" });
    const status = h("span", { class: "muted", id: "pull-status" });
    const bar = h("progress", { id: "pull-progress", max: 1, value: 0, hidden: true });
    const form = h("form", {}, name, h("button", { type: "submit", class: "primary" }, "Pull"), status);
    form.onsubmit = async (event) => {
      event.preventDefault();
      bar.hidden = false;
      status.textContent = "Starting…";
      try {
        const res = await fetch("/api/pull", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ model: name.value.trim(), stream: true }), credentials: "same-origin" });
        if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || res.statusText);
        await readNDJSON(res, (p) => {
          if (p.error) throw new Error(p.error);
          status.textContent = p.total ? `${p.status} ${formatBytes(p.completed || 0)} / ${formatBytes(p.total)}` : p.status;
          if (p.total) { bar.max = p.total; bar.value = p.completed || 0; }
        });
        await app.loadModels();
        await renderModels(app, el);
      } catch (error) {
        status.textContent = `Pull failed: ${error.message}`;
        bar.hidden = true;
      }
    };
    el.append(h("h2", {}, "Pull a model"), form, bar);
  }

  el.append(h("h2", {}, "Running models"));
  const running = h("tbody");
  for (const m of ps.models || []) {
    const vram = m.size_vram || 0;
    const placement = vram === 0 ? "CPU" : vram >= m.size ? "GPU" : `${Math.round((100 * vram) / m.size)}% GPU`;
    running.append(h("tr", {}, h("td", {}, m.name), h("td", {}, formatBytes(m.size)), h("td", {}, formatBytes(vram)),
      h("td", {}, placement), h("td", {}, m.context_length || "—"),
      h("td", {}, m.expires_at ? new Date(m.expires_at).toLocaleTimeString() : "—")));
  }
  if (!(ps.models || []).length) running.append(h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No model is loaded.")));
  el.append(h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Memory", "GPU memory", "Placement", "Context", "Unloads at"]
    .map((t) => h("th", {}, t)))), running));

  async function remove(model) {
    if (!confirm(`Delete ${model}?`)) return;
    await api("DELETE", "/api/delete", { model });
    await app.loadModels();
    await renderModels(app, el);
  }
}

export async function renderSettings(app, el) {
  clear(el);
  passwordSection(el);
  await keysSection(el);
  if (app.user.role === "admin") await usersSection(app, el);
}

function passwordSection(el) {
  const current = h("input", { id: "current-password", type: "password", placeholder: "Current password", required: true, autocomplete: "current-password", "aria-label": "Current password" });
  const fresh = h("input", { id: "new-password", type: "password", placeholder: "New password (8+ characters)", required: true, autocomplete: "new-password", "aria-label": "New password" });
  const status = h("p", { id: "password-status" });
  const form = h("form", { id: "change-password" }, current, fresh, h("button", { type: "submit" }, "Change password"));
  form.onsubmit = async (event) => {
    event.preventDefault();
    status.className = "";
    try {
      await api("POST", "/web/me/password", { current_password: current.value, new_password: fresh.value });
      current.value = fresh.value = "";
      status.textContent = "Password changed; your other sessions were signed out.";
    } catch (e) {
      status.className = "error";
      status.textContent = e.message;
    }
  };
  el.append(h("div", { id: "password" }, h("h2", {}, "Password"), form, status));
}

async function keysSection(el) {
  const section = h("div", { id: "keys" });
  el.append(section);
  const draw = async (secret) => {
    const { keys } = await api("GET", "/web/keys");
    clear(section).append(h("h2", {}, "API keys"),
      h("p", { class: "muted" }, "For scripts and other clients: send Authorization: Bearer KEY to /api/ or /v1/."));
    if (secret) section.append(h("p", {}, "Your new key (shown once):"), h("p", { class: "secret", id: "new-key" }, secret));
    const rows = h("tbody");
    for (const k of keys) {
      rows.append(h("tr", {}, h("td", {}, k.name), h("td", {}, `${k.prefix}…`),
        h("td", {}, new Date(k.created_at * 1000).toLocaleString()),
        h("td", {}, k.last_used_at ? new Date(k.last_used_at * 1000).toLocaleString() : "never"),
        h("td", {}, h("button", { type: "button", class: "small", onclick: async () => { await api("DELETE", `/web/keys/${k.id}`); await draw(); } }, "Revoke"))));
    }
    if (keys.length) section.append(h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Key", "Created", "Last used", ""].map((t) => h("th", {}, t)))), rows));
    const name = h("input", { placeholder: "Key name", required: true, "aria-label": "Key name" });
    const form = h("form", {}, name, h("button", { type: "submit" }, "Create key"));
    form.onsubmit = async (event) => {
      event.preventDefault();
      const created = await api("POST", "/web/keys", { name: name.value.trim() });
      await draw(created.secret);
    };
    section.append(form);
  };
  await draw();
}

async function usersSection(app, el) {
  const section = h("div", { id: "users" });
  el.append(section);
  const error = h("p", { class: "error", id: "users-error" });
  const act = async (work) => {
    error.textContent = "";
    try { await work(); } catch (e) { error.textContent = e.message; }
    await draw();
  };
  const draw = async () => {
    const { users } = await api("GET", "/web/users");
    const rows = h("tbody");
    for (const u of users) {
      const role = h("select", { "aria-label": `Role of ${u.username}` }, h("option", { value: "user" }, "user"), h("option", { value: "admin" }, "admin"));
      role.value = u.role;
      role.onchange = () => act(() => api("PATCH", `/web/users/${u.id}`, { role: role.value }));
      const enabled = h("input", { type: "checkbox", checked: !u.disabled, "aria-label": `${u.username} enabled` });
      enabled.onchange = () => act(() => api("PATCH", `/web/users/${u.id}`, { disabled: !enabled.checked }));
      rows.append(h("tr", { dataset: { user: u.username } }, h("td", {}, u.username, u.id === app.user.id ? " (you)" : ""), h("td", {}, role),
        h("td", {}, h("label", {}, enabled, " enabled")),
        h("td", {}, h("button", { type: "button", class: "small", onclick: () => { if (confirm(`Remove ${u.username} and their chats?`)) act(() => api("DELETE", `/web/users/${u.id}`)); } }, "Remove"))));
    }
    const username = h("input", { id: "new-user-name", placeholder: "Username", required: true, "aria-label": "New username" });
    const password = h("input", { id: "new-user-password", type: "password", placeholder: "Password (8+ characters)", required: true, autocomplete: "new-password", "aria-label": "New user's password" });
    const role = h("select", { id: "new-user-role", "aria-label": "New user's role" }, h("option", { value: "user" }, "user"), h("option", { value: "admin" }, "admin"));
    const form = h("form", { id: "add-user" }, username, password, role, h("button", { type: "submit", class: "primary" }, "Add user"));
    form.onsubmit = (event) => {
      event.preventDefault();
      act(() => api("POST", "/web/users", { username: username.value.trim(), password: password.value, role: role.value }));
    };
    clear(section).append(h("h2", {}, "Users"), h("table", {}, h("thead", {}, h("tr", {}, ["Username", "Role", "Status", ""].map((t) => h("th", {}, t)))), rows), form, error);
  };
  await draw();
}
