/**
 * What `put` accepts as an object's body: text (stored as UTF-8), bytes, a Blob, or a stream (read to the end
 * first on backends that need the length, S3 and local files).
 *
 * @example
 * ```ts
 * const body: BucketBody = new TextEncoder().encode("hello");
 * await c.var.buckets.uploads.put("notes/hello.txt", body, { contentType: "text/plain" });
 * ```
 */
export type BucketBody = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

/**
 * Options of {@link Bucket.put}: the `Content-Type` stored with the object and custom metadata (string pairs, as
 * S3's `x-amz-meta-*` and R2's `customMetadata`).
 *
 * @example
 * ```ts
 * await bucket.put("a.png", bytes, { contentType: "image/png", metadata: { owner: "u1" } });
 * ```
 */
export interface BucketPutOptions {
  contentType?: string;
  metadata?: Readonly<Record<string, string>>;
}

/**
 * What a bucket knows of one object without its body: key, size in bytes, entity tag (quotes removed), content type
 * and custom metadata, and when it was written. `head`, `list` and `put` return it.
 *
 * @example
 * ```ts
 * const info: BucketObjectInfo | null = await c.var.buckets.uploads.head("a.png");
 * if (info) console.log(info.size, info.etag, info.contentType);
 * ```
 */
export interface BucketObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly contentType: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly uploaded: Date;
}

/**
 * An object read with `get`: its {@link BucketObjectInfo} and its body, readable once, as a stream or whole (like a
 * `Response` body).
 *
 * @example
 * ```ts
 * const object = await c.var.buckets.uploads.get("notes/hello.txt");
 * if (object) return new Response(object.body, { headers: { "content-type": object.contentType ?? "" } });
 * ```
 */
export interface BucketObject extends BucketObjectInfo {
  readonly body: ReadableStream<Uint8Array>;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Options of {@link Bucket.list}: keys starting with `prefix`, at most `limit` (1–1000, default 1000) in key order,
 * after the page that returned `cursor`.
 *
 * @example
 * ```ts
 * const page = await bucket.list({ prefix: "thumbs/", limit: 100 });
 * ```
 */
export interface BucketListOptions {
  prefix?: string;
  cursor?: string;
  limit?: number;
}

/**
 * One page of {@link Bucket.list}: the objects in key order, and a `cursor` for the next page when `truncated`.
 *
 * @example
 * ```ts
 * let cursor: string | undefined;
 * do { const page: BucketListResult = await bucket.list({ cursor }); cursor = page.cursor; } while (cursor);
 * ```
 */
export interface BucketListResult {
  readonly objects: readonly BucketObjectInfo[];
  readonly truncated: boolean;
  readonly cursor: string | undefined;
}

/**
 * One object store, the same on every platform: R2 on Workers, S3 (or any S3 API: MinIO, R2's) through SigV4, and
 * files under `.skiff/buckets/<bucket>/` locally. It is `c.var.buckets.<name>` and `ctx.buckets.<name>`. Keys are
 * 1–1024 bytes of UTF-8; `get` and `head` resolve `null` for a missing object; `delete` of a missing key succeeds.
 *
 * @example
 * ```ts
 * await c.var.buckets.uploads.put("a.txt", "hi", { contentType: "text/plain" });
 * const text = await (await c.var.buckets.uploads.get("a.txt"))?.text();
 * await c.var.buckets.uploads.delete(["a.txt", "b.txt"]);
 * ```
 */
export interface Bucket {
  put(key: string, body: BucketBody, options?: BucketPutOptions): Promise<BucketObjectInfo>;
  get(key: string): Promise<BucketObject | null>;
  head(key: string): Promise<BucketObjectInfo | null>;
  delete(keys: string | readonly string[]): Promise<void>;
  list(options?: BucketListOptions): Promise<BucketListResult>;
}

/**
 * What a backend implements, after skiff checked the arguments (keys, sizes, limits): the same operations with
 * the body already read to bytes and `delete` always given a list. R2, S3 and the local files implement it.
 *
 * @example
 * ```ts
 * const store: BucketStore = r2Store(() => env.UPLOADS);
 * ```
 */
export interface BucketStore {
  put(key: string, body: Uint8Array, options: BucketPutOptions): Promise<BucketObjectInfo>;
  get(key: string): Promise<BucketObject | null>;
  head(key: string): Promise<BucketObjectInfo | null>;
  delete(keys: readonly string[]): Promise<void>;
  list(options: { prefix: string; cursor: string | undefined; limit: number }): Promise<BucketListResult>;
}

/**
 * A change a local bucket reports, so the app's storage handlers hear of it as they would from S3 or R2: the
 * runtime sends it through the bucket's internal queue. Platforms with notifications of their own never emit.
 *
 * @example
 * ```ts
 * const change: BucketChange = { key: "a.png", size: 12, etag: "9b2c...", event: "created", time: new Date() };
 * ```
 */
export interface BucketChange {
  key: string;
  size: number | null;
  etag: string | null;
  event: "created" | "deleted";
  time: Date;
}
