// A small syntax highlighter: one scanner, a rule set per language family. It colors comments,
// strings, numbers, keywords and literals, and returns spans with text nodes only.
import { h } from "./dom.js";

const C_LIKE = { line: "//", block: ["/*", "*/"], strings: ["\"", "'", "`"] };
const HASH = { line: "#", strings: ["\"", "'"] };
const LANGUAGES = {
  js: { ...C_LIKE, keywords: "async await break case catch class const continue default delete do else export extends finally for from function if import in instanceof let new of return static super switch this throw try typeof var void while yield" },
  ts: { ...C_LIKE, keywords: "abstract as async await break case catch class const continue declare default do else enum export extends finally for from function if implements import in interface is keyof let namespace new of private protected public readonly return static super switch this throw try type typeof var void while" },
  python: { ...HASH, strings: ["\"\"\"", "'''", "\"", "'"], keywords: "and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield", literals: "True False None self" },
  swift: { ...C_LIKE, strings: ["\"\"\"", "\""], keywords: "actor as associatedtype async await break case catch class continue default defer do else enum extension fallthrough fileprivate for func guard if import in init inout internal is let mutating nonisolated open private protocol public repeat rethrows return some static struct subscript switch throw throws try typealias var where while", literals: "true false nil self Self" },
  c: { ...C_LIKE, strings: ["\"", "'"], keywords: "auto break case char const continue default do double else enum extern float for goto if inline int long register return short signed sizeof static struct switch typedef union unsigned void volatile while #include #define #if #ifdef #ifndef #endif #else #pragma class namespace template typename public private protected virtual override new delete using nullptr constexpr auto bool" },
  java: { ...C_LIKE, strings: ["\"", "'"], keywords: "abstract boolean break byte case catch char class const continue default do double else enum extends final finally float for if implements import instanceof int interface long new package private protected public return short static super switch synchronized this throw throws try void volatile while var record" },
  go: { ...C_LIKE, keywords: "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var", literals: "true false nil iota" },
  rust: { ...C_LIKE, strings: ["\""], keywords: "as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while" },
  bash: { ...HASH, keywords: "if then else elif fi for while until do done case esac function in return local export set echo exit cd" },
  sql: { line: "--", block: ["/*", "*/"], strings: ["'", "\""], caseless: true, keywords: "select from where insert into values update set delete create table index drop alter join left right inner outer on group by order having limit offset as and or not null primary key foreign references distinct union all case when then else end" },
  json: { strings: ["\""], keywords: "" },
  css: { block: ["/*", "*/"], strings: ["\"", "'"], keywords: "" },
  html: { block: ["<!--", "-->"], strings: ["\"", "'"], keywords: "" },
};
const ALIASES = { javascript: "js", jsx: "js", mjs: "js", typescript: "ts", tsx: "ts", py: "python", python3: "python", sh: "bash", shell: "bash", zsh: "bash", console: "bash", "c++": "c", cpp: "c", cc: "c", h: "c", hpp: "c", csharp: "java", cs: "java", kotlin: "java", kt: "java", golang: "go", rs: "rust", xml: "html", svg: "html", yaml: "bash", yml: "bash", toml: "bash", dockerfile: "bash" };
const LITERALS = "true false null undefined";

const sets = new Map();
function wordSet(lang) {
  if (!sets.has(lang)) {
    const spec = LANGUAGES[lang];
    sets.set(lang, { keywords: new Set(spec.keywords.split(" ").filter(Boolean)), literals: new Set((spec.literals || LITERALS).split(" ")) });
  }
  return sets.get(lang);
}

/** The code as a fragment of text nodes and `tok-*` spans; unknown languages come back as plain text. */
export function highlight(code, language) {
  const fragment = document.createDocumentFragment();
  const lang = ALIASES[(language || "").toLowerCase()] || (language || "").toLowerCase();
  const spec = LANGUAGES[lang];
  if (!spec) { fragment.append(code); return fragment; }
  const words = wordSet(lang);
  let plain = "";
  const flush = () => { if (plain) { fragment.append(plain); plain = ""; } };
  const token = (cls, text) => { flush(); fragment.append(h("span", { class: `tok-${cls}` }, text)); };
  let i = 0;
  while (i < code.length) {
    const rest = code.startsWith.bind(code);
    if (spec.line && rest(spec.line, i) && !(lang === "bash" && i > 0 && /\S/.test(code[i - 1]) && code[i - 1] !== " ")) {
      const end = code.indexOf("\n", i);
      const stop = end < 0 ? code.length : end;
      token("com", code.slice(i, stop));
      i = stop;
      continue;
    }
    if (spec.block && rest(spec.block[0], i)) {
      const end = code.indexOf(spec.block[1], i + spec.block[0].length);
      const stop = end < 0 ? code.length : end + spec.block[1].length;
      token("com", code.slice(i, stop));
      i = stop;
      continue;
    }
    const quote = spec.strings.find((q) => rest(q, i));
    if (quote) {
      let j = i + quote.length;
      while (j < code.length && !code.startsWith(quote, j)) {
        if (code[j] === "\\") j++;
        else if (code[j] === "\n" && quote.length === 1 && quote !== "`") break;
        j++;
      }
      const stop = Math.min(code.length, j + (code.startsWith(quote, j) ? quote.length : 0));
      token(lang === "json" && /^\s*:/.test(code.slice(stop)) ? "key" : "str", code.slice(i, stop));
      i = stop;
      continue;
    }
    const number = /^(0x[\da-fA-F_]+|\d[\d_]*(\.\d+)?([eE][+-]?\d+)?)/.exec(code.slice(i, i + 64));
    if (number && (i === 0 || !/[\w$]/.test(code[i - 1]))) {
      token("num", number[0]);
      i += number[0].length;
      continue;
    }
    const word = /^#?[A-Za-z_$][\w$]*/.exec(code.slice(i, i + 128));
    if (word) {
      const w = spec.caseless ? word[0].toLowerCase() : word[0];
      if (words.keywords.has(w)) token("kw", word[0]);
      else if (words.literals.has(w)) token("lit", word[0]);
      else if (code[i + word[0].length] === "(") token("fn", word[0]);
      else plain += word[0];
      i += word[0].length;
      continue;
    }
    plain += code[i++];
  }
  flush();
  return fragment;
}
