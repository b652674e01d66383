import type { KVStore } from "../../src/bindings/kv/types.js";
import type { WindowCount } from "./store-db.js";
import { estimate, type WindowPosition } from "./window.js";

interface Local {
  count: number;
  writtenAt: number;
  dirty: boolean;
}

// Cloudflare KV accepts about one write per second to the same key; more fail with 429.
const WRITE_INTERVAL_MS = 1000;
// Bounds this isolate's memory under many distinct clients; evicting only loses local precision.
const MAX_LOCAL_KEYS = 10_000;
const KV_MIN_TTL_SECONDS = 60;

/**
 * @internal The approximate KV counter: one key per client and window (`<prefix>:<window index>`) holding a count.
 * KV has no atomic increment and is eventually consistent (a write can take 60 s or more to be seen at other
 * locations), so each isolate keeps its own running count, adopts the stored one when that is higher, and writes
 * back at most once per second per key. Within one isolate the limit is exact; across isolates concurrent requests
 * can each see a stale count, so more than `limit` may pass (at most about `limit` per isolate per window), and an
 * isolate's last increments are only written by its next request for that key.
 */
export class KVCounter {
  readonly #local = new Map<string, Local>();

  async count(
    kv: KVStore,
    prefix: string,
    limit: number,
    pos: WindowPosition,
    windowSeconds: number,
    now: number,
    write: (task: Promise<unknown>) => void,
  ): Promise<WindowCount> {
    const key = `${prefix}:${pos.index}`;
    const [stored, previous] = await Promise.all([
      kv.get(key),
      pos.weight > 0 ? this.#read(kv, `${prefix}:${pos.index - 1}`) : Promise.resolve(0),
    ]);
    const local = this.#entry(key);
    let current = Math.max(toCount(stored), local.count);
    const allowed = estimate(previous, current, pos.weight) < limit;
    if (allowed) {
      current += 1;
      local.dirty = true;
    }
    local.count = current;
    if (local.dirty && now - local.writtenAt >= WRITE_INTERVAL_MS) {
      local.dirty = false;
      local.writtenAt = now;
      // Kept for two windows: the sliding window reads the previous one.
      write(kv.put(key, String(current), { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, 2 * windowSeconds) }));
    }
    return { allowed, previous, current };
  }

  async #read(kv: KVStore, key: string): Promise<number> {
    return Math.max(toCount(await kv.get(key)), this.#local.get(key)?.count ?? 0);
  }

  #entry(key: string): Local {
    let entry = this.#local.get(key);
    if (!entry) {
      if (this.#local.size >= MAX_LOCAL_KEYS) {
        const oldest = this.#local.keys().next();
        if (!oldest.done) this.#local.delete(oldest.value);
      }
      entry = { count: 0, writtenAt: Number.NEGATIVE_INFINITY, dirty: false };
      this.#local.set(key, entry);
    }
    return entry;
  }
}

function toCount(value: string | null): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
