import { KVBackend, type KVEntry } from "./base.js";

/**
 * KV in memory, for tests. Same validation, TTL and paging as the durable backends.
 *
 * @example
 * ```ts
 * let now = 0;
 * const kv = new MemoryKV({ now: () => now });
 * await kv.put("k", "v", { expirationTtl: 60 });
 * now += 61_000;
 * await kv.get("k"); // null
 * ```
 */
export class MemoryKV extends KVBackend {
  readonly #entries = new Map<string, KVEntry>();

  protected async read(key: string): Promise<KVEntry | null> {
    return this.#entries.get(key) ?? null;
  }
  protected async write(entry: KVEntry): Promise<void> {
    this.#entries.set(entry.key, { ...entry, value: entry.value.slice() });
  }
  protected async remove(key: string): Promise<void> {
    this.#entries.delete(key);
  }
  protected async scan(prefix: string, after: string | undefined, limit: number, now: number) {
    return [...this.#entries.values()]
      .filter((e) => e.key.startsWith(prefix) && (after === undefined || byteCompare(e.key, after) > 0))
      .filter((e) => e.expiresAt === null || e.expiresAt > now)
      .sort((a, b) => byteCompare(a.key, b.key))
      .slice(0, limit)
      .map((e) => ({ key: e.key, expiresAt: e.expiresAt }));
  }
}

const encoder = new TextEncoder();
// KV lists keys in UTF-8 byte order, which differs from JS string order for astral characters.
function byteCompare(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}
