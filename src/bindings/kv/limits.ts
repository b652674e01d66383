import { SkiffError } from "../../errors.js";
import type { KVListOptions, KVPutOptions, KVValue } from "./types.js";

/**
 * Cloudflare KV's limits, enforced by every backend so an app that works locally works on Workers: keys up to 512
 * bytes, values up to 25 MiB, TTLs of at least 60 seconds, and at most 1000 keys per `list` page.
 *
 * @example
 * ```ts
 * await c.var.kv.put("otp:ada", code, { expirationTtl: KV_LIMITS.minTtlSeconds }); // the shortest TTL allowed
 * ```
 */
export const KV_LIMITS = {
  maxKeyBytes: 512,
  maxValueBytes: 25 * 1024 * 1024,
  minTtlSeconds: 60,
  maxListLimit: 1000,
} as const;

const encoder = new TextEncoder();

/** @internal Checks a key against Cloudflare's rules. */
export function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new SkiffError("kv: key must be a non-empty string");
  if (key === "." || key === "..") throw new SkiffError(`kv: key "${key}" is not allowed`);
  if (encoder.encode(key).byteLength > KV_LIMITS.maxKeyBytes) {
    throw new SkiffError(`kv: key is longer than ${KV_LIMITS.maxKeyBytes} bytes`);
  }
}

/** @internal Encodes a value to bytes and checks its size. */
export function encodeValue(value: KVValue): Uint8Array {
  const bytes =
    typeof value === "string"
      ? encoder.encode(value)
      : value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.byteLength > KV_LIMITS.maxValueBytes) {
    throw new SkiffError(`kv: value is ${bytes.byteLength} bytes; the limit is ${KV_LIMITS.maxValueBytes}`);
  }
  return bytes;
}

/** @internal Absolute expiry in ms since the epoch, or null for none. */
export function expiryOf(options: KVPutOptions | undefined, now: number): number | null {
  if (!options) return null;
  const { expirationTtl, expiration } = options;
  if (expirationTtl !== undefined) {
    if (!Number.isFinite(expirationTtl) || expirationTtl < KV_LIMITS.minTtlSeconds) {
      throw new SkiffError(
        `kv: expirationTtl must be at least ${KV_LIMITS.minTtlSeconds} seconds (got ${expirationTtl})`,
      );
    }
    return now + Math.floor(expirationTtl) * 1000;
  }
  if (expiration !== undefined) {
    if (!Number.isFinite(expiration) || expiration * 1000 < now + KV_LIMITS.minTtlSeconds * 1000) {
      throw new SkiffError(
        `kv: expiration must be at least ${KV_LIMITS.minTtlSeconds} seconds in the future`,
      );
    }
    return Math.floor(expiration) * 1000;
  }
  return null;
}

/** @internal Validated list limit. */
export function listLimit(options: KVListOptions | undefined): number {
  const limit = options?.limit ?? KV_LIMITS.maxListLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > KV_LIMITS.maxListLimit) {
    throw new SkiffError(
      `kv: list limit must be an integer from 1 to ${KV_LIMITS.maxListLimit} (got ${limit})`,
    );
  }
  return limit;
}

/** @internal Decodes stored bytes as the requested type. */
export function decodeValue(bytes: Uint8Array, type: string | undefined): unknown {
  if (type === "arrayBuffer") return bytes.slice().buffer;
  const text = new TextDecoder().decode(bytes);
  if (type === "json") return JSON.parse(text);
  if (type === undefined || type === "text") return text;
  throw new SkiffError(`kv: get type must be "text", "json" or "arrayBuffer" (got "${type}")`);
}

/** @internal Cursors are opaque to callers: the last key of the page, base64url-encoded. */
export function encodeCursor(lastKey: string): string {
  return btoa(String.fromCharCode(...encoder.encode(lastKey)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

/** @internal */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw new SkiffError("kv: list cursor is not one this store returned");
  }
}
