import { SkiffError } from "../../errors.js";
import { KVBackend, type KVEntry } from "./base.js";

/**
 * One part of a Deno KV key, as Deno documents it (https://docs.deno.com/api/deno/~/Deno.KvKeyPart).
 *
 * @example
 * ```ts
 * const key: readonly DenoKvKeyPart[] = ["skiff", "kv", "session:abc"];
 * ```
 */
export type DenoKvKeyPart = Uint8Array | string | number | bigint | boolean | symbol;

/**
 * The part of a `Deno.Kv` that skiff's `kv` calls: `get`, `set` with `expireIn`, `delete` and `list` with a prefix
 * and a start key. `Deno.Kv` satisfies it (test/adapters/deno/types.test.ts proves it with `deno check`).
 * https://docs.deno.com/api/deno/~/Deno.Kv
 *
 * @example
 * ```ts
 * const store: DenoKvStore = await Deno.openKv();
 * ```
 */
export interface DenoKvStore {
  get(key: readonly DenoKvKeyPart[]): Promise<{ value: unknown; versionstamp: string | null }>;
  set(key: readonly DenoKvKeyPart[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: readonly DenoKvKeyPart[]): Promise<void>;
  list(
    selector: { prefix: readonly DenoKvKeyPart[]; start: readonly DenoKvKeyPart[] },
    options?: { batchSize?: number },
  ): AsyncIterable<{ key: readonly DenoKvKeyPart[]; value: unknown }>;
}

/**
 * The largest value skiff writes to Deno KV: Deno refuses a serialised value over 65,536 bytes, and the stored record
 * (`{ v: bytes, e: expiry }`) takes a few dozen bytes of its own.
 *
 * @example
 * ```ts
 * if (bytes.byteLength > DENO_KV_MAX_VALUE_BYTES) await c.var.db.run(sql`INSERT INTO blobs VALUES (${key}, ${bytes})`);
 * ```
 */
export const DENO_KV_MAX_VALUE_BYTES = 65_536 - 64;

interface Stored {
  v: Uint8Array;
  e: number | null;
}

const isStored = (value: unknown): value is Stored =>
  typeof value === "object" && value !== null && (value as Stored).v instanceof Uint8Array;

/**
 * skiff's `kv` on Deno KV (`Deno.openKv()`; on Deno Deploy, the project's database). Each skiff key is the Deno KV key
 * `[...namespace, key]` (default namespace `["skiff", "kv"]`); `expirationTtl`/`expiration` become Deno's
 * `expireIn`, and the expiry is also stored with the value, because Deno deletes expired keys only eventually: an
 * expired key is never returned. `list` walks the namespace from the prefix in UTF-8 byte order, as Cloudflare
 * does, with skiff's opaque cursor. Keys, TTLs and list limits are checked as on every backend; values are limited
 * to {@link DENO_KV_MAX_VALUE_BYTES} (Deno KV's 64 KiB), not Cloudflare's 25 MiB. Reads are strongly consistent.
 *
 * @example
 * ```ts
 * const kv = new DenoKV(() => Deno.openKv());
 * await kv.put("session:abc", JSON.stringify({ user: 1 }), { expirationTtl: 3600 });
 * const page = await kv.list({ prefix: "session:", limit: 100 });
 * ```
 */
export class DenoKV extends KVBackend {
  readonly #open: () => DenoKvStore | Promise<DenoKvStore>;
  readonly #namespace: readonly DenoKvKeyPart[];
  #kv: Promise<DenoKvStore> | undefined;

  constructor(
    kv: DenoKvStore | (() => DenoKvStore | Promise<DenoKvStore>),
    options: { namespace?: readonly DenoKvKeyPart[]; now?: () => number } = {},
  ) {
    super(options);
    this.#open = typeof kv === "function" ? kv : () => kv;
    this.#namespace = options.namespace ?? ["skiff", "kv"];
  }

  // Opened on first use; a failed open is not cached, so the next call tries again.
  #store(): Promise<DenoKvStore> {
    this.#kv ??= Promise.resolve(this.#open()).catch((error: unknown) => {
      this.#kv = undefined;
      throw error;
    });
    return this.#kv;
  }

  protected async read(key: string): Promise<KVEntry | null> {
    const { value } = await (await this.#store()).get([...this.#namespace, key]);
    return isStored(value) ? { key, value: value.v, expiresAt: value.e } : null;
  }

  protected async write(entry: KVEntry): Promise<void> {
    if (entry.value.byteLength > DENO_KV_MAX_VALUE_BYTES)
      throw new SkiffError(
        `kv: value is ${entry.value.byteLength} bytes; Deno KV stores at most ${DENO_KV_MAX_VALUE_BYTES}: keep larger values in the database (c.var.db), or use the libSQL KV (toDeno(app, { kv: "libsql" }))`,
      );
    const stored: Stored = { v: entry.value, e: entry.expiresAt };
    const options =
      entry.expiresAt === null ? undefined : { expireIn: Math.max(1, entry.expiresAt - this.now()) };
    await (await this.#store()).set([...this.#namespace, entry.key], stored, options);
  }

  protected async remove(key: string): Promise<void> {
    await (await this.#store()).delete([...this.#namespace, key]);
  }

  protected async scan(prefix: string, after: string | undefined, limit: number, now: number) {
    const kv = await this.#store();
    const out: Array<{ key: string; expiresAt: number | null }> = [];
    // Keys sort by UTF-8 bytes, so the keys with `prefix` are one run starting at it (or at the cursor's key).
    const start = after?.startsWith(prefix) ? after : prefix;
    const entries = kv.list(
      { prefix: this.#namespace, start: [...this.#namespace, start] },
      { batchSize: Math.min(limit, 500) },
    );
    for await (const { key, value } of entries) {
      const name = key[this.#namespace.length];
      if (typeof name !== "string" || !name.startsWith(prefix)) break;
      if (name === after || !isStored(value) || (value.e !== null && value.e <= now)) continue;
      out.push({ key: name, expiresAt: value.e });
      if (out.length >= limit) break;
    }
    return out;
  }
}
