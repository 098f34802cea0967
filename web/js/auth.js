// Credentials: the handshake's best hash computed with WebCrypto; the plain password only
// when the server allows nothing better or the page is not in a secure context.
const enc = new TextEncoder();
const ALGOS = ["plain", "sha256", "sha512", "pbkdf2+sha256", "pbkdf2+sha512"];

export function offeredAlgos() {
  return crypto.subtle ? ALGOS : ["plain"];
}

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

export function b64url(text) {
  let bin = "";
  for (const b of enc.encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// A secret: what is needed to make a fresh credential for each connection, kept in memory
// only. For PBKDF2 it is a non-extractable CryptoKey (the password cannot be read back from it).
export async function makeSecret(password, algo, iterations) {
  if (algo && algo.startsWith("pbkdf2+")) {
    const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveBits"]);
    return { algo, iterations, key };
  }
  return { algo: algo || "plain", iterations, password };
}

export async function credential(secret) {
  const ts = String(Math.floor(Date.now() / 1000));
  const { algo } = secret;
  if (algo.startsWith("pbkdf2+")) {
    const sha = algo.endsWith("512") ? "SHA-512" : "SHA-256";
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: sha, salt: enc.encode(ts), iterations: secret.iterations },
      secret.key, sha === "SHA-512" ? 512 : 256);
    return `hash:${algo}:${ts}:${secret.iterations}:${hex(bits)}`;
  }
  if (algo === "sha256" || algo === "sha512") {
    const d = await crypto.subtle.digest(algo === "sha256" ? "SHA-256" : "SHA-512", enc.encode(ts + secret.password));
    return `hash:${algo}:${ts}:${hex(d)}`;
  }
  return `plain:${secret.password}`;
}

// Remember me: local storage holds a login token from perchd (POST /api/token), never the
// password nor anything the password could be computed from; perchd renews it at each
// connection and revokes it when its password changes.
const KEY = "perch.login";

export function remember(t) {
  localStorage.setItem(KEY, JSON.stringify({ token: t.token, expires: t.expires }));
}

export function recall() {
  try {
    const t = JSON.parse(localStorage.getItem(KEY));
    return t && typeof t.token === "string" && t.expires * 1000 > Date.now() ? t.token : null;
  } catch (e) {
    return null;
  }
}

export const forget = () => localStorage.removeItem(KEY);
