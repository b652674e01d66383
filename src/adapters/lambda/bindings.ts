import type { Env } from "hono";
import type { Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { nodeDatabase } from "../../local/database.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import type { QueueSchemas } from "../../types.js";
import { SqsClient } from "./_sqs-client.js";
import { sqsTransport } from "./_sqs-transport.js";
import { resolveQueueUrl } from "./queue-url.js";

/**
 * What the Lambda bindings are made from. `env` defaults to `process.env`, which is where Lambda puts the
 * function's configuration and credentials.
 *
 * @example
 * ```ts
 * const bindings = lambdaBindings(app, { env: process.env, queueUrls: { orders: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders" } });
 * ```
 */
export interface LambdaBindingsOptions {
  env?: Record<string, string | undefined>;
  queueUrls?: Readonly<Record<string, string>>;
}

/**
 * The bindings of one execution environment: the skiff runtime (`db`, `kv`, `queues`, `log`), the SQS client it
 * shares with the SQS event handling, and how app queue names resolve to queue URLs.
 *
 * @example
 * ```ts
 * const { runtime } = lambdaBindings(app);
 * await runtime.db.get(sql`SELECT 1`);
 * ```
 */
export interface LambdaBindings {
  readonly runtime: SkiffRuntime;
  readonly env: Record<string, unknown>;
  readonly sqs: SqsClient;
  /** The SQS URL of an app queue (option, else `SKIFF_QUEUE_URL_<NAME>`); throws a ConfigError naming the variable. */
  queueUrl(queue: string): string;
}

/**
 * Creates the bindings of a Lambda execution environment. `toLambda` calls it once, on the first invocation
 * (never at import, so a cold start that fails says why in that invocation's log). `db` is `@libsql/client` on
 * `TURSO_DATABASE_URL`: a remote `libsql://` or `https://` database, or a `file:` URL (only `/tmp` is writable on
 * Lambda and it lasts as long as the execution environment, so `file:` suits tests and scratch data only). There
 * is deliberately no default file, so a missing `TURSO_DATABASE_URL` is a ConfigError naming it. `kv` is a table in
 * the same database; queue producers send to SQS with the function's credentials.
 *
 * @example
 * ```ts
 * const { runtime } = lambdaBindings(app, { env: { ...process.env, TURSO_DATABASE_URL: "file:/tmp/test.db" } });
 * ```
 */
export function lambdaBindings<E extends Env, Q extends QueueSchemas, S extends Schema, B extends string>(
  app: Skiff<E, Q, S, B>,
  options: LambdaBindingsOptions = {},
): LambdaBindings {
  const env: Record<string, unknown> = options.env ?? process.env;
  const db = nodeDatabase(resolveDatabaseConfig(env, { allowFile: true }));
  const sqs = new SqsClient(env);
  const queueUrl = (queue: string) => resolveQueueUrl(queue, env, options.queueUrls);
  const runtime = createRuntime(app, {
    platform: "lambda",
    env,
    db: () => db,
    kv: () => new LibsqlKV(db),
    // The URL is resolved on each send, so a queue the function never sends to needs no variable.
    queue: (name) => sqsTransport(sqs, name, () => queueUrl(name)),
  });
  return { runtime, env, sqs, queueUrl };
}
