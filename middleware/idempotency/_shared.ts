import type { Database } from "../../src/bindings/db/database.js";
import type { KVStore } from "../../src/bindings/kv/types.js";
import type { IdempotencyStore } from "./store.js";
import { databaseStore } from "./store-db.js";
import { kvStore } from "./store-kv.js";

/** @internal Options shared by the HTTP and queue forms, resolved once. */
export interface StoreOptions {
  store: "db" | "kv";
  ttlMs: number;
  lockMs: number;
  now: () => number;
}

const DAY_SECONDS = 86_400;

/** @internal Validates the options both forms share; `who` names the factory in error messages. */
export function resolveStoreOptions(
  who: string,
  options: { store?: unknown; ttlSeconds?: unknown; lockSeconds?: unknown; now?: unknown },
): StoreOptions {
  const { store = "db", ttlSeconds = DAY_SECONDS, lockSeconds = 60, now = Date.now } = options;
  if (store !== "db" && store !== "kv")
    throw new TypeError(`[skiff] ${who}: store must be "db" or "kv" (got ${JSON.stringify(store)})`);
  // 60 s is KV's shortest expirationTtl; a shorter idempotency window would not protect a client's retries anyway.
  if (typeof ttlSeconds !== "number" || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 60) {
    throw new TypeError(
      `[skiff] ${who}: ttlSeconds must be a whole number of seconds ≥ 60 (got ${String(ttlSeconds)})`,
    );
  }
  if (
    typeof lockSeconds !== "number" ||
    !Number.isSafeInteger(lockSeconds) ||
    lockSeconds < 1 ||
    lockSeconds > ttlSeconds
  ) {
    throw new TypeError(
      `[skiff] ${who}: lockSeconds must be a whole number of seconds from 1 to ttlSeconds (got ${String(lockSeconds)})`,
    );
  }
  if (typeof now !== "function")
    throw new TypeError(`[skiff] ${who}: now must be a function returning ms since the epoch`);
  return { store, ttlMs: ttlSeconds * 1000, lockMs: lockSeconds * 1000, now: now as () => number };
}

/** @internal The store for this request or message, from the skiff bindings on its context. */
export function storeFor(
  who: string,
  kind: "db" | "kv",
  bindings: { db?: Database | undefined; kv?: KVStore | undefined },
): IdempotencyStore {
  if (kind === "db") {
    if (!bindings.db)
      throw new TypeError(`[skiff] ${who}: store "db" needs the skiff db binding (c.var.db / ctx.db)`);
    return databaseStore(bindings.db);
  }
  if (!bindings.kv)
    throw new TypeError(`[skiff] ${who}: store "kv" needs the skiff kv binding (c.var.kv / ctx.kv)`);
  return kvStore(bindings.kv);
}

export { sha256 } from "../_shared.js";
