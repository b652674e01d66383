import type { KVStore } from "../../src/bindings/kv/types.js";
import type { Entry, IdempotencyStore } from "./store.js";

interface KVEntry {
  token: string;
  fingerprint: string;
  state: "running" | "done";
  lockedUntil: number;
  expiresAt: number;
  response?: { status: number; headers: Array<[string, string]>; body: string };
}

const KV_MIN_TTL_SECONDS = 60;

/**
 * @internal Entries in KV, best effort: KV has no compare-and-set and is eventually consistent, so the claim is a
 * read, a write and a read-back of the writer's token. That catches most races within one location, but two
 * requests at different locations (or within KV's propagation delay, up to a minute) can both run.
 *
 * @example
 * ```ts
 * const store = kvStore(c.var.kv);
 * ```
 */
export function kvStore(kv: KVStore): IdempotencyStore {
  const key = (id: string) => `idem:${id}`;
  const read = (id: string) => kv.get<KVEntry>(key(id), "json");
  const ttl = (expiresAt: number, now: number) => ({
    expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil((expiresAt - now) / 1000)),
  });
  return {
    async claim(id, fingerprint, token, { now, lockedUntil, expiresAt }) {
      const existing = await read(id);
      if (existing && live(existing, now)) return { claimed: false, entry: fromKV(existing) };
      const mine: KVEntry = { token, fingerprint, state: "running", lockedUntil, expiresAt };
      await kv.put(key(id), JSON.stringify(mine), ttl(expiresAt, now));
      const after = await read(id);
      if (after?.token === token) return { claimed: true };
      return { claimed: false, entry: after ? fromKV(after) : undefined };
    },
    async complete(id, token, response, { now, expiresAt }) {
      const current = await read(id);
      if (current?.token !== token) return;
      const done: KVEntry = { ...current, state: "done", lockedUntil: 0, expiresAt };
      if (response)
        done.response = { status: response.status, headers: response.headers, body: toBase64(response.body) };
      await kv.put(key(id), JSON.stringify(done), ttl(expiresAt, now));
    },
    async release(id, token) {
      if ((await read(id))?.token === token) await kv.delete(key(id));
    },
    async sweep() {
      // KV expires entries itself (expirationTtl).
    },
  };
}

function live(entry: KVEntry, now: number): boolean {
  return entry.expiresAt > now && (entry.state === "done" || entry.lockedUntil > now);
}

function fromKV(entry: KVEntry): Entry {
  if (entry.state === "running")
    return { state: "running", fingerprint: entry.fingerprint, lockedUntil: entry.lockedUntil };
  const r = entry.response;
  return {
    state: "done",
    fingerprint: entry.fingerprint,
    response: r && { status: r.status, headers: r.headers, body: fromBase64(r.body) },
  };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: spreading a large array into fromCharCode overflows the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}
