import type { Env } from "hono";
import type { BlankSchema, Schema } from "hono/types";
import type { Skiff } from "../../app.js";
import { problemResponse } from "../../errors.js";
import { drainQueues } from "../../triggers/pull-queue.js";
import type { QueueSchemas } from "../../types.js";
import { allowOnly } from "./_cron-auth.js";
import { scheduledTimeOf } from "./_scheduled-time.js";
import { createVercelWaitUntil, type VercelWaitUntil } from "./_wait-until.js";
import { resolveQueueBackend, type VercelOptions } from "./options.js";
import { VERCEL_DRAIN_SCHEDULE, vercelScheduleName } from "./paths.js";
import { createVercelState, resolveVercelEnv, type VercelState } from "./runtime.js";
import type { VercelHandler } from "./types.js";

/**
 * A run of a Vercel schedule as its private function receives it: the run's metadata that `@vercel/schedules`'
 * `handleSchedule` hands its callback (https://vercel.com/docs/schedules/handle-runs#function-targets,
 * https://vercel.com/docs/schedules/sdk): the schedule's name, the time the expression matched (without jitter,
 * https://vercel.com/docs/schedules/concepts#how-a-schedule-runs) and the execution id, the same for every
 * delivery of one occurrence.
 *
 * @example
 * ```ts
 * const run: VercelScheduleRun = { name: "skiff-cron-0_9_x_x_x", scheduledAt: "2026-01-02T09:00:00.000Z", executionId: "exe_1" };
 * ```
 */
export interface VercelScheduleRun {
  name: string;
  scheduledAt?: string | number;
  executionId?: string;
}

/**
 * What {@link toVercelSchedules} returns: the `POST` of the private schedule function, and `settle()` for tests.
 *
 * @example
 * ```ts
 * export const { POST } = toVercelSchedules(app);
 * ```
 */
export interface VercelScheduleHandlers {
  readonly POST: VercelHandler;
  settle(): Promise<void>;
}

function parseRun(value: unknown): VercelScheduleRun | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { name, scheduledAt, executionId } = value as Record<string, unknown>;
  if (typeof name !== "string" || !name) return undefined;
  if (scheduledAt !== undefined && typeof scheduledAt !== "string" && typeof scheduledAt !== "number")
    return undefined;
  return {
    name,
    ...(scheduledAt === undefined ? {} : { scheduledAt }),
    ...(typeof executionId === "string" ? { executionId } : {}),
  };
}

/**
 * Serves the private Vercel Function that the app's Schedules target (`skiff build --target vercel` generates it
 * with `experimentalTriggers: [{ type: "schedule/v1beta" }]`). Such a function has no public URL: only Vercel's
 * scheduler can invoke it, which is its authentication (https://vercel.com/docs/schedules/handle-runs#function-targets),
 * so no `CRON_SECRET` is involved, and `toVercel()`'s public route never accepts a schedule run. A run names its
 * schedule: `skiff-cron-<expression>` fires that cron through `runtime.fire` with the run's scheduled time and
 * execution id; `skiff-queues-drain` drains the libSQL queue. 404 for a name the app does not register, 500 when a
 * handler fails (the run shows as failed; Vercel does not retry function targets).
 *
 * @example
 * ```ts
 * // app/api/skiff/schedule/route.ts (generated)
 * import { toVercelSchedules } from "skiff/vercel";
 * import { app } from "../../../../server/app.js";
 * export const runtime = "nodejs";
 * export const { POST } = toVercelSchedules(app);
 * ```
 */
export function toVercelSchedules<
  E extends Env,
  Q extends QueueSchemas,
  S extends Schema = BlankSchema,
  B extends string = "/",
>(
  app: Skiff<E, Q, S, B>,
  options: Pick<
    VercelOptions,
    "env" | "createClient" | "queues" | "vercelQueues" | "drainBudgetMs" | "now"
  > = {},
): VercelScheduleHandlers {
  const now = options.now ?? Date.now;
  let instance: { state: VercelState; background: VercelWaitUntil } | undefined;
  const init = () => {
    const env = resolveVercelEnv(options.env);
    const state = createVercelState(app, env, options.createClient, {
      backend: resolveQueueBackend(options.queues, env),
      ...options.vercelQueues,
    });
    return { state, background: createVercelWaitUntil(state.runtime.log) };
  };
  const POST: VercelHandler = async (request) => {
    const refused = allowOnly(request, "POST");
    if (refused) return refused;
    const run = parseRun(await request.json().catch(() => undefined));
    if (!run) return problemResponse(400, { detail: "A schedule run is a JSON object with a name" });
    const { state, background } = (instance ??= init());
    const { runtime } = state;
    if (run.name === VERCEL_DRAIN_SCHEDULE) {
      try {
        const queues = [...runtime.registry.queues.keys()];
        const budgetMs = options.drainBudgetMs ?? 10_000;
        const delivered = await drainQueues(
          runtime,
          state.store,
          { queues, maxBatches: Number.POSITIVE_INFINITY, budgetMs },
          background.waitUntil,
        );
        return Response.json({ name: run.name, delivered });
      } catch (error) {
        runtime.log.error("queue drain failed", { error });
        return problemResponse(500, { detail: "queue drain failed; see the function logs" });
      }
    }
    const expression = [...runtime.registry.crons.keys()].find((e) => vercelScheduleName(e) === run.name);
    if (expression === undefined)
      return problemResponse(404, { detail: `no cron handler is registered for schedule "${run.name}"` });
    const at = typeof run.scheduledAt === "string" ? Date.parse(run.scheduledAt) : run.scheduledAt;
    const scheduledTime = at !== undefined && Number.isFinite(at) ? at : scheduledTimeOf(expression, now());
    const executionId = run.executionId ?? request.headers.get("x-vercel-id") ?? undefined;
    try {
      await runtime.fire(
        { cron: expression, scheduledTime, ...(executionId ? { executionId } : {}) },
        background.waitUntil,
      );
    } catch {
      // The cron dispatch has logged the failure in full; the response says only what the caller can act on.
      return problemResponse(500, { detail: `cron "${expression}" failed; see the function logs` });
    }
    return Response.json({
      name: run.name,
      cron: expression,
      scheduledTime: new Date(scheduledTime).toISOString(),
    });
  };
  return { POST, settle: () => instance?.background.settle() ?? Promise.resolve() };
}
