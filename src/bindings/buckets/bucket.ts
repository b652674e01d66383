import { SkiffError } from "../../errors.js";
import { BUCKET_LIMITS, bodyBytes, checkKey, checkListOptions, checkPutOptions } from "./limits.js";
import type { Bucket, BucketChange, BucketObject, BucketObjectInfo, BucketStore } from "./types.js";
import type { BucketDeclaration } from "../../triggers/storage/types.js";

/**
 * The {@link Bucket} of one declared bucket on a backend: every argument is checked here, once for all backends
 * (keys, metadata, sizes, list limits), then handed to the store, created on first use. `onChange` hears of each
 * successful put and delete; only local backends pass it (S3 and R2 notify through their own services).
 *
 * @example
 * ```ts
 * const uploads = createBucket("uploads", () => r2Store("uploads", () => env.UPLOADS));
 * await uploads.put("a.txt", "hi");
 * ```
 */
export function createBucket(
  name: string,
  store: () => BucketStore,
  onChange?: (change: BucketChange) => Promise<void>,
): Bucket {
  let backend: BucketStore | undefined;
  const use = () => (backend ??= store());
  return {
    async put(key, body, options) {
      checkKey(name, key);
      const checked = checkPutOptions(name, options);
      const bytes = await bodyBytes(name, body);
      const info = await use().put(key, bytes, checked);
      await onChange?.({ key, size: info.size, etag: info.etag, event: "created", time: info.uploaded });
      return info;
    },
    async get(key) {
      return use().get(checkKey(name, key));
    },
    async head(key) {
      return use().head(checkKey(name, key));
    },
    async delete(keys) {
      const list = typeof keys === "string" ? [keys] : [...keys];
      if (list.length > BUCKET_LIMITS.maxDeleteKeys)
        throw new SkiffError(
          `bucket "${name}": delete takes at most ${BUCKET_LIMITS.maxDeleteKeys} keys at once (got ${list.length})`,
        );
      for (const key of list) checkKey(name, key);
      if (!list.length) return;
      // Only keys that existed are reported as deleted, as S3 and R2 notify only for those.
      const existed = onChange ? await Promise.all(list.map((k) => use().head(k))) : [];
      await use().delete(list);
      const time = new Date();
      for (const info of existed)
        if (info) await onChange?.({ key: info.key, size: null, etag: null, event: "deleted", time });
    },
    async list(options) {
      return use().list(checkListOptions(name, options));
    },
  };
}

/**
 * @internal The {@link Bucket} of every declared bucket, each on the backend `store` makes for it on first use, with
 * `onChange` (local backends) told of each put and delete.
 *
 * @example
 * ```ts
 * const buckets = declaredBuckets(app.triggers.buckets, (name) => localStore(name, files), emit);
 * ```
 */
export function declaredBuckets(
  declared: ReadonlyMap<string, BucketDeclaration>,
  store: (name: string, declaration: BucketDeclaration) => BucketStore,
  onChange?: (bucket: string, change: BucketChange) => Promise<void>,
): Readonly<Record<string, Bucket>> {
  const buckets: Record<string, Bucket> = {};
  for (const [name, declaration] of declared)
    buckets[name] = createBucket(
      name,
      () => store(name, declaration),
      onChange && ((change) => onChange(name, change)),
    );
  return Object.freeze(buckets);
}

/**
 * @internal A {@link BucketObject} from its info and a body: a stream, readable once, or bytes.
 *
 * @example
 * ```ts
 * return bucketObject(info, response.body);
 * ```
 */
export function bucketObject(
  info: BucketObjectInfo,
  body: ReadableStream<Uint8Array> | Uint8Array | null,
): BucketObject {
  const response = new Response(body as BodyInit | null);
  return {
    ...info,
    // The stream and the readers share one Response, so the body is read once whichever way, as with fetch.
    get body() {
      return (response.body ?? new Response(new Uint8Array(0)).body) as ReadableStream<Uint8Array>;
    },
    text: () => response.text(),
    json: <T>() => response.json() as Promise<T>,
    arrayBuffer: () => response.arrayBuffer(),
  };
}

/**
 * @internal Strips the quotes S3 and R2 put around an entity tag (`"9b2c..."` → `9b2c...`).
 *
 * @example
 * ```ts
 * unquoteEtag('"abc"') // "abc"
 * ```
 */
export function unquoteEtag(etag: string | null | undefined): string {
  return (etag ?? "").replace(/^W\//, "").replace(/^"|"$/g, "");
}
