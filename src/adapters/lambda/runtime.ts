import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { databaseFilePath } from "../../bindings/db/client-options.js";
import { resolveDatabaseConfig } from "../../bindings/db/config.js";
import { LibsqlKV } from "../../bindings/kv/libsql.js";
import { functionDatabase } from "../../bindings/db/function.js";
import { createRuntime, type SkiffRuntime } from "../../runtime.js";
import { SqsClient } from "../../bindings/queues/sqs/client.js";
import { sqsTransport } from "../../bindings/queues/sqs/transport.js";
import type { LambdaBindingsOptions } from "./options.js";
import { resolveQueueUrl } from "./queue-url.js";
import { s3Store } from "../../bindings/buckets/s3.js";
import { ConfigError } from "../../errors.js";
import { s3BucketName } from "./storage.js";

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

// What a user of the package sets on Lambda: the function's environment, not a script of this repository.
const LAMBDA_MISSING_URL =
  "set TURSO_DATABASE_URL (libsql://<db>-<org>.turso.io, or file:/tmp/<name>.db for scratch data) in the function's environment variables, and TURSO_AUTH_TOKEN when the database needs a token (skiff's generated SAM template takes them as the TursoDatabaseUrl and TursoAuthToken parameters)";

/**
 * Creates the bindings of a Lambda execution environment. `toLambda` calls it once, on the first invocation
 * (never at import). `db` is `@libsql/client` on `TURSO_DATABASE_URL`: a remote `libsql://` or `https://`
 * database, or a `file:` URL (only `/tmp` is writable on Lambda and it lasts as long as the execution environment,
 * so `file:` suits tests and scratch data only). The variable is read at the first query, so only invocations that
 * use `db` or `kv` need it. There is deliberately no default file: a missing `TURSO_DATABASE_URL` fails that query
 * with a ConfigError naming it and saying where to set it. `kv` is a table in
 * the same database; queue producers send to SQS with the function's credentials.
 *
 * @example
 * ```ts
 * const { runtime } = lambdaBindings(app, { env: { ...process.env, TURSO_DATABASE_URL: "file:/tmp/test.db" } });
 * ```
 */
export function lambdaBindings(
  app: Parameters<typeof createRuntime>[0],
  options: LambdaBindingsOptions = {},
): LambdaBindings {
  const env: Record<string, unknown> = options.env ?? process.env;
  // The URL is read when the first query needs a client, not here: an invocation that never touches db or kv
  // (a route without bindings, a cron that only logs) must not fail for a database it does not use. A failed
  // read leaves no client behind, so the next query reads the environment again.
  const db = functionDatabase(
    () => resolveDatabaseConfig(env, { allowFile: true, missing: LAMBDA_MISSING_URL }),
    { beforeOpen: ({ url }) => ensureDatabaseDir(url) },
  );
  const sqs = new SqsClient(env);
  const queueUrl = (queue: string) => resolveQueueUrl(queue, env, options.queueUrls);
  const runtime = createRuntime(app, {
    platform: "lambda",
    env,
    db: () => db,
    kv: () => new LibsqlKV(db),
    // The URL is resolved on each send, so a queue the function never sends to needs no variable.
    queue: (name) => sqsTransport(sqs, name, () => queueUrl(name)),
    // S3 notifies the function of changes itself (the SAM template's S3 events), so buckets never emit.
    bucket: (name) =>
      s3Store({ bucket: s3BucketName(app.triggers, name, env, options), ...s3Location(env, options) }, env),
  });
  return { runtime, env, sqs, queueUrl };
}

function s3Location(env: Record<string, unknown>, options: LambdaBindingsOptions) {
  const region = options.s3?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (typeof region !== "string" || !region)
    throw new ConfigError("AWS_REGION is not set: buckets are signed for the region (Lambda sets it)", {
      variable: "AWS_REGION",
    });
  return {
    region,
    ...(options.s3?.endpoint !== undefined ? { endpoint: options.s3.endpoint } : {}),
    ...(options.s3?.pathStyle !== undefined ? { pathStyle: options.s3.pathStyle } : {}),
  };
}

// src/adapters/node's ensureDatabaseDir, repeated: an adapter never imports another, and src/bindings ships no
// node: built-in. Only /tmp is writable on Lambda; a file: URL there may name a folder that does not exist yet.
function ensureDatabaseDir(url: string): void {
  const path = databaseFilePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
}
