import { Buffer } from "node:buffer";
import { HranaRequestError } from "./errors.js";
import type { HranaValue } from "./protocol.js";

/**
 * A value as the libSQL driver binds and returns it. Integers are always `bigint` (statements run with safe
 * integers on), so a JavaScript `number` is always a REAL. Nothing else is ever handed to the driver: it aborts
 * the process on types it does not know (booleans, for one).
 *
 * @example
 * ```ts
 * const args: SqlValue[] = [1n, 1.5, "text", Buffer.from([1, 2]), null];
 * ```
 */
export type SqlValue = null | bigint | number | string | Uint8Array;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const INTEGER = /^[+-]?\d{1,20}$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Reads a value sent by a client, rejecting anything malformed with a 400 that names where it was (`where`).
 *
 * @example
 * ```ts
 * decodeValue({ type: "integer", value: "9223372036854775807" }, "args[0]") // 9223372036854775807n
 * ```
 */
export function decodeValue(input: unknown, where: string): SqlValue {
  const bad = (why: string) => new HranaRequestError(400, "VALUE_INVALID", `[skiff] ${where}: ${why}`);
  if (typeof input !== "object" || input === null) throw bad("a value must be an object with a `type`");
  const { type, value, base64 } = input as { type?: unknown; value?: unknown; base64?: unknown };
  switch (type) {
    case "null":
      return null;
    case "integer": {
      // The spec says string; a plain JSON integer is accepted too when it is exact.
      if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
      if (typeof value !== "string" || !INTEGER.test(value))
        throw bad("an integer value must be a decimal string");
      const n = BigInt(value);
      if (n < MIN_INT64 || n > MAX_INT64) throw bad("integer out of the 64-bit range");
      return n;
    }
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value))
        throw bad("a float value must be a finite number");
      return value;
    case "text":
      if (typeof value !== "string") throw bad("a text value must be a string");
      return value;
    case "blob":
      if (typeof base64 !== "string" || !BASE64.test(base64))
        throw bad("a blob needs a base64 string in `base64`");
      return Buffer.from(base64, "base64");
    default:
      throw bad(`unknown value type ${JSON.stringify(type)}`);
  }
}

/**
 * Writes a value read from the database in its protocol form.
 *
 * @example
 * ```ts
 * encodeValue(42n) // { type: "integer", value: "42" }
 * ```
 */
export function encodeValue(value: unknown): HranaValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  // SQLite can hold ±Infinity (e.g. 1e999), which JSON cannot; sqld sends `null` in its place as well.
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array)
    return {
      type: "blob",
      base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64"),
    };
  throw new TypeError(`[skiff] the database returned an unexpected ${typeof value}`);
}
