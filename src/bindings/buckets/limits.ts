import { SkiffError } from "../../errors.js";
import type { BucketBody, BucketPutOptions } from "./types.js";

/**
 * The strictest limits among the bucket backends (S3 and R2), applied on every platform so an app tested locally
 * cannot fail on its first deploy: keys of 1–1024 bytes of UTF-8, custom metadata of 2 KB (S3's user metadata),
 * single-request uploads of R2's 4.995 GiB, and list pages and deletes of 1000 keys.
 *
 * @example
 * ```ts
 * if (bytes.byteLength > BUCKET_LIMITS.maxPutBytes) throw new Error("use a multipart upload");
 * ```
 */
export const BUCKET_LIMITS = {
  maxKeyBytes: 1024,
  maxMetadataBytes: 2048,
  maxPutBytes: 5 * 1024 ** 3 - 5 * 1024 ** 2,
  maxListLimit: 1000,
  maxDeleteKeys: 1000,
} as const;

const encoder = new TextEncoder();

/** @internal Checks a key: a non-empty string of at most 1024 UTF-8 bytes with no NUL. */
export function checkKey(bucket: string, key: unknown): string {
  if (typeof key !== "string" || key === "")
    throw new SkiffError(`bucket "${bucket}": a key must be a non-empty string (got ${JSON.stringify(key)})`);
  const bytes = encoder.encode(key).byteLength;
  if (bytes > BUCKET_LIMITS.maxKeyBytes)
    throw new SkiffError(
      `bucket "${bucket}": key of ${bytes} bytes is over the ${BUCKET_LIMITS.maxKeyBytes}-byte limit of S3 and R2`,
    );
  if (key.includes("\0")) throw new SkiffError(`bucket "${bucket}": a key may not contain NUL characters`);
  return key;
}

/** @internal Checks put options: a string content type, and metadata of lower-case names within 2 KB. */
export function checkPutOptions(bucket: string, options: BucketPutOptions = {}): BucketPutOptions {
  const { contentType, metadata = {} } = options;
  if (contentType !== undefined && (typeof contentType !== "string" || /[\r\n]/.test(contentType)))
    throw new SkiffError(`bucket "${bucket}": contentType must be a one-line string`);
  let size = 0;
  for (const [name, value] of Object.entries(metadata)) {
    // S3 sends metadata as x-amz-meta-<name> headers and lower-cases the names, so only header-safe lower case
    // names round-trip the same everywhere.
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
      throw new SkiffError(
        `bucket "${bucket}": metadata name "${name}" must be lower-case letters, digits, "-" or "_" (S3 lower-cases header names)`,
      );
    if (typeof value !== "string" || /[\r\n]/.test(value))
      throw new SkiffError(`bucket "${bucket}": metadata "${name}" must be a one-line string`);
    size += encoder.encode(name).byteLength + encoder.encode(value).byteLength;
  }
  if (size > BUCKET_LIMITS.maxMetadataBytes)
    throw new SkiffError(
      `bucket "${bucket}": metadata of ${size} bytes is over the ${BUCKET_LIMITS.maxMetadataBytes}-byte limit of S3`,
    );
  return { ...(contentType !== undefined ? { contentType } : {}), metadata: { ...metadata } };
}

/** @internal Reads a put body to bytes and checks its size. */
export async function bodyBytes(bucket: string, body: BucketBody): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (typeof body === "string") bytes = encoder.encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (ArrayBuffer.isView(body)) bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  else if (typeof Blob !== "undefined" && body instanceof Blob)
    bytes = new Uint8Array(await body.arrayBuffer());
  else if (body instanceof ReadableStream) bytes = new Uint8Array(await new Response(body).arrayBuffer());
  else
    throw new SkiffError(
      `bucket "${bucket}": a body must be a string, bytes, a Blob or a ReadableStream (got ${typeof body})`,
    );
  if (bytes.byteLength > BUCKET_LIMITS.maxPutBytes)
    throw new SkiffError(
      `bucket "${bucket}": a body of ${bytes.byteLength} bytes is over the ${BUCKET_LIMITS.maxPutBytes}-byte limit of one upload`,
    );
  return bytes;
}

/** @internal Checks list options and applies the defaults. */
export function checkListOptions(
  bucket: string,
  options: { prefix?: string; cursor?: string; limit?: number } = {},
): { prefix: string; cursor: string | undefined; limit: number } {
  const { prefix = "", cursor, limit = BUCKET_LIMITS.maxListLimit } = options;
  if (typeof prefix !== "string") throw new SkiffError(`bucket "${bucket}": list prefix must be a string`);
  if (cursor !== undefined && typeof cursor !== "string")
    throw new SkiffError(`bucket "${bucket}": list cursor must be the cursor of a previous page`);
  if (!Number.isInteger(limit) || limit < 1 || limit > BUCKET_LIMITS.maxListLimit)
    throw new SkiffError(
      `bucket "${bucket}": list limit must be an integer from 1 to ${BUCKET_LIMITS.maxListLimit} (got ${String(limit)})`,
    );
  return { prefix, cursor: cursor || undefined, limit };
}
