// perch web client: login, buffer list, chat view, nicklist, input, live events.
import { $, el } from "./dom.js";
import { offeredAlgos, makeSecret, remember, recall, forget } from "./auth.js";
import { Relay, tokenRefused } from "./relay.js";
import { ansi, nickClass, ChatView, swipeLists } from "./render.js";
import { initSearch, leaveContext } from "./search.js";
import { initNotify, notifyLine } from "./notify.js";
import { PAGE, initPaging, trim, loadNewest, onScroll as pageOnScroll } from "./paging.js";

// ?relay=http://host:port points at another perchd (development and tests); default: this origin.
const params = new URLSearchParams(location.search);
const BASE = (params.get("relay") || location.origin).replace(/\/+$/, "");

const state = {
  relay: null,
  buffers: new Map(),   // id -> {b, lines[], ids Set, nicks Map, groups Map, hot [4], complete, tail}
  order: [],            // ids in display order
  current: null,
  history: [], histPos: 0,
  comp: null,
  maxLines: 5000,                   // lines a buffer holds in memory (paging.js)
  retry: { base: 1000, cap: 60000 }, // reconnection backoff after a fault, ms (relay.js)
};
window.perch = state; // for debugging and tests

// ---------- login ----------

function showLogin(error) {
  if (state.relay) state.relay.stop();
  state.relay = null;
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = error || "";
  $("login-button").disabled = false;
  $("password").focus();
  // Ask early whether a TOTP code is wanted, so the field is there before the first try.
  handshake().then((hs) => { $("totp-row").hidden = !hs.totp; }).catch(() => {});
}

async function handshake() {
  const r = await fetch(BASE + "/api/handshake", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password_hash_algo: offeredAlgos() }),
  });
  return r.json();
}

$("login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  performance.mark("login-submit");
  $("login-button").disabled = true;
  $("login-error").textContent = "";
  try {
    const hs = await handshake();
    if (hs.totp) $("totp-row").hidden = false;
    if (!hs.password_hash_algo) throw new Error("No password hash algorithm in common with perchd");
    const secret = await makeSecret($("password").value, hs.password_hash_algo, hs.password_hash_iterations);
    // A subprotocol item holds only token characters: anything else cannot be a code anyway.
    secret.totp = $("totp").value.trim().replace(/[^0-9A-Za-z]/g, "_");
    $("totp").value = "";
    state.remembering = $("remember").checked;
    if (!state.remembering) forget();
    $("password").value = "";
    start(secret);
  } catch (e) {
    showLogin(e.message);
  }
});

// secret: from the login form; token: a remembered login (then secret is null).
function start(secret, token = null) {
  state.relay = new Relay(BASE, secret, {
    onopen: (relay) => {
      resync(relay);
      relay.renewToken();
    },
    onevent,
    onstate: notice,
    ontoken: (t) => {
      if (state.remembering && t) remember(t);
      else forget();
    },
    onauth: (error) => {
      forget();
      showLogin(secret || !tokenRefused(error) ? error : "Your saved login expired or was revoked: log in again");
    },
  }, token, state.retry);
  state.relay.connect();
}

function notice(kind, text) {
  const n = $("notice");
  n.className = "notice " + (kind || "");
  n.textContent = text || "";
  n.hidden = !text;
}

// ---------- state ----------

async function resync(relay) {
  try {
    // One batch, sync last: both snapshots are answered before the first event, and this
    // code runs before that event is handled (no line lost or shown twice in between).
    const [hot, bufs] = await relay.send([
      ["GET /api/hotlist"],
      [`GET /api/buffers?lines=-${PAGE}&nicks=true`],
      ["POST /api/sync", { colors: "ansi" }],
    ]);
    performance.mark("resync-answered");
    mergeBuffers(bufs);
    applyHotlist(hot);
    relay.restarting = false;
    notice(null);
    $("login").hidden = true;
    $("app").hidden = false;
    requestAnimationFrame(() => performance.mark("buffers-painted"));
    if (!state.buffers.has(state.current)) state.current = null;
    select(state.current ?? state.order[0], state.current !== null);
  } catch (e) {
    notice("fault", "Resync failed: " + e.message);
  }
}

function newBuffer(b) {
  return { b, lines: [], ids: new Set(), nicks: new Map(), groups: new Map(), hot: [0, 0, 0, 0], complete: false, tail: true };
}

function mergeBuffers(list) {
  const seen = new Set();
  for (const b of list) {
    seen.add(b.id);
    let B = state.buffers.get(b.id);
    const lines = b.lines || [];
    if (!B) {
      B = newBuffer(b);
      B.complete = lines.length < PAGE;
      state.buffers.set(b.id, B);
    } else if (B.tail || !B.lines.length) {
      // Resync: keep what we have, add only the lines after the last one seen.
      const lastId = B.lines.length ? B.lines[B.lines.length - 1].id : -1;
      const gap = lines.length && B.lines.length && lines[0].id > lastId + 1;
      if (gap || !B.tail || b.type === "free") clearLines(B, false);
    }
    // A window of older history (its newest end dropped) stays as it is: newer lines page
    // in when the view reaches its end.
    setProps(B, b);
    if (B.tail) for (const l of lines) addLine(B, l, false);
    if (b.nicklist_root) setNicks(B, b.nicklist_root);
  }
  for (const id of [...state.buffers.keys()]) if (!seen.has(id)) state.buffers.delete(id);
  sortBuffers();
}

function clearLines(B, complete) {
  B.lines = [];
  B.ids.clear();
  B.complete = complete;
  B.tail = true;
  B.epoch = (B.epoch || 0) + 1;  // a page asked for before is not added
}

function setProps(B, b) {
  const { lines, nicklist_root, ...props } = b;
  B.b = Object.assign(B.b || {}, props);
}

function addLine(B, l, live) {
  if (B.b.type === "free") {
    const i = B.lines.findIndex((x) => x.id === l.id);
    if (i >= 0) {
      B.lines[i] = l;
      if (B === cur()) renderLines();
      return false;
    }
  }
  if (B.ids.has(l.id)) return false;
  // Without the newest end (older history is shown), a live line would follow a gap: it
  // comes in with the page that reaches it.
  const held = B.tail;
  if (held) {
    B.ids.add(l.id);
    B.lines.push(l);
    trim(B);
  }
  if (live) {
    const viewing = B === cur() && !document.hidden;
    if (!viewing && l.notify_level >= 0 && l.displayed !== false) {
      B.hot[Math.min(3, l.highlight ? 3 : l.notify_level)] += 1;
      renderBufferList();
    }
    if (held && B.ids.has(l.id) && B === cur() && !state.contextView) appendLine(l);
    notifyLine(features, B, l);
  }
  return true;
}

function setNicks(B, root) {
  B.nicks.clear();
  B.groups.clear();
  const walk = (g) => {
    B.groups.set(g.id, g);
    for (const n of g.nicks || []) B.nicks.set(n.id, n);
    for (const c of g.groups || []) walk(c);
  };
  walk(root);
}

function applyHotlist(hot) {
  for (const B of state.buffers.values()) B.hot = [0, 0, 0, 0];
  for (const h of hot) {
    const B = state.buffers.get(h.buffer_id);
    if (B && h.buffer_id !== state.current) B.hot = h.count.slice();
  }
}

const cur = () => state.buffers.get(state.current);
const lv = (B, k) => (B.b.local_variables || {})[k] || "";

function sortBuffers() {
  const groups = new Map();
  const all = [...state.buffers.values()].sort((a, b) => a.b.number - b.b.number || a.b.id - b.b.id);
  for (const B of all) {
    const key = lv(B, "plugin") === "irc" && lv(B, "server") ? "irc." + lv(B, "server") : "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(B);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === "" ? -1 : b === "" ? 1 : 0));
  state.groups = keys.map((k) => {
    const list = groups.get(k).sort((a, b) => (lv(b, "type") === "server") - (lv(a, "type") === "server"));
    return [k ? k.slice(4) : "", list];
  });
  state.order = state.groups.flatMap(([, list]) => list.map((B) => B.b.id));
  renderBufferList();
}

// ---------- events ----------

function onevent(ev) {
  const name = ev.event_name;
  const B = state.buffers.get(ev.buffer_id);
  switch (name) {
    case "upgrade_ended":
      // Kept across the upgrade: read again what the new process may not have pushed.
      return resync(state.relay);
    case "quit":
    case "upgrade":
      return;
    case "buffer_line_added":
      if (B) addLine(B, ev.body, true);
      return;
    case "buffer_line_data_changed":
      if (B) {
        const i = B.lines.findIndex((x) => x.id === ev.body.id);
        if (i >= 0) B.lines[i] = ev.body;
        if (B === cur()) renderLines();
      }
      return;
    case "buffer_opened": {
      const N = newBuffer(ev.body);
      setProps(N, ev.body);
      state.buffers.set(ev.body.id, N);
      for (const l of ev.body.lines || []) addLine(N, l, false);
      if (ev.body.nicklist_root) setNicks(N, ev.body.nicklist_root);
      return sortBuffers();
    }
    case "buffer_closing":
    case "buffer_closed":
      if (!B) return;
      state.buffers.delete(ev.buffer_id);
      sortBuffers();
      if (state.current === ev.buffer_id) select(state.order[0]);
      return;
    case "buffer_cleared":
      if (B) {
        clearLines(B, false);
        if (B === cur()) renderLines();
      }
      break;
  }
  if (!B) return;
  if (ev.body_type === "buffer") {
    setProps(B, ev.body);
    if (name.startsWith("buffer_")) sortBuffers();
    if (B === cur()) renderTitle();
  } else if (name.startsWith("nicklist_")) {
    const body = ev.body;
    if (name === "nicklist_nick_removing") B.nicks.delete(body.id);
    else if (name.startsWith("nicklist_nick")) B.nicks.set(body.id, body);
    else if (name === "nicklist_group_removing") {
      B.groups.delete(body.id);
      for (const [id, n] of B.nicks) if (n.parent_group_id === body.id) B.nicks.delete(id);
    } else B.groups.set(body.id, body);
    if (B === cur()) scheduleNicks();
  }
}

// ---------- rendering ----------

function renderBufferList() {
  const nav = $("buffers");
  nav.replaceChildren();
  let n = 0;
  for (const [server, list] of state.groups || []) {
    const sec = el("section", "group");
    if (server) sec.append(el("h2", "server", server));
    for (const B of list) {
      n += 1;
      const b = el("button", "buf" + (B.b.id === state.current ? " active" : ""));
      b.type = "button";
      b.dataset.id = B.b.id;
      const isChan = lv(B, "type") === "channel" || lv(B, "type") === "private";
      b.append(el("span", "num", String(n)), el("span", "name" + (isChan ? " sub" : ""),
        B.b.short_name || B.b.name));
      const unread = B.hot[1] + B.hot[2] + B.hot[3];
      if (unread) b.append(el("span", "count" + (B.hot[2] + B.hot[3] ? " hl" : ""), String(unread)));
      else if (B.hot[0]) b.classList.add("low");
      b.addEventListener("click", () => select(B.b.id));
      sec.append(b);
    }
    nav.append(sec);
  }
}

function renderTitle() {
  const B = cur();
  if (!B) return;
  $("buffer-name").textContent = B.b.short_name || B.b.name;
  $("title").replaceChildren(ansi(B.b.title || "", true));
  $("prompt").replaceChildren(ansi(B.b.input_prompt || ""));
  document.title = `${B.b.short_name || B.b.name} — perch`;
}

let nickTimer = 0;
function scheduleNicks() {
  clearTimeout(nickTimer);
  nickTimer = setTimeout(renderNicks, 50);
}

function renderNicks() {
  const B = cur();
  const aside = $("nicks");
  aside.replaceChildren();
  if (!B || !B.b.nicklist) {
    document.body.classList.add("no-nicks");
    return;
  }
  document.body.classList.remove("no-nicks");
  const nicks = [...B.nicks.values()].filter((n) => n.visible !== false);
  const gname = (n) => (B.groups.get(n.parent_group_id) || { name: "" }).name;
  nicks.sort((a, b) => gname(a).localeCompare(gname(b)) || a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  const ul = el("ul");
  for (const n of nicks) {
    const li = el("li");
    const pre = el("span", "mode");
    pre.append(n.prefix && n.prefix !== " " ? ansi((n.prefix_color || "") + n.prefix) : " ");
    const name = el("span", n.color ? "nick" : "nick " + nickClass(n.name));
    name.append(ansi((n.color || "") + n.name));
    li.append(pre, name);
    ul.append(li);
  }
  aside.append(el("h2", "", `${nicks.length} nicks`), ul);
}

// The chat view: only the rows near the viewport are in the DOM (render.js).
const view = new ChatView($("lines"), { onScroll: () => pageOnScroll() });
window.perch.view = view;

// mode "bottom" shows the newest lines (a buffer opened); "keep" keeps the view in place.
function renderLines(mode = "keep") {
  const B = cur();
  // Its window does not reach the newest lines: they are asked for, shown when they come.
  if (B && mode === "bottom" && !B.tail) loadNewest(B);
  view.mark = null;
  view.set(B ? B.lines : [], B && B.readMarker, mode);
  leaveContext(state);
  pageOnScroll();
}

function appendLine(l) {
  if (l.displayed !== false) renderLines();
}

// ---------- switching, read markers and hotlist ----------

function command(id, text) {
  if (!state.relay) return Promise.resolve();
  return state.relay.request("POST /api/input", { buffer_id: id, command: text }).catch(() => {});
}

function select(id, keepView = false) {
  const B = state.buffers.get(id);
  if (!B) return;
  const prev = state.current;
  if (prev !== id && state.buffers.has(prev)) {
    // Leaving a buffer: it has been read (WeeChat moves the marker to its end when the
    // last window leaves it); its hotlist entry goes away.
    command(prev, "/input set_unread_current_buffer");
    command(prev, "/buffer set hotlist -1");
  }
  state.current = id;
  if (prev !== id || !keepView) B.readMarker = B.b.last_read_line_id;
  if (B.hot.some((x) => x)) command(id, "/buffer set hotlist -1");
  B.hot = [0, 0, 0, 0];
  renderBufferList();
  renderTitle();
  renderLines(prev === id && keepView ? "keep" : "bottom");
  renderNicks();
  document.body.classList.remove("show-buffers", "show-nicks");
  if (matchMedia("(pointer: fine)").matches) $("input").focus();
}

function move(delta) {
  const i = state.order.indexOf(state.current);
  const n = state.order.length;
  if (n) select(state.order[(i + delta + n) % n]);
}

// ---------- input, history, completion ----------

$("input-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("input");
  const text = input.value;
  if (!text || !state.current) return;
  for (const line of text.split("\n")) command(state.current, line);
  state.history.push(text);
  if (state.history.length > 200) state.history.shift();
  state.histPos = state.history.length;
  input.value = "";
});

// A paste of several lines asks before sending them all.
$("input").addEventListener("paste", (ev) => {
  const text = ev.clipboardData.getData("text");
  const lines = text.split(/\r?\n/).filter((l) => l !== "");
  if (lines.length < 2) return;
  ev.preventDefault();
  if (!state.current || !confirm(`Send ${lines.length} lines to ${cur().b.short_name || cur().b.name}?`)) return;
  for (const line of lines) command(state.current, line);
});

const byteToChar = (s, bytes) => {
  const enc = new TextEncoder();
  let n = 0;
  for (let i = 0; i < s.length; ) {
    if (n >= bytes) return i;
    const cp = s.codePointAt(i);
    n += enc.encode(String.fromCodePoint(cp)).length;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.length;
};

async function complete(input) {
  const c = state.comp;
  if (c && c.value === input.value) {
    c.i = (c.i + 1) % c.list.length;
  } else {
    const pos = [...input.value.slice(0, input.selectionStart)].length;
    const r = await state.relay.request("POST /api/completion",
      { buffer_id: state.current, command: input.value, position: pos });
    if (!r || !r.list || !r.list.length) return;
    const start = byteToChar(input.value, r.position_replace);
    state.comp = { start, end: input.selectionStart, orig: input.value, list: r.list, i: 0, space: r.add_space };
  }
  const s = state.comp;
  const word = s.list[s.i] + (s.space ? " " : "");
  input.value = s.orig.slice(0, s.start) + word + s.orig.slice(s.end);
  const caret = s.start + word.length;
  input.setSelectionRange(caret, caret);
  s.value = input.value;
}

$("input").addEventListener("keydown", (ev) => {
  const input = ev.target;
  if (ev.key === "Tab" && !ev.altKey && !ev.ctrlKey) {
    ev.preventDefault();
    complete(input).catch(() => {});
    return;
  }
  if (ev.key === "ArrowUp" && !ev.altKey && state.histPos > 0) {
    ev.preventDefault();
    input.value = state.history[--state.histPos];
  } else if (ev.key === "ArrowDown" && !ev.altKey) {
    if (state.histPos < state.history.length) {
      ev.preventDefault();
      state.histPos += 1;
      input.value = state.history[state.histPos] || "";
    }
  }
});

// ---------- keyboard, switcher, narrow layout ----------

function openSwitcher() {
  $("switcher").hidden = false;
  $("switcher-input").value = "";
  fillSwitcher();
  $("switcher-input").focus();
}

function closeSwitcher() {
  $("switcher").hidden = true;
  $("input").focus();
}

function fillSwitcher() {
  const q = $("switcher-input").value.toLowerCase();
  const ul = $("switcher-list");
  ul.replaceChildren();
  const matches = state.order.map((id) => state.buffers.get(id))
    .filter((B) => B.b.name.toLowerCase().includes(q) || (B.b.short_name || "").toLowerCase().includes(q))
    .slice(0, 20);
  matches.forEach((B, i) => {
    const li = el("li", i === 0 ? "sel" : "", B.b.name);
    li.addEventListener("click", () => {
      closeSwitcher();
      select(B.b.id);
    });
    li.dataset.id = B.b.id;
    ul.append(li);
  });
}

$("switcher-input").addEventListener("input", fillSwitcher);
$("switcher-input").addEventListener("keydown", (ev) => {
  const items = [...$("switcher-list").children];
  const i = items.findIndex((x) => x.classList.contains("sel"));
  if (ev.key === "Enter" && items[i]) {
    ev.preventDefault();
    closeSwitcher();
    select(Number(items[i].dataset.id));
  } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    ev.preventDefault();
    if (!items.length) return;
    items[i]?.classList.remove("sel");
    items[(i + (ev.key === "ArrowDown" ? 1 : -1) + items.length) % items.length].classList.add("sel");
  }
});

document.addEventListener("keydown", (ev) => {
  if ($("app").hidden) return;
  if (ev.key === "Escape") {
    if (!$("switcher").hidden) closeSwitcher();
    document.body.classList.remove("show-buffers", "show-nicks");
    return;
  }
  if (ev.ctrlKey && !ev.altKey && ev.key.toLowerCase() === "k") {
    ev.preventDefault();
    return openSwitcher();
  }
  if (!ev.altKey || ev.ctrlKey) return;
  if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") {
    ev.preventDefault();
    move(-1);
  } else if (ev.key === "ArrowDown" || ev.key === "ArrowRight") {
    ev.preventDefault();
    move(1);
  } else if (/^Digit[0-9]$/.test(ev.code)) {
    ev.preventDefault();
    const n = Number(ev.code.slice(5)) || 10;
    if (state.order[n - 1] !== undefined) select(state.order[n - 1]);
  }
});

$("toggle-buffers").addEventListener("click", () => document.body.classList.toggle("show-buffers"));
$("toggle-nicks").addEventListener("click", () => document.body.classList.toggle("show-nicks"));
swipeLists(document.body);

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && state.current && cur()) command(state.current, "/buffer set hotlist -1");
});

// ---------- search and notifications (search.js, notify.js) ----------

// A search result among the lines around it (search.js), outlined and centred.
function showContext(lines, lineId) {
  view.mark = lineId;
  view.set(lines, null, "bottom");
  return view.reveal(lineId);
}

const features = { state, select, renderLines, showContext, notice, view, cur };
initPaging(features);
initSearch(features);
initNotify(features);

// ---------- start ----------

(async () => {
  const token = recall();
  state.remembering = Boolean(token);
  if (token) start(null, token);
  else showLogin();
})();
