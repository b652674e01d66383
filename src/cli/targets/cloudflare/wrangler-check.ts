import type { AppManifest, ConsumerOptions } from "../../app/manifest.js";
import type { Problem } from "../../errors.js";
import { cronKey } from "../../../triggers/cron/index.js";
import { queueBindingName } from "../../../adapters/cloudflare/options.js";
import { configFormat, parseWranglerConfig, snippet, type WranglerFormat } from "./wrangler-config.js";

/**
 * Options of {@link checkWrangler}: the file name for messages and the names the Worker reads its bindings by.
 *
 * @example
 * ```ts
 * const options: WranglerCheckOptions = { file: "wrangler.toml", entry: "src/worker.ts", kvBinding: "CACHE" };
 * ```
 */
export interface WranglerCheckOptions {
  /** File name for messages. */
  file: string;
  /** The Worker entry skiff builds, relative to the config's directory (compared with `main`). */
  entry?: string;
  /** The KV binding the adapter reads (`toCloudflare(app, { kv })`). Default `KV`, the adapter's default. */
  kvBinding?: string;
  /** Producer binding name of a queue (`toCloudflare(app, { queues })`). Default: the adapter's `queueBindingName`. */
  binding?: (queue: string) => string;
  /** TOML or JSON (`wrangler.json`, `wrangler.jsonc`). Default: from the file name. */
  format?: WranglerFormat;
  /**
   * The newest compatibility date the installed workerd supports: when given, a missing `compatibility_date`
   * or one after today (wrangler refuses both) is an error, and one after this date (wrangler dev refuses it) a
   * warning.
   */
  supportedDate?: string;
}

interface Consumer {
  queue?: unknown;
  max_batch_size?: unknown;
  max_batch_timeout?: unknown;
  max_retries?: unknown;
  dead_letter_queue?: unknown;
  retry_delay?: unknown;
}

interface WranglerConfig {
  main?: unknown;
  compatibility_date?: unknown;
  triggers?: { crons?: unknown };
  queues?: { producers?: Array<{ queue?: unknown; binding?: unknown }>; consumers?: Consumer[] };
  kv_namespaces?: Array<{ binding?: unknown; id?: unknown }>;
}

// Cloudflare's defaults for a consumer without the key (https://developers.cloudflare.com/queues/configuration/batching-retries/).
const CONSUMER_KEYS = [
  { key: "max_batch_size", option: "maxBatchSize", fallback: 10 },
  { key: "max_batch_timeout", option: "maxBatchTimeoutSeconds", fallback: 5 },
  { key: "max_retries", option: "maxRetries", fallback: 3 },
  { key: "retry_delay", option: "retryDelaySeconds", fallback: 0 },
] as const;

// How each section is named in messages: TOML tables, or JSON keys.
const SECTIONS = {
  toml: {
    crons: "[triggers] crons",
    consumers: "[[queues.consumers]]",
    producers: "[[queues.producers]]",
    kv: "[[kv_namespaces]]",
  },
  json: {
    crons: "triggers.crons",
    consumers: "queues.consumers",
    producers: "queues.producers",
    kv: "kv_namespaces",
  },
} as const;

/**
 * @internal The problem list of one wrangler config file and the function that adds to it, shared by the queue,
 * cron and workflow checks so that every problem names the same target and file.
 *
 * @example
 * ```ts
 * const { problems, problem } = wranglerProblems("wrangler.toml");
 * problem("no [[queues.consumers]] for \"orders\"", "[[queues.consumers]]\nqueue = \"orders\"");
 * ```
 */
export function wranglerProblems(file: string): {
  problems: Problem[];
  problem: (message: string, fix?: string, severity?: "warning") => void;
} {
  const problems: Problem[] = [];
  const problem = (message: string, fix?: string, severity?: "warning") => {
    problems.push({
      target: "cloudflare",
      file,
      message,
      ...(fix ? { fix } : {}),
      ...(severity ? { severity } : {}),
    });
  };
  return { problems, problem };
}

/**
 * Checks a wrangler config (`wrangler.toml`, or `wrangler.json`/`wrangler.jsonc` with comments and trailing
 * commas) against the app: every `app.cron` expression is in `[triggers] crons` and no listed
 * cron lacks a handler; every consumed queue has a `[[queues.consumers]]` whose `max_batch_size`,
 * `max_batch_timeout`, `max_retries`, `retry_delay` and `dead_letter_queue` match the app's options (Cloudflare's
 * defaults apply to missing keys); every queue the app sends to (declared queues and dead-letter queues) has a
 * `[[queues.producers]]` binding; the KV namespace binding exists; with `supportedDate`, the compatibility date is set
 * and no later than the installed workerd supports. Each problem carries the exact text to add, in the file's format
 * (TOML lines, or a JSON fragment as wrangler prints them).
 *
 * @example
 * ```ts
 * const problems = checkWrangler(manifest, readFileSync("wrangler.toml", "utf8"), { file: "wrangler.toml" });
 * for (const p of problems) console.log(p.message, "\n", p.fix);
 * ```
 */
export function checkWrangler(
  manifest: AppManifest,
  source: string,
  options: WranglerCheckOptions,
): Problem[] {
  const { problems, problem } = wranglerProblems(options.file);
  const format = options.format ?? configFormat(options.file);
  const section = SECTIONS[format];
  const fix = (toml: string, json: Record<string, unknown>) => snippet(format, toml, json);
  let config: WranglerConfig;
  try {
    config = parseWranglerConfig(source, format) as WranglerConfig;
  } catch (error) {
    problem((error as Error).message);
    return problems;
  }
  const kvBinding = options.kvBinding ?? "KV";
  const binding = options.binding ?? queueBindingName;

  if (
    options.entry &&
    typeof config.main === "string" &&
    normalise(config.main) !== normalise(options.entry)
  ) {
    problem(
      `main = "${config.main}", but the Worker entry is ${options.entry}`,
      fix(`main = "${options.entry}"`, { main: options.entry }),
      "warning",
    );
  }

  if (options.supportedDate) {
    const date = config.compatibility_date;
    const dateFix = fix(`compatibility_date = "${options.supportedDate}"`, {
      compatibility_date: options.supportedDate,
    });
    const today = new Date().toISOString().slice(0, 10);
    if (typeof date !== "string")
      problem("has no compatibility_date (wrangler deploy requires one)", dateFix);
    else if (date > today)
      problem(`compatibility_date = "${date}" is in the future: wrangler refuses it`, dateFix);
    else if (date > options.supportedDate)
      problem(
        `compatibility_date = "${date}" is later than the installed workerd supports (${options.supportedDate}): wrangler dev refuses it (skiff dev passes --compatibility-date ${options.supportedDate})`,
        dateFix,
        "warning",
      );
  }

  // Crons: the same set, compared whitespace-insensitively, as the adapter dispatches on the exact string.
  const listed = Array.isArray(config.triggers?.crons)
    ? config.triggers.crons.filter((c): c is string => typeof c === "string")
    : [];
  const wanted = manifest.crons.map((c) => c.expression);
  const missing = wanted.filter((c) => !listed.some((l) => cronKey(l) === c));
  const stale = listed.filter((l) => !wanted.includes(cronKey(l)));
  const cronsLine = `crons = [${wanted.map((c) => JSON.stringify(c)).join(", ")}]`;
  const cronsFix = fix(config.triggers ? cronsLine : `[triggers]\n${cronsLine}`, {
    triggers: { crons: wanted },
  });
  for (const c of missing)
    problem(
      `cron "${c}" is registered with app.cron() but missing from ${section.crons}, so it never fires`,
      cronsFix,
    );
  for (const c of stale)
    problem(
      `cron "${c}" is in ${section.crons} but the app has no app.cron("${c}") handler (each firing logs an error)`,
      cronsFix,
    );

  // Consumers.
  const consumers = config.queues?.consumers ?? [];
  for (const queue of manifest.queues) {
    if (!queue.consumer) continue;
    const block = fix(consumerBlock(queue.name, queue.consumer.options), {
      queues: { consumers: [consumerObject(queue.name, queue.consumer.options)] },
    });
    const found = consumers.find((c) => c.queue === queue.name);
    if (!found) {
      problem(
        `queue "${queue.name}" has an app.queue() consumer but no ${section.consumers} entry, so nothing is delivered`,
        block,
      );
      continue;
    }
    const diffs: string[] = [];
    for (const { key, option, fallback } of CONSUMER_KEYS) {
      const actual = found[key] ?? fallback;
      const expected = queue.consumer.options[option];
      if (actual !== expected)
        diffs.push(
          `${key} = ${String(actual)}${found[key] === undefined ? " (default)" : ""}, app says ${option}: ${expected}`,
        );
    }
    const dlq = found.dead_letter_queue ?? null;
    if (dlq !== queue.consumer.options.deadLetter) {
      diffs.push(
        `dead_letter_queue = ${dlq === null ? "(none)" : JSON.stringify(dlq)}, app says deadLetter: ${JSON.stringify(queue.consumer.options.deadLetter)}`,
      );
    }
    if (diffs.length)
      problem(
        `${section.consumers} for "${queue.name}" differs from app.queue("${queue.name}"): ${diffs.join("; ")}`,
        block,
      );
  }
  for (const c of consumers) {
    const name = typeof c.queue === "string" ? c.queue : String(c.queue);
    if (!manifest.queues.some((q) => q.name === name && q.consumer)) {
      problem(
        `${section.consumers} for "${name}" has no app.queue("${name}") handler (its batches would fail)`,
      );
    }
  }

  // Producers: every queue the app sends to, including dead-letter queues (schema failures are sent there by skiff).
  const producers = config.queues?.producers ?? [];
  for (const queue of manifest.queues) {
    const found = producers.find((p) => p.queue === queue.name);
    const expected = binding(queue.name);
    const block = fix(`[[queues.producers]]\nqueue = "${queue.name}"\nbinding = "${expected}"`, {
      queues: { producers: [{ queue: queue.name, binding: expected }] },
    });
    if (!found) {
      const why = queue.declared
        ? "the app sends to it (c.var.queues / ctx.queues)"
        : `it is the dead-letter queue of ${queue.deadLetterFor.join(", ")}`;
      problem(`queue "${queue.name}" has no ${section.producers} binding, but ${why}`, block);
    } else if (found.binding !== expected) {
      // A warning: toCloudflare(app, { queues: { ... } }) may map the name, which the CLI cannot see.
      problem(
        `the producer of "${queue.name}" is bound as ${JSON.stringify(found.binding)}; toCloudflare() reads ${expected} unless its queues option says otherwise`,
        block,
        "warning",
      );
    }
  }

  // KV.
  const namespaces = config.kv_namespaces ?? [];
  if (!namespaces.some((kv) => kv.binding === kvBinding)) {
    const others = namespaces.map((kv) => JSON.stringify(kv.binding)).join(", ");
    const id = `<id from: npx wrangler kv namespace create ${kvBinding}>`;
    problem(
      others
        ? `no ${section.kv} with binding = "${kvBinding}" (found ${others}); toCloudflare() reads ${kvBinding} unless its kv option says otherwise`
        : `no ${section.kv} with binding = "${kvBinding}" (ctx.kv / c.var.kv)`,
      fix(`[[kv_namespaces]]\nbinding = "${kvBinding}"\nid = "${id}"`, {
        kv_namespaces: [{ binding: kvBinding, id }],
      }),
      others ? "warning" : undefined,
    );
  }
  return problems;
}

/**
 * The `[[queues.consumers]]` block for a consumer's options.
 *
 * @example
 * ```ts
 * consumerBlock("orders", options) // '[[queues.consumers]]\nqueue = "orders"\nmax_batch_size = 10\n...'
 * ```
 */
export function consumerBlock(queue: string, options: ConsumerOptions): string {
  const lines = [
    "[[queues.consumers]]",
    `queue = "${queue}"`,
    `max_batch_size = ${options.maxBatchSize}`,
    `max_batch_timeout = ${options.maxBatchTimeoutSeconds}`,
    `max_retries = ${options.maxRetries}`,
  ];
  if (options.retryDelaySeconds) lines.push(`retry_delay = ${options.retryDelaySeconds}`);
  if (options.deadLetter) lines.push(`dead_letter_queue = "${options.deadLetter}"`);
  return lines.join("\n");
}

/**
 * A consumer's options as the object of a JSON config's `queues.consumers`.
 *
 * @example
 * ```ts
 * consumerObject("orders", options) // { queue: "orders", max_batch_size: 10, max_batch_timeout: 5, max_retries: 3 }
 * ```
 */
export function consumerObject(queue: string, options: ConsumerOptions): Record<string, unknown> {
  return {
    queue,
    max_batch_size: options.maxBatchSize,
    max_batch_timeout: options.maxBatchTimeoutSeconds,
    max_retries: options.maxRetries,
    ...(options.retryDelaySeconds ? { retry_delay: options.retryDelaySeconds } : {}),
    ...(options.deadLetter ? { dead_letter_queue: options.deadLetter } : {}),
  };
}

function normalise(path: string): string {
  return path.replace(/^\.\//, "").replace(/\\/g, "/");
}
