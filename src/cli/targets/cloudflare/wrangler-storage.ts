import type { SkiffApp } from "../../app/load.js";
import type { Problem } from "../../errors.js";
import { queueBindingName } from "../../../adapters/cloudflare/options.js";
import { storageQueue } from "../../../triggers/storage/consumer.js";
import { snippet, type WranglerFormat } from "./wrangler-config.js";
import { wranglerProblems } from "./wrangler-check.js";

/**
 * One declared bucket as Cloudflare sees it: its R2 binding and bucket name, and, when `app.storage()` handlers
 * listen to it, the queue its event notification rules send to and one rule per handler.
 *
 * @example
 * ```ts
 * const uploads: R2BucketPlan = { bucket: "uploads", binding: "UPLOADS", bucketName: "uploads", queue: "skiff-storage-uploads", rules: [] };
 * ```
 */
export interface R2BucketPlan {
  bucket: string;
  binding: string;
  bucketName: string;
  queue: string | undefined;
  rules: Array<{ eventTypes: Array<"object-create" | "object-delete">; prefix: string; suffix: string }>;
}

/**
 * The R2 side of an app: every declared bucket, with its notification rules.
 *
 * @example
 * ```ts
 * r2Plan(app).map((b) => b.binding) // ["UPLOADS"]
 * ```
 */
export function r2Plan(app: SkiffApp): R2BucketPlan[] {
  const buckets = app.triggers.buckets ?? new Map();
  return [...buckets].map(([bucket, declaration]) => {
    const handlers = app.triggers.storage?.get(bucket) ?? [];
    return {
      bucket,
      binding: queueBindingName(bucket),
      bucketName: declaration.name ?? bucket,
      queue: handlers.length ? storageQueue(bucket) : undefined,
      rules: handlers.map((h) => ({
        eventTypes: h.events.map((e) => (e === "created" ? "object-create" : "object-delete")),
        prefix: h.prefix,
        suffix: h.suffix,
      })),
    };
  });
}

/**
 * The `[[r2_buckets]]` blocks of an app's buckets, in TOML.
 *
 * @example
 * ```ts
 * r2Toml(r2Plan(app)) // '[[r2_buckets]]\nbinding = "UPLOADS"\nbucket_name = "uploads"'
 * ```
 */
export function r2Toml(plan: readonly R2BucketPlan[]): string {
  return plan
    .map((b) => `[[r2_buckets]]\nbinding = "${b.binding}"\nbucket_name = "${b.bucketName}"`)
    .join("\n\n");
}

/**
 * The commands that create the R2 event notification rules of the app's storage handlers (R2 keeps them in the
 * bucket, not in the wrangler config, so skiff prints them instead of writing them). Each sends to the bucket's
 * queue, whose consumer the wrangler config declares. R2 refuses rules whose key ranges overlap for the same queue.
 * https://developers.cloudflare.com/r2/buckets/event-notifications/
 *
 * @example
 * ```ts
 * notificationCommands(r2Plan(app))
 * // ['npx wrangler r2 bucket notification create uploads --event-type object-create --queue skiff-storage-uploads --prefix "photos/"']
 * ```
 */
export function notificationCommands(plan: readonly R2BucketPlan[]): string[] {
  const commands: string[] = [];
  for (const b of plan) {
    if (!b.queue) continue;
    commands.push(`npx wrangler queues create ${b.queue}`);
    for (const rule of b.rules) {
      const parts = [`npx wrangler r2 bucket notification create ${b.bucketName}`];
      for (const type of rule.eventTypes) parts.push(`--event-type ${type}`);
      parts.push(`--queue ${b.queue}`);
      if (rule.prefix) parts.push(`--prefix ${JSON.stringify(rule.prefix)}`);
      if (rule.suffix) parts.push(`--suffix ${JSON.stringify(rule.suffix)}`);
      commands.push(parts.join(" "));
    }
  }
  return commands;
}

/**
 * Checks the wrangler config's `r2_buckets` against the app's buckets: each needs a binding of the adapter's name
 * (and, when the declaration names the bucket, that `bucket_name`). The bucket's queue and consumer are checked with
 * every other queue (`checkWrangler`); its notification rules live in R2 and are printed by `skiff build`.
 *
 * @example
 * ```ts
 * checkR2Buckets(r2Plan(app), config, { file: "wrangler.toml", format: "toml" });
 * ```
 */
export function checkR2Buckets(
  plan: readonly R2BucketPlan[],
  config: Record<string, unknown>,
  options: { file: string; format: WranglerFormat },
): Problem[] {
  const { problems, problem } = wranglerProblems(options.file);
  const section = options.format === "toml" ? "[[r2_buckets]]" : "r2_buckets";
  const declared = Array.isArray(config.r2_buckets)
    ? (config.r2_buckets as Array<{ binding?: unknown; bucket_name?: unknown }>)
    : [];
  for (const b of plan) {
    const entry = declared.find((d) => d.binding === b.binding);
    const fix = snippet(options.format, r2Toml([b]), {
      r2_buckets: [{ binding: b.binding, bucket_name: b.bucketName }],
    });
    if (!entry) problem(`bucket "${b.bucket}" has no ${section} entry with binding "${b.binding}"`, fix);
    else if (b.bucketName !== b.bucket && entry.bucket_name !== b.bucketName)
      problem(
        `bucket "${b.bucket}": ${section} binding "${b.binding}" has bucket_name ${JSON.stringify(entry.bucket_name)}, but the app declares name "${b.bucketName}"`,
        fix,
      );
  }
  return problems;
}
