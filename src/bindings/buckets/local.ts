import { SkiffError } from "../../errors.js";
import { bucketObject } from "./bucket.js";
import type { BucketObjectInfo, BucketStore } from "./types.js";

/**
 * The file operations a local bucket needs, on paths relative to the buckets' root directory (`/`-separated,
 * already checked never to leave it). The Node adapter implements them on `node:fs` (`nodeObjectFiles`); keeping
 * them behind this interface keeps Node built-ins out of src/bindings.
 *
 * @example
 * ```ts
 * const files: ObjectFiles = nodeObjectFiles("/srv/shop/.skiff/buckets");
 * ```
 */
export interface ObjectFiles {
  /** The file's bytes, or null when there is none. */
  read(path: string): Promise<Uint8Array | null>;
  /** Writes the file whole (creating its folders), replacing any earlier one atomically. */
  write(path: string, data: Uint8Array): Promise<void>;
  /** Removes the file if it exists. */
  remove(path: string): Promise<void>;
  /** Every file below `dir`, as paths relative to `dir`. */
  list(dir: string): Promise<string[]>;
}

interface Sidecar {
  size: number;
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
  uploaded: number;
}

/**
 * @internal The relative path a key is stored at, or a SkiffError: a key is used as a path below the bucket's
 * folder, so no segment may be empty, `.` or `..`, and no backslash may appear (a separator on Windows). That is
 * what makes escaping `.skiff/buckets/<bucket>/` impossible, whatever the key.
 *
 * @example
 * ```ts
 * localKeyPath("uploads", "photos/cat.png") // "photos/cat.png"
 * localKeyPath("uploads", "../etc/passwd")  // throws
 * ```
 */
export function localKeyPath(bucket: string, key: string): string {
  const segments = key.split("/");
  const bad = segments.find((s) => s === "" || s === "." || s === "..");
  if (bad !== undefined || key.includes("\\"))
    throw new SkiffError(
      `bucket "${bucket}": key ${JSON.stringify(key)} cannot be a local file: keys are stored as paths, so no segment may be empty, "." or "..", and no "\\" may appear (S3 and R2 accept it; keep keys portable)`,
    );
  return key;
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A bucket in local files: each object at `<bucket>/<key>` below the root (`.skiff/buckets/` for `serve()`), and its
 * content type, metadata and entity tag (a SHA-256 prefix of the bytes) in a sidecar under `.meta/<bucket>/`, so
 * the object files are exactly what was put. Keys are checked by {@link localKeyPath}.
 *
 * @example
 * ```ts
 * const uploads = createBucket("uploads", () => localStore("uploads", nodeObjectFiles(".skiff/buckets")), emit);
 * ```
 */
export function localStore(bucket: string, files: ObjectFiles): BucketStore {
  const object = (key: string) => `${bucket}/${localKeyPath(bucket, key)}`;
  const sidecar = (key: string) => `.meta/${bucket}/${localKeyPath(bucket, key)}.json`;
  const decoder = new TextDecoder();

  async function info(key: string): Promise<BucketObjectInfo | null> {
    // The object first: put() writes the sidecar before it, so a visible object always has its sidecar.
    const bytes = await files.read(object(key));
    if (!bytes) return null;
    const meta = await files.read(sidecar(key));
    const stored = meta ? (JSON.parse(decoder.decode(meta)) as Sidecar) : undefined;
    return {
      key,
      size: bytes.byteLength,
      // A file copied in by hand has no sidecar: its tag is computed now.
      etag: stored?.size === bytes.byteLength ? stored.etag : await etagOf(bytes),
      contentType: stored?.contentType,
      metadata: { ...stored?.metadata },
      uploaded: new Date(stored?.uploaded ?? Date.now()),
    };
  }

  return {
    async put(key, body, options) {
      const meta: Sidecar = {
        size: body.byteLength,
        etag: await etagOf(body),
        ...(options.contentType ? { contentType: options.contentType } : {}),
        metadata: { ...options.metadata },
        uploaded: Date.now(),
      };
      // The sidecar first, the object last: the object appearing is the commit, so a reader never sees a new
      // object without its content type and metadata.
      await files.write(sidecar(key), new TextEncoder().encode(JSON.stringify(meta)));
      await files.write(object(key), body);
      return { key, ...meta, contentType: meta.contentType, uploaded: new Date(meta.uploaded) };
    },
    async get(key) {
      const found = await info(key);
      if (!found) return null;
      const bytes = await files.read(object(key));
      return bytes ? bucketObject(found, bytes) : null;
    },
    head: info,
    async delete(keys) {
      for (const key of keys) {
        await files.remove(object(key));
        await files.remove(sidecar(key));
      }
    },
    async list({ prefix, cursor, limit }) {
      const keys = (await files.list(bucket))
        .filter((k) => k.startsWith(prefix) && (cursor === undefined || k > cursor))
        .sort();
      const page = keys.slice(0, limit);
      const objects = (await Promise.all(page.map(info))).filter((o): o is BucketObjectInfo => o !== null);
      const truncated = keys.length > limit;
      return { objects, truncated, cursor: truncated ? page.at(-1) : undefined };
    },
  };
}

async function etagOf(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)).slice(0, 32);
}
