import type { Env } from "hono";
import type { Skiff } from "../../app.js";
import {
  createRuntime,
  runtimeContext,
  type RuntimeExecutionContext,
  type SkiffRuntime,
} from "../../runtime.js";
import { serverUrl } from "../../local-server.js";
import { CronRunner } from "../../triggers/scheduler.js";
import { testScheduledRoute } from "../../triggers/test-scheduled.js";
import type { QueueSchemas } from "../../types.js";
import { settlesWithin, WaitUntilTracker } from "../../wait-until.js";
import { denoFetchHandler } from "./http.js";
import { denoListen, type DenoOptions, resolveDenoOptions } from "./options.js";
import { DenoQueueListener } from "./queue.js";
import { denoRuntimeOptions } from "./runtime.js";
import { registerCrons } from "./scheduled.js";
import type { DenoApp, DenoKv, DenoServer } from "./types.js";

/**
 * Runs a skiff app on Deno and Deno Deploy: HTTP through `Deno.serve` (or `deno serve`), each cron registered with
 * `Deno.cron` (UTC, one job per expression, named by {@link denoCronName}), queues on Deno KV (`enqueue`, and
 * `listenQueue` delivering to the app's consumers with skiff's contract: ack, retry with delay, `maxRetries`, dead
 * letter), `kv` on Deno KV, and `db` on libSQL over HTTP (Turso). Call it at the top level of the entry module:
 * Deno Deploy picks up crons and the queue listener only there. The runtime and its bindings are created once, on
 * first use; Deno KV is opened when the queue listener starts or a binding first needs it.
 *
 * @example
 * ```ts
 * // examples/shop/deno.ts: `deno serve --unstable-kv --unstable-cron -A examples/shop/deno.ts`
 * import { toDeno } from "skiff/deno";
 * import { app } from "./app.js";
 *
 * export default toDeno(app);
 * ```
 */
export function toDeno<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  options: DenoOptions = {},
): DenoApp {
  const resolved = resolveDenoOptions(options, app.triggers.queues.size > 0);
  const { deno, env } = resolved;
  let kvOpen: Promise<DenoKv> | undefined;
  const kv = (): Promise<DenoKv> =>
    (kvOpen ??= resolved.openKv().catch((error: unknown) => {
      kvOpen = undefined; // the next use tries again
      throw error;
    }));
  let runtime: SkiffRuntime | undefined;
  let tracker: WaitUntilTracker | undefined;
  let context: RuntimeExecutionContext | undefined;
  const runtimeFor = () => (runtime ??= createRuntime(app, denoRuntimeOptions(resolved, kv)));
  const trackerFor = () => (tracker ??= new WaitUntilTracker(runtimeFor().log));
  const contextFor = () => (context ??= runtimeContext(runtimeFor(), trackerFor()));

  // Created with the runtime, at the first cron run: it keeps the runs in progress for close().
  let runner: CronRunner | undefined;
  const fireCron = (expression: string, scheduledTime = Date.now()): Promise<void> =>
    (runner ??= new CronRunner(runtimeFor(), trackerFor().waitUntil)).fire(expression, scheduledTime);

  const crons = resolved.crons ? registerCrons(app.triggers, deno, fireCron) : [];

  let listener: DenoQueueListener | undefined;
  const listenerFor = () =>
    (listener ??= new DenoQueueListener(runtimeFor(), kv, trackerFor().waitUntil, resolved));
  if (resolved.queues) {
    void kv()
      .then((db) => db.listenQueue((value) => listenerFor().handle(value)))
      .catch((error: unknown) => runtimeFor().log.error("the Deno KV queue listener stopped", { error }));
  }

  const fetch = denoFetchHandler(
    (request, requestEnv, ctx) => app.fetch(request, requestEnv, ctx),
    env,
    contextFor,
    resolved.testScheduled ? (request) => testScheduledRoute(request, app.triggers, fireCron) : undefined,
  );

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000): Promise<void> =>
    (closing ??= (async () => {
      const work = Promise.all([listener?.settle(), runner?.settled(), tracker?.settle()]);
      if (!(await settlesWithin(work, graceMs)))
        runtimeFor().log.warn(
          "queue batches, cron runs or waitUntil tasks still running at shutdown are abandoned",
          { graceMs },
        );
      if (kvOpen) (await kvOpen.catch(() => undefined))?.close();
    })());

  const serve = (serveOptions: Parameters<DenoApp["serve"]>[0] = {}): DenoServer => {
    const listen = denoListen(serveOptions, env);
    const server = deno.serve({ ...listen, onListen: () => undefined }, fetch);
    const url = serverUrl(server.addr.hostname ?? listen.hostname, server.addr.port ?? listen.port);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= server.shutdown().then(() => close()));
    if (serveOptions.handleSignals !== false) {
      for (const signal of ["SIGINT", "SIGTERM"] as const)
        deno.addSignalListener(signal, () => void stop().finally(() => deno.exit(0)));
    }
    runtimeFor().log.info("listening", { url, crons: crons.map((c) => c.cron) });
    return { url, server, close: stop };
  };

  return {
    fetch,
    serve,
    crons,
    fireCron,
    close,
  };
}
