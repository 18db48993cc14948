// Markdown to DOM nodes, for model answers. It understands what chat models write: headings,
// paragraphs, lists (nested by indentation), block quotes, tables, fenced code, rules, and inline
// code, bold, italic, strike-through and links. It builds elements and text nodes only: HTML in
// the text stays text. An unclosed code fence (an answer still streaming) renders as code so far.
import { h, copyText } from "./dom.js";
import { highlight } from "./highlight.js";

export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  for (const node of blocks(text.replace(/\r\n?/g, "\n").split("\n"))) fragment.append(node);
  return fragment;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

function blocks(lines) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }
    let m;
    if ((m = line.match(FENCE))) {
      const fence = m[1];
      const body = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence)) body.push(lines[i++]);
      i++;
      out.push(codeBlock(body.join("\n"), m[2]));
    } else if ((m = line.match(HEADING))) {
      out.push(h(`h${m[1].length}`, {}, inline(m[2])));
      i++;
    } else if (RULE.test(line)) {
      out.push(h("hr"));
      i++;
    } else if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].replace(QUOTE, ""));
      out.push(h("blockquote", {}, blocks(body)));
    } else if (ITEM.test(line)) {
      i = list(lines, i, out);
    } else if (line.includes("|") && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes("-")) {
      i = table(lines, i, out);
    } else {
      const body = [];
      while (i < lines.length && lines[i].trim() && !startsBlock(lines, i)) body.push(lines[i++]);
      if (!body.length) body.push(lines[i++]);
      const p = h("p");
      body.forEach((l, n) => {
        if (n) p.append(h("br"));
        p.append(...inline(l.trim()));
      });
      out.push(p);
    }
  }
  return out;
}

function startsBlock(lines, i) {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line)
    || (line.includes("|") && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes("-"));
}

/** A list starting at lines[i]; deeper-indented lines belong to the item above them. */
function list(lines, i, out) {
  const first = lines[i].match(ITEM);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const el = ordered ? h("ol", { start: parseInt(first[2], 10) === 1 ? null : String(parseInt(first[2], 10)) }) : h("ul");
  while (i < lines.length) {
    const m = lines[i].match(ITEM);
    if (!m || m[1].length !== indent || /\d/.test(m[2]) !== ordered) break;
    const body = [m[3]];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      const leading = line.match(/^\s*/)[0].length;
      if (line.trim() && leading <= indent) break;
      if (!line.trim() && !(i + 1 < lines.length && lines[i + 1].match(/^\s*/)[0].length > indent && lines[i + 1].trim())) break;
      body.push(line.slice(Math.min(leading, indent + 2)));
      i++;
    }
    const li = h("li");
    const inner = blocks(body);
    // A tight item's single paragraph renders inline, as most renderers do.
    if (inner.length && inner[0].tagName === "P") {
      li.append(...inner[0].childNodes);
      inner.shift();
    }
    li.append(...inner);
    el.append(li);
    while (i < lines.length && !lines[i].trim() && i + 1 < lines.length && ITEM.test(lines[i + 1])
           && lines[i + 1].match(ITEM)[1].length === indent) i++;
  }
  out.push(el);
  return i;
}

function cells(line) {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

function table(lines, i, out) {
  const header = cells(lines[i]);
  const aligns = cells(lines[i + 1]).map((c) => (c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : null));
  // Alignment by class: the page's CSP refuses inline style attributes.
  const align = (n) => (aligns[n] ? `align-${aligns[n]}` : null);
  const head = h("tr", {}, header.map((c, n) => h("th", { class: align(n) }, inline(c))));
  const body = h("tbody");
  i += 2;
  while (i < lines.length && lines[i].includes("|") && lines[i].trim()) {
    const row = cells(lines[i++]);
    body.append(h("tr", {}, header.map((_, n) => h("td", { class: align(n) }, inline(row[n] ?? "")))));
  }
  out.push(h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), body)));
  return i;
}

export function codeBlock(code, language) {
  const button = h("button", { class: "copy-code", type: "button", title: "Copy code" }, "Copy");
  button.addEventListener("click", async () => {
    await copyText(code);
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy"; }, 1500);
  });
  return h("div", { class: "code-block" },
    h("div", { class: "code-header" }, h("span", { class: "code-language" }, language || "text"), button),
    h("pre", {}, h("code", { class: language ? `language-${language}` : null }, highlight(code, language))));
}

// Inline spans: the earliest match wins, and emphasis nests by recursion on its inner text.
const INLINE = [
  { re: /\\([\\`*_{}\[\]()#+\-.!~|<>])/, make: (m) => document.createTextNode(m[1]) },
  { re: /(`+)([\s\S]*?[^`])\1(?!`)/, make: (m) => h("code", {}, m[2].trim() ? m[2].replace(/^ (.*) $/, "$1") : m[2]) },
  { re: /!?\[([^\]]*)\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/, make: link },
  { re: /<(https?:\/\/[^\s>]+)>/, make: (m) => link([m[0], m[1], m[1]]) },
  { re: /\*\*(?=\S)([\s\S]*?\S)\*\*/, make: (m) => h("strong", {}, inline(m[1])) },
  { re: /__(?=\S)([\s\S]*?\S)__(?!\w)/, make: (m) => h("strong", {}, inline(m[1])) },
  { re: /~~(?=\S)([\s\S]*?\S)~~/, make: (m) => h("del", {}, inline(m[1])) },
  { re: /\*(?=[^\s*])([\s\S]*?[^\s*])\*/, make: (m) => h("em", {}, inline(m[1])) },
  { re: /(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/, make: (m) => h("em", {}, inline(m[1])) },
];

/** A link only for web and mail addresses: a `javascript:` or `data:` target stays text. */
function link(m) {
  const url = m[2];
  if (!/^(https?:|mailto:)/i.test(url)) return document.createTextNode(m[0]);
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, m[1] ? inline(m[1]) : url);
}

export function inline(text) {
  const out = [];
  let rest = text;
  while (rest) {
    let best = null;
    for (const rule of INLINE) {
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) { out.push(rest); break; }
    if (best.m.index) out.push(rest.slice(0, best.m.index));
    out.push(best.rule.make(best.m));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  return out;
}
