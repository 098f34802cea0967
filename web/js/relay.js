// One WebSocket to perchd's api relay: requests with ids, events, calm reconnection.
import { b64url, credential } from "./auth.js";

const BEARER = "base64url.bearer.authorization.weechat.";
// perchd's carrier for the TOTP code: a browser WebSocket cannot send x-weechat-totp.
const TOTP = "totp.perch.";

// Exponential backoff with full jitter: a delay drawn evenly between 0 and the ceiling
// min(cap, base * 2^attempt), so clients that lost perchd together do not all come back
// at the same moment.
export function backoff(attempt, { base, cap }) {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return { ceiling, delay: Math.random() * ceiling };
}

export const tokenRefused = (error) => error === "Invalid token" || error === "Expired token";

export class Relay {
  // base: "http(s)://host:port" of the relay; hooks: onopen(relay), onevent(msg), onstate(kind, text), onauth(error),
  // ontoken(token or null); secret: what makes a credential from the password (auth.js), or null when only a
  // token is known; token: a login token (perchd's POST /api/token), tried first while it lasts;
  // retry: {base, cap} in ms for the backoff after a fault (read at each retry).
  constructor(base, secret, hooks, token = null, retry = { base: 1000, cap: 60000 }) {
    this.base = base;
    this.secret = secret;
    this.token = token;
    this.hooks = hooks;
    this.retry = retry;
    this.pending = new Map();
    this.seq = 0;
    this.failures = 0;
    this.faultText = null;  // the outage's message, kept until a connection opens
    this.retries = [];      // {ceiling, delay} of the outage's retries (the last 50)
    this.restarting = false;
    this.stopped = false;
  }

  wsUrl() {
    return this.base.replace(/^http/, "ws") + "/api";
  }

  async connect() {
    if (this.stopped) return;
    let cred;
    try {
      cred = await this.credential();
    } catch (e) {
      this.hooks.onauth(`Cannot compute the credential: ${e.message}`);
      return;
    }
    const protocols = ["api.weechat", BEARER + b64url(cred)];
    if (!this.token && this.secret.totp) protocols.push(TOTP + this.secret.totp);
    const ws = new WebSocket(this.wsUrl(), protocols);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.failures = 0;
      this.faultText = null;
      this.retries = [];
      this.hooks.onopen(this);
    };
    ws.onmessage = (ev) => this.receive(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [, p] of this.pending) p.reject(new Error("connection closed"));
      this.pending.clear();
      if (this.stopped) return;
      if (opened && (this.restarting || ev.code === 1001 || ev.code === 1012)) this.restart();
      else if (opened) this.fault("Connection to perchd lost");
      else this.diagnose();
    };
  }

  // The token while there is one (it needs no TOTP code), else a fresh one from the secret.
  credential() {
    return this.token ? Promise.resolve(`token:${this.token}`) : credential(this.secret);
  }

  // A login token from perchd, for the next connections (and "remember me": hooks.ontoken).
  async renewToken() {
    try {
      const t = await this.request("POST /api/token");
      this.token = t.token;
      if (this.hooks.ontoken) this.hooks.ontoken(t);
    } catch (e) {
      /* tokens off in perchd: the secret makes each credential */
    }
  }

  // The opening failed: a WebSocket cannot read the 401, so ask the same question over HTTP.
  async diagnose() {
    let error = null;
    const token = this.token;
    try {
      const headers = { Authorization: "Basic " + btoa(unescape(encodeURIComponent(await this.credential()))) };
      if (!token && this.secret.totp) headers["x-weechat-totp"] = this.secret.totp;
      const r = await fetch(this.base + "/api/version", { headers });
      if (r.status === 401 || r.status === 429) {
        error = (await r.json()).error || r.statusText;
      }
    } catch (e) {
      /* network error: perchd is away */
    }
    // A token refused (expired, revoked): the password's secret, when the page has it, goes on.
    if (error && token && tokenRefused(error) && this.secret) {
      this.token = null;
      if (this.hooks.ontoken) this.hooks.ontoken(null);
      return this.connect();
    }
    if (error) this.hooks.onauth(error);
    else if (this.restarting) this.restart(true);
    else this.fault("Cannot reach perchd");
  }

  // A goodbye (quit/upgrade) or close 1001/1012: a small notice, back within a second or two.
  restart(again = false) {
    this.restarting = true;
    this.failures = again ? this.failures + 1 : 0;
    this.hooks.onstate("restart", "perchd restarting, reconnecting…");
    if (this.failures > 8) {
      this.restarting = false;
      return this.fault("perchd did not come back");
    }
    const delay = again ? 500 + backoff(this.failures, { base: 500, cap: 5000 }).delay : 1000 + Math.random() * 1000;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // A real fault: one clear message (the first cause, through the whole outage), retries
  // with exponential backoff and full jitter.
  fault(text) {
    this.faultText ??= text;
    const next = backoff(this.failures, this.retry);
    this.failures += 1;
    this.retries.push(next);
    if (this.retries.length > 50) this.retries.shift();
    this.hooks.onstate("fault", `${this.faultText}; retrying in ${Math.ceil(next.delay / 1000)} s`);
    this.timer = setTimeout(() => this.connect(), next.delay);
  }

  receive(msg) {
    if (Array.isArray(msg)) return msg.forEach((m) => this.receive(m));
    if (msg.code === 0 && msg.event_name) {
      if (["quit", "upgrade"].includes(msg.event_name)) {
        this.restarting = true;
        this.hooks.onstate("restart", "perchd restarting, reconnecting…");
      }
      return this.hooks.onevent(msg);
    }
    const p = this.pending.get(msg.request_id);
    if (!p) return;
    this.pending.delete(msg.request_id);
    if (msg.code >= 400) p.reject(new Error((msg.body && msg.body.error) || msg.message));
    else p.resolve(msg.body);
  }

  // Sends one request or a batch (array of [request, body]) and resolves with the bodies.
  send(items) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error("not connected"));
    const out = [];
    const promises = items.map(([request, body]) => {
      const request_id = "r" + ++this.seq;
      out.push(body === undefined ? { request, request_id } : { request, request_id, body });
      return new Promise((resolve, reject) => this.pending.set(request_id, { resolve, reject }));
    });
    this.ws.send(JSON.stringify(out.length === 1 ? out[0] : out));
    return Promise.all(promises);
  }

  request(request, body) {
    return this.send([[request, body]]).then((r) => r[0]);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
  }
}
