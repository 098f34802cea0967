// Desktop notifications for highlights and private messages while the tab is hidden.
// The browser asks only after a click on the bell (browsers ignore requests not made from a
// gesture); the answer is remembered here too, so the bell does not come back once answered.
import { $ } from "./dom.js";
import { strip } from "./render.js";

const KEY = "perch.notifications";
const supported = () => "Notification" in window;

// app: { state, select(id) } from main.js.
export function initNotify(app) {
  const button = $("notify-button");
  const refresh = () => {
    button.hidden = !supported() || Notification.permission !== "default" || localStorage.getItem(KEY) !== null;
  };
  button.addEventListener("click", async () => {
    let answer = "denied";
    try {
      answer = await Notification.requestPermission();
    } catch (e) {
      /* an old browser or a refusal: no notifications */
    }
    localStorage.setItem(KEY, answer);
    refresh();
  });
  refresh();
}

// A line that deserves a notification: a highlight, or a message in a private buffer.
function wanted(B, l) {
  if (l.displayed === false || l.notify_level < 0) return false;
  const type = (B.b.local_variables || {}).type;
  return l.highlight || l.notify_level === 2 || (type === "private" && l.notify_level >= 1);
}

// Called for each live line; one notification per line, clicking it shows the buffer.
export function notifyLine(app, B, l) {
  if (!document.hidden || !supported() || Notification.permission !== "granted" || !wanted(B, l)) return;
  const name = B.b.short_name || B.b.name;
  const who = strip(l.prefix || "").trim();
  const n = new Notification(l.highlight ? `${name}: highlight` : name, {
    body: (who ? `<${who}> ` : "") + strip(l.message || ""),
    tag: `perch-${B.b.id}-${l.id}`,
  });
  n.onclick = () => {
    window.focus();
    if (app.state.buffers.has(B.b.id)) app.select(B.b.id);
    n.close();
  };
}
