// ANSI SGR (the protocol's default colours) to DOM spans with CSS classes; links.

const ESC = /\x1b\[([0-9;]*)m/g;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'\x1b]+/g;

function xterm(n) {
  if (n < 232) {
    n -= 16;
    const v = (x) => (x ? 55 + x * 40 : 0);
    return `rgb(${v(Math.floor(n / 36))},${v(Math.floor(n / 6) % 6)},${v(n % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

function applySgr(st, params) {
  const p = params === "" ? [0] : params.split(";").map(Number);
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === 0) Object.assign(st, { fg: null, bg: null, b: false, i: false, u: false, r: false, d: false });
    else if (c === 1) st.b = true;
    else if (c === 2) st.d = true;
    else if (c === 3) st.i = true;
    else if (c === 4) st.u = true;
    else if (c === 7) st.r = true;
    else if (c === 21 || c === 22) st.b = st.d = false;
    else if (c === 23) st.i = false;
    else if (c === 24) st.u = false;
    else if (c === 27) st.r = false;
    else if (c >= 30 && c <= 37) st.fg = c - 30;
    else if (c >= 90 && c <= 97) st.fg = c - 82;
    else if (c === 39) st.fg = null;
    else if (c >= 40 && c <= 47) st.bg = c - 40;
    else if (c >= 100 && c <= 107) st.bg = c - 92;
    else if (c === 49) st.bg = null;
    else if ((c === 38 || c === 48) && p[i + 1] === 5) {
      st[c === 38 ? "fg" : "bg"] = p[i + 2];
      i += 2;
    } else if ((c === 38 || c === 48) && p[i + 1] === 2) {
      st[c === 38 ? "fg" : "bg"] = `rgb(${p[i + 2]},${p[i + 3]},${p[i + 4]})`;
      i += 4;
    }
  }
}

function styled(st, node) {
  if (st.fg === null && st.bg === null && !st.b && !st.i && !st.u && !st.r && !st.d) return node;
  const span = document.createElement("span");
  const cls = [];
  for (const [k, key] of [["fg", "f"], ["bg", "g"]]) {
    const v = st[k];
    if (typeof v === "number" && v < 16) cls.push(key + v);
    else if (v !== null) span.style[k === "fg" ? "color" : "backgroundColor"] = typeof v === "number" ? xterm(v) : v;
  }
  if (st.b) cls.push("b");
  if (st.i) cls.push("i");
  if (st.u) cls.push("u");
  if (st.r) cls.push("rv");
  if (st.d) cls.push("dim");
  span.className = cls.join(" ");
  span.append(node);
  return span;
}

function linkify(text, out) {
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0].replace(/[.,;:!?)\]]+$/, "");
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    const a = document.createElement("a");
    a.href = url.startsWith("www.") ? "https://" + url : url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.textContent = url;
    out.push(a);
    last = m.index + url.length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
}

// Returns a DocumentFragment of the text with its colours; links when asked.
export function ansi(text, links = false) {
  const frag = document.createDocumentFragment();
  const st = { fg: null, bg: null, b: false, i: false, u: false, r: false, d: false };
  let last = 0;
  const emit = (s) => {
    if (!s) return;
    const nodes = [];
    if (links) linkify(s, nodes);
    else nodes.push(document.createTextNode(s));
    for (const n of nodes) frag.append(styled(st, n));
  };
  for (const m of text.matchAll(ESC)) {
    emit(text.slice(last, m.index));
    applySgr(st, m[1]);
    last = m.index + m[0].length;
  }
  emit(text.slice(last));
  return frag;
}

export const strip = (text) => text.replace(ESC, "");

// A stable colour class for a nick when perchd gave none.
export function nickClass(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return "n" + (h % 12);
}
