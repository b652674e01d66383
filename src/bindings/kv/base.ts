import {
  checkKey,
  decodeCursor,
  decodeValue,
  encodeCursor,
  encodeValue,
  expiryOf,
  listLimit,
} from "./limits.js";
import type { KVGetType, KVListOptions, KVListResult, KVPutOptions, KVStore, KVValue } from "./types.js";

/**
 * A stored entry as a backend sees it. `expiresAt` is ms since the epoch, or null. {@link KVBackend} has already
 * checked the key and encoded the value when a backend's `write` receives one.
 *
 * @example
 * ```ts
 * const entry: KVEntry = { key: "session:abc", value: new TextEncoder().encode("{}"), expiresAt: Date.now() + 3_600_000 };
 * ```
 */
export interface KVEntry {
  key: string;
  value: Uint8Array;
  expiresAt: number | null;
}

/**
 * The shared half of every KV backend: validation, encoding, TTL and cursors live here once; a backend only
 * stores and scans bytes. Subclass it to put KV on another store.
 *
 * @example
 * ```ts
 * class MapKV extends KVBackend {
 *   #m = new Map<string, KVEntry>();
 *   protected async read(key: string) { return this.#m.get(key) ?? null; }
 *   protected async write(entry: KVEntry) { this.#m.set(entry.key, entry); }
 *   protected async remove(key: string) { this.#m.delete(key); }
 *   protected async scan(prefix: string, after: string | undefined, limit: number, now: number) { return []; }
 * }
 * ```
 */
export abstract class KVBackend implements KVStore {
  /** The clock, injectable so tests can move time instead of sleeping. */
  protected readonly now: () => number;
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  protected abstract read(key: string): Promise<KVEntry | null>;
  protected abstract write(entry: KVEntry): Promise<void>;
  protected abstract remove(key: string): Promise<void>;
  /** Unexpired keys starting with `prefix` and greater than `after`, in byte order, at most `limit`. */
  protected abstract scan(
    prefix: string,
    after: string | undefined,
    limit: number,
    now: number,
  ): Promise<Array<{ key: string; expiresAt: number | null }>>;

  get(key: string, type?: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  async get(key: string, type?: KVGetType): Promise<unknown> {
    checkKey(key);
    const entry = await this.read(key);
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= this.now())) return null;
    return decodeValue(entry.value, type);
  }

  async put(key: string, value: KVValue, options?: KVPutOptions): Promise<void> {
    checkKey(key);
    await this.write({ key, value: encodeValue(value), expiresAt: expiryOf(options, this.now()) });
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.remove(key);
  }

  async list(options?: KVListOptions): Promise<KVListResult> {
    const limit = listLimit(options);
    const rows = await this.scan(options?.prefix ?? "", decodeCursor(options?.cursor), limit + 1, this.now());
    const page = rows.slice(0, limit);
    const keys = page.map((r) =>
      r.expiresAt === null ? { name: r.key } : { name: r.key, expiration: Math.floor(r.expiresAt / 1000) },
    );
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { keys, list_complete: false, cursor: encodeCursor(last.key) }
      : { keys, list_complete: true };
  }
}
