// The lines a buffer holds in memory: a window of consecutive lines, at most state.maxLines,
// around what is shown. Scrolling to either end of the window pages lines in from perchd
// (`lines=-N&before=ID`, `lines=N&after=ID`); the far side goes to make room.
//
// B.complete: the window starts at the buffer's first line (nothing older to ask for).
// B.tail: the window ends at the buffer's newest line. Only then are live lines added to it:
// otherwise a live line would sit after a gap; it comes in with the page that reaches it.
import { $ } from "./dom.js";

export const PAGE = 100;  // lines asked per buffer and per page of history
const NEAR = 200;         // px from an end of the view that asks for the next page

let app;                  // { state, view, cur(), renderLines(mode) } from main.js
let paging = false;       // one page request at a time (each continues from an end)

export function initPaging(features) {
  app = features;
}

// Drops the lines beyond state.maxLines from the end of the window farther from the view.
export function trim(B) {
  const max = Math.max(3 * PAGE, app.state.maxLines);
  const excess = B.lines.length - max;
  if (excess <= 0 || B.b.type === "free") return;
  const shown = B === app.cur() && !app.state.contextView;
  let gone;
  if (shown && app.view.position() < 0.5) {
    gone = B.lines.splice(B.lines.length - excess);
    B.tail = false;
  } else {
    gone = B.lines.splice(0, excess);
    B.complete = false;
  }
  for (const l of gone) B.ids.delete(l.id);
}

// Puts lines (oldest first) at one end of the window, without those it holds.
function take(B, lines, atStart) {
  const fresh = lines.filter((l) => !B.ids.has(l.id));
  for (const l of fresh) B.ids.add(l.id);
  B.lines = atStart ? fresh.concat(B.lines) : B.lines.concat(fresh);
  return fresh;
}

// The newest lines of a buffer whose window does not reach them (history was being read
// when it was left): shown from the bottom, as when it was opened.
export async function loadNewest(B) {
  B.lines = [];
  B.ids.clear();
  B.complete = false;
  const epoch = (B.epoch = (B.epoch || 0) + 1);
  try {
    const lines = await app.state.relay.request(`GET /api/buffers/${B.b.id}/lines?lines=-${PAGE}`);
    if (B.epoch !== epoch || B.tail) return;
    // Live lines that came before this answer were left out above and are in it; the
    // ones after it are added from now on.
    take(B, lines, false);
    B.tail = true;
    B.complete = lines.length < PAGE;
    // (A search result shown meanwhile stays: its "back" shows these.)
    if (B === app.cur() && !app.state.contextView) app.renderLines("bottom");
  } catch (e) {
    /* the connection went: a resync reads the buffer again */
  }
}

// A page that came in at one end of the window; the view keeps what it shows in place.
function add(B, lines, older) {
  const fresh = take(B, lines, older);
  if (older && (!fresh.length || lines.length < PAGE)) B.complete = true;
  if (!older && lines.length < PAGE) B.tail = true;
  trim(B);
  if (B !== app.cur() || app.state.contextView) return;
  // Lines below a view that was at the bottom of the window: it does not follow them.
  if (!older) app.view.follow = false;
  app.view.set(B.lines, B.readMarker, "keep");
}

// Asks for the page before (older) or after (newer) the window when the view is near that end.
export async function onScroll() {
  const box = $("lines");
  const B = app.cur();
  if (!B || paging || app.state.contextView || !B.lines.length || B.b.type === "free") return;
  const older = box.scrollTop <= NEAR && !B.complete;
  const newer = !older && !B.tail && box.scrollHeight - box.scrollTop - box.clientHeight <= NEAR;
  if (!older && !newer) return;
  const end = older ? B.lines[0].id : B.lines[B.lines.length - 1].id;
  const epoch = B.epoch;
  paging = true;
  try {
    const q = older ? `lines=-${PAGE}&before=${end}` : `lines=${PAGE}&after=${end}`;
    const lines = await app.state.relay.request(`GET /api/buffers/${B.b.id}/lines?${q}`);
    // Unless the window changed meanwhile (cleared, reloaded, trimmed at that end).
    const now = older ? B.lines[0] : B.lines[B.lines.length - 1];
    if (B.epoch === epoch && now && now.id === end) add(B, lines, older);
  } catch (e) {
    return; /* paging is best effort */
  } finally {
    paging = false;
  }
  // A view with no scroll bar yet, or still at an end, asks for more.
  if (B === app.cur()) onScroll();
}
