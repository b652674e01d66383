import { SkiffError } from "../../errors.js";
import { checkKey, encodeValue, expiryOf, listLimit } from "./limits.js";
import type { KVGetType, KVListOptions, KVListResult, KVPutOptions, KVStore, KVValue } from "./types.js";

/**
 * A KV namespace binding, reduced to the calls skiff's `kv` makes. Cloudflare's `KVNamespace` satisfies it.
 * https://developers.cloudflare.com/kv/api/
 *
 * @example
 * ```ts
 * const kv = new CloudflareKV(env.KV satisfies KVNamespaceBinding);
 * ```
 */
export interface KVNamespaceBinding {
  get(key: string, type: "text"): Promise<string | null>;
  get(key: string, type: "json"): Promise<unknown>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  put(
    key: string,
    value: string | ArrayBuffer | ArrayBufferView,
    options?: { expiration?: number; expirationTtl?: number },
  ): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string | null; limit?: number; cursor?: string | null }): Promise<{
    keys: ReadonlyArray<{ name: string; expiration?: number }>;
    list_complete: boolean;
    cursor?: string;
  }>;
}

const GET_TYPES: ReadonlySet<string> = new Set<KVGetType>(["text", "json", "arrayBuffer"]);

/**
 * skiff's `kv` on a Workers KV namespace binding. Keys, values, TTLs and list limits are checked with the same
 * helpers as every other backend, so an app gets the same error locally, on Lambda and here (Cloudflare's own
 * limits: https://developers.cloudflare.com/kv/platform/limits/). Reads, writes, expiry and cursors are
 * Cloudflare's: KV is eventually consistent, a write may take up to 60 s to be visible in other locations.
 *
 * The binding is looked up on first use, so a Worker without it only fails where `kv` is used, with a
 * `ConfigError` naming the binding.
 *
 * @example
 * ```ts
 * const kv = new CloudflareKV(() => env.KV);
 * await kv.put("session:abc", JSON.stringify({ user: 1 }), { expirationTtl: 3600 });
 * const session = await kv.get<{ user: number }>("session:abc", "json");
 * ```
 */
export class CloudflareKV implements KVStore {
  readonly #binding: () => KVNamespaceBinding;
  #resolved: KVNamespaceBinding | undefined;
  readonly #now: () => number;

  constructor(
    binding: KVNamespaceBinding | (() => KVNamespaceBinding),
    options: { now?: () => number } = {},
  ) {
    this.#binding = typeof binding === "function" ? binding : () => binding;
    this.#now = options.now ?? Date.now;
  }

  get #kv(): KVNamespaceBinding {
    this.#resolved ??= this.#binding();
    return this.#resolved;
  }

  get(key: string, type?: "text"): Promise<string | null>;
  get<T = unknown>(key: string, type: "json"): Promise<T | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  async get(key: string, type: KVGetType = "text"): Promise<unknown> {
    checkKey(key);
    if (!GET_TYPES.has(type))
      throw new SkiffError(`kv: get type must be "text", "json" or "arrayBuffer" (got "${String(type)}")`);
    // Narrowed for the overloads; Cloudflare parses JSON and copies bytes itself.
    if (type === "json") return this.#kv.get(key, "json");
    if (type === "arrayBuffer") return this.#kv.get(key, "arrayBuffer");
    return this.#kv.get(key, "text");
  }

  async put(key: string, value: KVValue, options?: KVPutOptions): Promise<void> {
    checkKey(key);
    encodeValue(value); // size check only: the binding takes strings and buffers as they are
    const expiresAt = expiryOf(options, this.#now());
    // Pass the caller's own field: Cloudflare reads expirationTtl relative to its clock, not ours.
    // https://developers.cloudflare.com/kv/api/write-key-value-pairs/#expiring-keys
    const expiry =
      expiresAt === null
        ? undefined
        : options?.expirationTtl !== undefined
          ? { expirationTtl: Math.floor(options.expirationTtl) }
          : { expiration: Math.floor(expiresAt / 1000) };
    await this.#kv.put(key, value, expiry);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.#kv.delete(key);
  }

  async list(options?: KVListOptions): Promise<KVListResult> {
    const limit = listLimit(options);
    const page = await this.#kv.list({
      prefix: options?.prefix ?? null,
      limit,
      cursor: options?.cursor ?? null,
    });
    // Only the portable fields: metadata and cacheStatus have no equivalent on the other backends.
    const keys = page.keys.map((k) =>
      k.expiration === undefined ? { name: k.name } : { name: k.name, expiration: k.expiration },
    );
    return !page.list_complete && page.cursor
      ? { keys, list_complete: false, cursor: page.cursor }
      : { keys, list_complete: true };
  }
}
