/**
 * Options of {@link KVStore.put}; the same names and meaning as Cloudflare's `KVNamespace.put`. Give a relative
 * `expirationTtl` or an absolute `expiration`; without either the key never expires.
 *
 * @example
 * ```ts
 * await c.var.kv.put("report:latest", JSON.stringify(report), { expirationTtl: 86_400 }); // kept for a day
 * ```
 */
export interface KVPutOptions {
  /** Seconds from now until the key expires. At least 60 (Cloudflare's floor, enforced everywhere for portability). */
  expirationTtl?: number;
  /** Absolute expiry, in seconds since the epoch. At least 60 s in the future. */
  expiration?: number;
}

/**
 * Options of {@link KVStore.list}: keys starting with `prefix`, at most `limit` of them, after the page that returned
 * `cursor`.
 *
 * @example
 * ```ts
 * const options: KVListOptions = { prefix: "session:", limit: 100 };
 * const { keys } = await c.var.kv.list(options);
 * ```
 */
export interface KVListOptions {
  prefix?: string;
  /** At most this many keys (1–1000, default 1000). */
  limit?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
}

/**
 * One key of a {@link KVListResult}. `expiration` is in seconds since the epoch, and absent for a key that never
 * expires. Values are not included: read them with `get`.
 *
 * @example
 * ```ts
 * const { keys } = await c.var.kv.list({ prefix: "session:" });
 * const expiring = keys.filter((k: KVListKey) => k.expiration !== undefined).map((k) => k.name);
 * ```
 */
export interface KVListKey {
  name: string;
  expiration?: number;
}

/**
 * A page of keys, in lexicographic (byte) order, as Cloudflare returns it. While `list_complete` is false, pass
 * `cursor` to the next `list` call for the following page.
 *
 * @example
 * ```ts
 * const page: KVListResult = await c.var.kv.list({ prefix: "user:", limit: 50 });
 * const next = page.list_complete ? undefined : await c.var.kv.list({ prefix: "user:", limit: 50, cursor: page.cursor });
 * ```
 */
export interface KVListResult {
  keys: KVListKey[];
  list_complete: boolean;
  cursor?: string;
}

/**
 * Value types `put` accepts: text, or bytes as an `ArrayBuffer` or any view of one (`Uint8Array`, `DataView`, ...).
 * Objects go in as `JSON.stringify` text and come back with `get(key, "json")`.
 *
 * @example
 * ```ts
 * await c.var.kv.put("settings", JSON.stringify({ theme: "dark" }));
 * await c.var.kv.put("avatar:1", new Uint8Array(await c.req.arrayBuffer()));
 * ```
 */
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

/**
 * The value types `get` can decode to: `"text"` (the default) returns a string, `"json"` the parsed value, and
 * `"arrayBuffer"` the stored bytes.
 *
 * @example
 * ```ts
 * const settings = await c.var.kv.get<{ theme: string }>("settings", "json");
 * const avatar = await c.var.kv.get("avatar:1", "arrayBuffer");
 * ```
 */
export type KVGetType = "text" | "json" | "arrayBuffer";
