// ANSI SGR (the protocol's default colours) to DOM spans with CSS classes; links.
import { el as mk } from "./dom.js";

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

// ---------- chat lines ----------

const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

// The local day of a line (cached on it: rows are rebuilt often, dates parsed once).
function dayOf(l) {
  if (l._day === undefined) {
    const d = new Date(l.date);
    l._day = d.getTime() > 0 ? `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}` : "";
  }
  return l._day;
}

function lineRow(l) {
  const d = new Date(l.date);
  const row = mk("div", "line" + (l.highlight ? " highlight" : ""));
  row.dataset.id = l.id;
  const t = mk("time", "ts", d.getTime() > 0 ? timeFmt.format(d) : "");
  t.dateTime = l.date;
  const p = mk("span", "prefix");
  const nick = l.tags && l.tags.find((x) => x.startsWith("nick_"));
  if (nick && !l.prefix.includes("\x1b")) p.classList.add(nickClass(nick.slice(5)));
  p.append(ansi(l.prefix));
  const m = mk("span", "msg");
  m.append(ansi(l.message, true));
  row.append(t, p, m);
  return row;
}

// ---------- the virtualized chat view ----------
//
// The lines of a buffer become rows (day separators, lines, the unread line); only the
// rows in and near the viewport are in the DOM, between two spacers whose heights stand
// for the rows above and below. Row heights are measured once rendered (estimated until
// then). The view keeps an anchor, the first line at the top of the viewport and its
// offset: when rows come in above (older history) or heights are corrected, the anchor
// stays where it was on screen. At the bottom, the view follows new lines.

export class ChatView {
  constructor(box, { onScroll } = {}) {
    this.box = box;
    this.rows = [];             // {key, kind: "line"|"day"|"unread", line}
    this.index = new Map();     // key -> row index
    this.heights = new Map();   // key -> measured height in px
    this.live = new Map();      // key -> {el, line}: rows in the DOM
    this.tops = new Float64Array(1);
    this.total = 0;
    this.dirty = true;
    this.follow = true;
    this.lineH = 20;            // running estimate of a line's height
    this.mark = null;           // the id of a line shown outlined (a search result)
    this.lastMs = 0;            // how long the last set() took (benchmarks)
    this.paints = 0;            // paint() calls and the passes they took (benchmarks)
    this.passes = 0;
    this.top = mk("div", "spacer");
    this.bottom = mk("div", "spacer");
    box.replaceChildren(this.top, this.bottom);
    let width = box.clientWidth;
    box.addEventListener("scroll", () => {
      this.follow = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
      this.paint(this.anchor());
      if (onScroll) onScroll();
    }, { passive: true });
    new ResizeObserver(() => {
      if (box.clientWidth === width) return this.paint(this.anchor());
      width = box.clientWidth;       // lines wrap differently: measure again
      const a = this.anchor();
      this.heights.clear();
      this.dirty = true;
      this.paint(a);
    }).observe(box);
  }

  // The rows of these lines; mode "bottom" shows the newest (a buffer opened), "keep" keeps
  // the line at the top of the view in place (history came in, a line changed), unless the
  // view follows the bottom.
  set(lines, marker, mode = "keep") {
    const t0 = performance.now();
    const anchor = mode === "bottom" ? null : this.anchor();
    if (mode === "bottom") {
      this.follow = true;
      this.heights.clear();
      for (const { el } of this.live.values()) el.remove();
      this.live.clear();
    }
    const rows = [];
    let prev = null;
    let last = null;
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i].displayed !== false) { last = lines[i]; break; }
    for (const l of lines) {
      if (l.displayed === false) continue;
      const day = dayOf(l);
      if (day && (!prev || dayOf(prev) !== day)) rows.push({ key: "d" + l.id, kind: "day", line: l });
      rows.push({ key: "l" + l.id, kind: "line", line: l });
      if (l.id === marker && l !== last) rows.push({ key: "u", kind: "unread", line: l });
      prev = l;
    }
    this.rows = rows;
    this.index = new Map(rows.map((r, i) => [r.key, i]));
    // Heights of rows that left (lines dropped from memory) go too: no growth while walking.
    for (const k of this.heights.keys()) if (!this.index.has(k)) this.heights.delete(k);
    this.dirty = true;
    this.paint(anchor);
    this.lastMs = performance.now() - t0;
  }

  // Brings a loaded line to the middle of the view (a search result, a link to a line) and
  // returns its element; null when the line is not loaded (page it in first).
  reveal(id) {
    const key = "l" + id;
    if (this.index.get(key) === undefined) return null;
    if (this.dirty) this.layout();
    this.follow = false;
    const h = this.heights.get(key) ?? this.lineH;
    this.paint({ key, off: Math.max(0, (this.box.clientHeight - h) / 2) });
    return this.live.get(key).el;
  }

  // Where the middle of the viewport is among the rows: 0 the first, 1 the last (or following).
  position() {
    if (this.follow || !this.rows.length) return 1;
    if (this.dirty) this.layout();
    const y = this.box.scrollTop - this.pad() + this.box.clientHeight / 2;
    return this.indexAt(y) / this.rows.length;
  }

  guess(r) {
    return r.kind === "line" ? this.lineH : r.kind === "day" ? 34 : 22;
  }

  layout() {
    const n = this.rows.length;
    if (this.tops.length < n + 1) this.tops = new Float64Array(Math.max(n + 1, this.tops.length * 2));
    let y = 0;
    for (let i = 0; i < n; i++) {
      this.tops[i] = y;
      y += this.heights.get(this.rows[i].key) ?? this.guess(this.rows[i]);
    }
    this.tops[n] = y;
    this.total = y;
    this.dirty = false;
  }

  // The row at content offset y (binary search over the tops).
  indexAt(y) {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  pad() {
    if (this.padTop === undefined) {
      const cs = getComputedStyle(this.box);
      this.padTop = parseFloat(cs.paddingTop) || 0;
      this.padBottom = parseFloat(cs.paddingBottom) || 0;
    }
    return this.padTop;
  }

  // The first line at or below the top of the viewport that is on screen (measured, where
  // the user sees it), and its offset from that top; else the first line there at all.
  anchor() {
    if (this.follow || !this.rows.length) return null;
    if (this.dirty) this.layout();
    const y = this.box.scrollTop - this.pad();
    const from = this.indexAt(y);
    let first = -1;
    for (let i = from; i < this.rows.length; i++) {
      const r = this.rows[i];
      if (r.kind !== "line") continue;
      if (first < 0) first = i;
      if (this.live.has(r.key) && this.heights.has(r.key)) return { key: r.key, off: this.tops[i] - y };
      if (!this.live.size) break;
    }
    return first < 0 ? null : { key: this.rows[first].key, off: this.tops[first] - y };
  }

  element(r) {
    const had = this.live.get(r.key);
    if (had && had.line === r.line) return had.el;
    if (had) {
      had.el.remove();
      this.heights.delete(r.key);
    }
    let el;
    if (r.kind === "line") {
      el = lineRow(r.line);
      if (r.line.id === this.mark) el.classList.add("found");
    }
    else if (r.kind === "day") el = mk("div", "day", dayFmt.format(new Date(r.line.date)));
    else el = mk("div", "unread", "new messages");
    el.dataset.key = r.key;
    this.live.set(r.key, { el, line: r.line });
    return el;
  }

  // Where the view should be: the bottom when following, else the anchor where it was.
  target(anchor) {
    const ai = anchor ? this.index.get(anchor.key) : undefined;
    if (this.follow) return Math.max(0, this.padTop + this.total + this.padBottom - this.box.clientHeight);
    if (ai !== undefined) return Math.max(0, this.padTop + this.tops[ai] - anchor.off);
    return this.box.scrollTop;
  }

  // The rows [s, e) around scroll position st.
  range(st) {
    const view = this.box.clientHeight;
    const over = Math.max(400, view);
    const y = st - this.padTop;
    return [this.indexAt(y - over), Math.min(this.rows.length, this.indexAt(y + view + over) + 1)];
  }

  paint(anchor) {
    const box = this.box;
    this.pad();
    this.paints += 1;
    for (let pass = 0; pass < 6; pass++) {
      this.passes += 1;
      if (this.dirty) this.layout();
      let st = this.target(anchor);
      const [s, e] = this.range(st);
      // Rows leaving the window leave the DOM; rows entering it are inserted in order.
      const want = new Set();
      for (let i = s; i < e; i++) want.add(this.rows[i].key);
      for (const [k, v] of this.live) {
        if (!want.has(k)) {
          v.el.remove();
          this.live.delete(k);
        }
      }
      const fresh = [];
      let cursor = this.top.nextSibling;
      for (let i = s; i < e; i++) {
        const r = this.rows[i];
        const el = this.element(r);
        if (!this.heights.has(r.key)) fresh.push(i);
        if (el === cursor) cursor = cursor.nextSibling;
        else box.insertBefore(el, cursor);
      }
      // Measure what is new (or was forgotten on a resize): one layout.
      let changed = false;
      let sum = 0;
      let n = 0;
      for (const i of fresh) {
        const r = this.rows[i];
        const h = this.live.get(r.key).el.getBoundingClientRect().height;
        if (r.kind === "line" && h > 0) {
          sum += h;
          n += 1;
        }
        if (Math.abs(h - (this.heights.get(r.key) ?? this.guess(r))) > 0.01) changed = true;
        this.heights.set(r.key, h);
      }
      if (n) this.lineH = this.lineH * 0.8 + (sum / n) * 0.2;
      if (changed) {
        // Heights unlike their estimates move what follows: place again, and render
        // again only if the window now needs rows that are not in the DOM.
        this.layout();
        st = this.target(anchor);
      }
      this.top.style.height = this.tops[s] + "px";
      this.bottom.style.height = this.total - this.tops[e] + "px";
      if (Math.abs(box.scrollTop - st) >= 1) box.scrollTop = st;
      if (!changed) return;
      const [s2, e2] = this.range(st);
      if (s2 >= s && e2 <= e) return;
    }
  }
}

// ---------- swipes on a narrow screen ----------

// Right opens the buffer list (or closes the nicklist), left the nicklist (or closes the
// buffer list): the body classes the ☰ and 👥 buttons toggle.
export function swipeLists(target, narrow = () => matchMedia("(max-width: 700px)").matches) {
  const body = document.body;
  let x0 = null;
  let y0 = 0;
  target.addEventListener("touchstart", (ev) => {
    x0 = ev.touches.length === 1 && narrow() ? ev.touches[0].clientX : null;
    if (x0 !== null) y0 = ev.touches[0].clientY;
  }, { passive: true });
  target.addEventListener("touchend", (ev) => {
    if (x0 === null) return;
    const t = ev.changedTouches[0];
    const dx = t.clientX - x0;
    const dy = t.clientY - y0;
    x0 = null;
    if (Math.abs(dx) < 50 || Math.abs(dy) > Math.abs(dx) / 2) return;
    const cl = body.classList;
    if (dx > 0) {
      if (cl.contains("show-nicks")) cl.remove("show-nicks");
      else cl.add("show-buffers");
    } else if (cl.contains("show-buffers")) cl.remove("show-buffers");
    else if (!cl.contains("no-nicks")) cl.add("show-nicks");
  }, { passive: true });
}
