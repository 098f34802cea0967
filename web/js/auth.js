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

// A secret: what is needed to make a fresh credential for each connection.
// For PBKDF2 it is a non-extractable CryptoKey (the password cannot be read back from it),
// which is also what "remember me" stores.
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

// Remember me: IndexedDB holds the CryptoKey object (structured clone), never the password.
function db() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open("perch", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("kv");
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function kv(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction("kv", mode);
    const r = fn(tx.objectStore("kv"));
    tx.oncomplete = () => { d.close(); resolve(r.result); };
    tx.onerror = () => { d.close(); reject(tx.error); };
  });
}

export const remember = (secret) => secret.key
  ? kv("readwrite", (s) => s.put({ algo: secret.algo, iterations: secret.iterations, key: secret.key }, "secret"))
  : Promise.resolve();
export const recall = () => kv("readonly", (s) => s.get("secret")).catch(() => undefined);
export const forget = () => kv("readwrite", (s) => s.delete("secret")).catch(() => undefined);
