/** Options of {@link KVStore.put}; the same names and meaning as Cloudflare's `KVNamespace.put`. */
export interface KVPutOptions {
  /** Seconds from now until the key expires. At least 60 (Cloudflare's floor, enforced everywhere for portability). */
  expirationTtl?: number;
  /** Absolute expiry, in seconds since the epoch. At least 60 s in the future. */
  expiration?: number;
}

/** Options of {@link KVStore.list}. */
export interface KVListOptions {
  prefix?: string;
  /** At most this many keys (1–1000, default 1000). */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

/** One key of a {@link KVListResult}. `expiration` is in seconds since the epoch. */
export interface KVListKey {
  name: string;
  expiration?: number;
}

/** A page of keys, in lexicographic (byte) order, as Cloudflare returns it. */
export interface KVListResult {
  keys: KVListKey[];
  list_complete: boolean;
  cursor?: string;
}

/** Value types `put` accepts. */
export type KVValue = string | ArrayBuffer | ArrayBufferView;

/**
 * The `kv` binding: a subset of Cloudflare's `KVNamespace` that every platform can honour (Cloudflare KV, a libSQL
 * table, memory). Expired keys are never returned, whatever the backend's clean-up schedule.
 *
 * @example
 * ```ts
 * await c.var.kv.put("session:abc", JSON.stringify({ user: 1 }), { expirationTtl: 3600 });
 * const session = await c.var.kv.get<{ user: number }>("session:abc", "json");
 * const page = await c.var.kv.list({ prefix: "session:", limit: 100 });
 * ```
 */
export interface KVStore {
  get(key: string, type?: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  put(key: string, value: KVValue, options?: KVPutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: KVListOptions): Promise<KVListResult>;
}

/** The value types `get` can decode to. */
export type KVGetType = "text" | "json" | "arrayBuffer";
