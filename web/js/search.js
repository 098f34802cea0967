// Search (GET /api/search over the WebSocket): a panel with results newest first, "more"
// pages back, and a click shows the line in its buffer with the lines around it.
import { $, el } from "./dom.js";
import { ansi } from "./render.js";

const LIMIT = 50;
const CONTEXT = 50;
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

// app: { state, select(id), renderLines(mode), showContext(lines, id), notice } from main.js.
export function initSearch(app) {
  let query = "";
  let last = null;  // the last match shown: where "more" continues

  const open = () => {
    $("search").hidden = false;
    $("search-input").select();
    $("search-input").focus();
  };
  const close = () => {
    $("search").hidden = true;
    $("input").focus();
  };

  async function run(more) {
    const err = $("search-error");
    if (!more) {
      query = $("search-input").value.trim();
      $("search-results").replaceChildren();
      last = null;
    }
    err.textContent = "";
    $("search-more").hidden = true;
    if (!query || !app.state.relay) return;
    let req = `GET /api/search?query=${encodeURIComponent(query)}&limit=${LIMIT}`;
    if (more && last) req += `&before=${last.line.id}&before_buffer=${last.buffer_id}`;
    try {
      const found = await app.state.relay.request(req);
      for (const m of found) $("search-results").append(result(m));
      if (found.length) last = found[found.length - 1];
      $("search-more").hidden = found.length < LIMIT;
      if (!found.length && !more) err.textContent = "No match";
    } catch (e) {
      err.textContent = e.message;
    }
  }

  function result(m) {
    const li = el("li", "result");
    const d = new Date(m.line.date);
    const msg = el("span", "sm");
    msg.append(ansi(m.line.prefix), " ", ansi(m.line.message));
    li.append(el("span", "sb", m.buffer_name), el("time", "sd", d.getTime() > 0 ? dateFmt.format(d) : ""), msg);
    li.dataset.buffer = m.buffer_id;
    li.dataset.line = m.line.id;
    li.addEventListener("click", () => {
      close();
      showInContext(m).catch((e) => app.notice("fault", "Cannot show the line: " + e.message));
    });
    return li;
  }

  // The buffer, then the CONTEXT lines before the match and after it, the match highlighted.
  // Live lines of that buffer wait (in its list) until the view returns to the latest lines.
  async function showInContext(m) {
    const id = m.buffer_id;
    const lineId = m.line.id;
    if (app.state.buffers.has(id)) app.select(id);
    const base = `GET /api/buffers/${id}/lines`;
    const [before, after] = await app.state.relay.send([
      [`${base}?lines=-${CONTEXT}&before=${lineId + 1}`],
      [`${base}?lines=${CONTEXT}&after=${lineId}`],
    ]);
    const lines = before.concat(after).filter((l) => l.displayed !== false);
    app.state.contextView = { buffer: id, line: lineId };
    app.showContext(lines, lineId);
    $("context-bar").hidden = false;
  }

  $("search-button").addEventListener("click", open);
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    run(false);
  });
  $("search-more").addEventListener("click", () => run(true));
  $("context-back").addEventListener("click", () => app.renderLines("bottom"));
  document.addEventListener("keydown", (ev) => {
    if ($("app").hidden) return;
    if (ev.ctrlKey && !ev.altKey && ev.key.toLowerCase() === "f") {
      ev.preventDefault();
      open();
    } else if (ev.key === "Escape" && !$("search").hidden) {
      close();
    }
  });
}

// main.js's renderLines() calls this: any full render shows the latest lines again.
export function leaveContext(state) {
  state.contextView = null;
  $("context-bar").hidden = true;
}
