import type { BucketObject, BucketObjectInfo, BucketStore } from "./types.js";

/**
 * The slice of a Workers R2 binding (`R2Bucket`) skiff calls, declared structurally so skiff's types do not need
 * @cloudflare/workers-types. https://developers.cloudflare.com/r2/api/workers/workers-api-reference/
 *
 * @example
 * ```ts
 * const binding = env.UPLOADS as R2BucketBinding;
 * ```
 */
export interface R2BucketBinding {
  put(
    key: string,
    value: ArrayBuffer | ArrayBufferView | string | null,
    options?: { httpMetadata?: { contentType?: string }; customMetadata?: Record<string, string> },
  ): Promise<R2ObjectLike | null>;
  get(
    key: string,
  ): Promise<(R2ObjectLike & { body: ReadableStream; arrayBuffer(): Promise<ArrayBuffer> }) | null>;
  head(key: string): Promise<R2ObjectLike | null>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: {
    prefix?: string;
    cursor?: string;
    limit?: number;
    include?: Array<"httpMetadata" | "customMetadata">;
  }): Promise<{ objects: R2ObjectLike[]; truncated: boolean; cursor?: string }>;
}

/**
 * An R2 object's metadata as the binding returns it (the fields skiff reads).
 *
 * @example
 * ```ts
 * const object: R2ObjectLike = { key: "a", size: 1, etag: "abc", uploaded: new Date() };
 * ```
 */
export interface R2ObjectLike {
  key: string;
  size: number;
  etag: string;
  uploaded: Date;
  httpMetadata?: { contentType?: string };
  customMetadata?: Record<string, string>;
}

function info(object: R2ObjectLike): BucketObjectInfo {
  return {
    key: object.key,
    size: object.size,
    etag: object.etag,
    contentType: object.httpMetadata?.contentType,
    metadata: { ...object.customMetadata },
    uploaded: new Date(object.uploaded),
  };
}

/**
 * A bucket on a Workers R2 binding, looked up on first use (see `lookupBinding` in the Cloudflare adapter).
 * `get` streams the body straight from R2.
 *
 * @example
 * ```ts
 * const uploads = createBucket("uploads", () => r2Store(() => env.UPLOADS as R2BucketBinding));
 * ```
 */
export function r2Store(binding: () => R2BucketBinding): BucketStore {
  return {
    async put(key, body, options) {
      const object = await binding().put(key, body, {
        ...(options.contentType ? { httpMetadata: { contentType: options.contentType } } : {}),
        customMetadata: { ...options.metadata },
      });
      // put() resolves null only with a failed precondition, which skiff never sets.
      return object
        ? info(object)
        : {
            key,
            size: body.byteLength,
            etag: "",
            contentType: options.contentType,
            metadata: {},
            uploaded: new Date(),
          };
    },
    async get(key) {
      const object = await binding().get(key);
      if (!object) return null;
      const base = info(object);
      const read = new Response(object.body);
      const result: BucketObject = {
        ...base,
        get body() {
          return read.body as ReadableStream<Uint8Array>;
        },
        text: () => read.text(),
        json: <T>() => read.json() as Promise<T>,
        arrayBuffer: () => read.arrayBuffer(),
      };
      return result;
    },
    async head(key) {
      const object = await binding().head(key);
      return object ? info(object) : null;
    },
    async delete(keys) {
      await binding().delete([...keys]);
    },
    async list({ prefix, cursor, limit }) {
      const page = await binding().list({
        ...(prefix ? { prefix } : {}),
        ...(cursor ? { cursor } : {}),
        limit,
        include: ["httpMetadata", "customMetadata"],
      });
      return {
        objects: page.objects.map(info),
        truncated: page.truncated,
        cursor: page.truncated ? page.cursor : undefined,
      };
    },
  };
}
