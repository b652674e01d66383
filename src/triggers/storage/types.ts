import type { Env } from "hono";
import type { Bucket } from "../../bindings/buckets/types.js";
import type { QueueSchemas, TriggerContext } from "../../types.js";
import type { QueueOptions } from "../types.js";

/**
 * The kinds of change a storage handler can react to: an object written (put, copy, multipart upload completed)
 * or removed (delete, lifecycle expiry).
 *
 * @example
 * ```ts
 * app.storage("uploads", onDelete, { events: ["deleted"] satisfies StorageEventName[] });
 * ```
 */
export type StorageEventName = "created" | "deleted";

/**
 * One change of an object, in the same shape on every platform (S3 notifications, R2 event notifications, local
 * buckets). `bucket` is the app's name for the bucket; `key` is decoded (S3 sends keys URL-encoded, `+` for
 * spaces). `size` and `etag` are `null` for deletions, which neither S3 nor R2 describe.
 *
 * @example
 * ```ts
 * const event: StorageEvent = { bucket: "uploads", key: "photos/cat.png", size: 5120, etag: "9b2c...", event: "created", time: new Date() };
 * ```
 */
export interface StorageEvent {
  readonly bucket: string;
  readonly key: string;
  readonly size: number | null;
  readonly etag: string | null;
  readonly event: StorageEventName;
  readonly time: Date;
}

/**
 * A storage handler: returning acknowledges the change, throwing retries it (with the queue contract: `maxRetries`,
 * then `deadLetter`). Delivery is at least once: the same change may arrive twice, so make the handler idempotent
 * (writing the same thumbnail again is).
 *
 * @example
 * ```ts
 * const onUpload: StorageHandler = async (event, ctx) => {
 *   ctx.log.info("uploaded", { key: event.key, size: event.size });
 * };
 * ```
 */
export type StorageHandler<E extends Env = Env, Q extends QueueSchemas = QueueSchemas> = (
  event: StorageEvent,
  ctx: TriggerContext<E, Q>,
) => unknown;

/**
 * Options of `app.storage()`: which changes (`events`, default both), which keys (`prefix`, `suffix`), and the
 * queue options of the bucket's internal queue (`maxRetries`, `deadLetter`, ...), which every handler of the bucket
 * shares, so give them once.
 *
 * @example
 * ```ts
 * app.storage("uploads", makeThumbnail, { events: ["created"], prefix: "photos/", suffix: ".png", maxRetries: 5, deadLetter: "uploads-dlq" });
 * ```
 */
export interface StorageOptions extends QueueOptions {
  events?: StorageEventName | readonly StorageEventName[];
  prefix?: string;
  suffix?: string;
}

/**
 * A registered storage handler with its filters, as `app.triggers.storage` lists them per bucket; the CLI
 * generates the platforms' notification rules from them.
 *
 * @example
 * ```ts
 * for (const r of app.triggers.storage.get("uploads") ?? []) console.log(r.events, r.prefix, r.suffix);
 * ```
 */
export interface StorageRegistration {
  readonly bucket: string;
  readonly events: readonly StorageEventName[];
  readonly prefix: string;
  readonly suffix: string;
  readonly handler: StorageHandler;
  /** The queue options as given (resolved on the bucket's queue registration). */
  readonly queueOptions: QueueOptions | undefined;
}

/**
 * How the app declares a bucket (`new Skiff({ buckets: { uploads: {} } })`). `name` is the bucket's name on the
 * platform (the R2 bucket, the S3 bucket) when it differs from the app's name; adapters map events and bindings
 * through it, and generated config uses it.
 *
 * @example
 * ```ts
 * new Skiff({ buckets: { uploads: { name: "acme-uploads-prod" }, exports: {} } });
 * ```
 */
export interface BucketDeclaration {
  name?: string;
}

/**
 * The `buckets` option of `new Skiff()`: every bucket the app uses, by name. It types `c.var.buckets` and the names
 * `app.storage()` accepts.
 *
 * @example
 * ```ts
 * const buckets = { uploads: {}, exports: { name: "acme-exports" } } satisfies BucketDeclarations;
 * ```
 */
export type BucketDeclarations = Record<string, BucketDeclaration>;

/**
 * What the `buckets` option accepts when its type was not inferred (`new Skiff<E>()` names the env): no bucket. A
 * bucket given there fails to compile with this message instead of being silently untyped.
 *
 * @example
 * ```ts
 * // @ts-expect-error: write Skiff.withEnv<{ Bindings: Env }>()({ buckets: { uploads: {} } }) instead
 * new Skiff<{ Bindings: Env }>({ buckets: { uploads: {} } });
 * ```
 */
export type UntypedBuckets = {
  readonly [
    name: string
  ]: "[skiff] bucket names are inferred only without type arguments: write Skiff.withEnv<{ Bindings: Env }>()({ buckets })";
};

/**
 * The bucket bindings of declared buckets `B`: one {@link Bucket} per name. It is the type of `c.var.buckets` and
 * `ctx.buckets`.
 *
 * @example
 * ```ts
 * async function archive(buckets: Buckets<{ uploads: {} }>, key: string) { await buckets.uploads.delete(key); }
 * ```
 */
export type Buckets<B extends BucketDeclarations> = { readonly [K in keyof B]: Bucket };

/**
 * The env of an app that declared buckets `B`: the user's env with `buckets` in its `Variables`, which is how
 * `c.var.buckets` and `ctx.buckets` are typed without another type parameter on `Skiff`.
 *
 * @example
 * ```ts
 * type AppEnv = WithBuckets<{ Bindings: Env }, { uploads: {} }>;
 * ```
 */
export type WithBuckets<E extends Env, B extends BucketDeclarations> = E & {
  Variables: { buckets: Buckets<B> };
};

/**
 * The bucket bindings of an env: what `new Skiff({ buckets })` folded into its `Variables`, or none. It types
 * `ctx.buckets` and the names `app.storage()` accepts.
 *
 * @example
 * ```ts
 * type Names = keyof BucketsOf<WithBuckets<Env, { uploads: {} }>>; // "uploads"
 * ```
 */
export type BucketsOf<E extends Env> = E extends { Variables: { buckets: infer B extends object } } ? B : {};
