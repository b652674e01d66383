import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Database } from "../bindings/db/database.js";
import type { QueueTransport } from "../bindings/queues/types.js";
import type { Logger } from "../logger.js";
import type { TriggerContext } from "../types.js";
import type { WorkflowRegistration } from "./registration.js";

/**
 * A message on the `skiff-workflows` queue: ids only, never payloads (state is in the journal). `{ run }` wakes a
 * run; `{ run, seq, idx }` runs fan-out child `idx` of the group at position `seq`.
 *
 * @example
 * ```ts
 * const wake: WakeMessage = { run: "checkout-o1" };
 * const child: WakeMessage = { run: "checkout-o1", seq: 4, idx: 17 };
 * ```
 */
export type WakeMessage = { run: string } | { run: string; seq: number; idx: number };

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** @internal The Standard Schema of {@link WakeMessage}, declared as the schema of the internal queue. */
export const WAKE_SCHEMA: StandardSchemaV1<WakeMessage, WakeMessage> = {
  "~standard": {
    version: 1,
    vendor: "skiff",
    validate(value) {
      const v = value as { run?: unknown; seq?: unknown; idx?: unknown } | null;
      if (typeof v !== "object" || v === null || typeof v.run !== "string" || v.run === "") {
        return { issues: [{ message: "a workflow wake message is { run } or { run, seq, idx }" }] };
      }
      if (v.seq === undefined && v.idx === undefined) return { value: { run: v.run } };
      if (isIndex(v.seq) && isIndex(v.idx)) return { value: { run: v.run, seq: v.seq, idx: v.idx } };
      return { issues: [{ message: "seq and idx of a workflow wake message are non-negative integers" }] };
    },
  },
};

/** @internal Timing of the engine; tests and benchmarks may shorten them. */
export interface EngineTimings {
  /** How long an executor's lease lasts without renewal (renewed while a step runs). */
  leaseMs: number;
  /** No new step starts after this much time in one invocation; the run re-enqueues itself. */
  budgetMs: number;
  /** A wake overdue by more than this is sent again by the timer cron. */
  graceMs: number;
  /** A dispatched fan-out child not started (or whose executor died) by then is dispatched again. */
  staleMs: number;
}

/** @internal The default timings. */
export const DEFAULT_TIMINGS: EngineTimings = {
  leaseMs: 30_000,
  budgetMs: 25_000,
  graceMs: 60_000,
  staleMs: 5 * 60_000,
};

/** @internal What the executors need of the engine. */
export interface EngineDeps {
  readonly db: Database;
  readonly log: Logger;
  readonly timings: EngineTimings;
  /** The longest delay the workflow queue's transport accepts, in ms. */
  readonly maxDelayMs: number;
  now(): number;
  workflow(name: string): WorkflowRegistration | undefined;
  context(log: Logger): TriggerContext;
  transport(): QueueTransport;
}

/** @internal Sends wake messages, 100 to a batch; a delay beyond the transport's longest is refused here. */
export async function sendWakes(
  deps: Pick<EngineDeps, "transport" | "maxDelayMs">,
  wakes: ReadonlyArray<{ body: WakeMessage; delaySeconds?: number }>,
): Promise<void> {
  const max = Math.floor(deps.maxDelayMs / 1000);
  for (let i = 0; i < wakes.length; i += 100) {
    await deps
      .transport()
      .send(
        wakes
          .slice(i, i + 100)
          .map((w) =>
            w.delaySeconds
              ? { body: w.body, delaySeconds: Math.min(Math.max(Math.ceil(w.delaySeconds), 0), max) }
              : { body: w.body },
          ),
      );
  }
}

/**
 * @internal Whether a wake at `wakeAt` is within the transport's longest delay, so it goes as a message now.
 *
 * @example
 * ```ts
 * const sentFor = queueCarries(deps, wakeAt, now) ? wakeAt : null; // NULL: the timer cron sends it
 * ```
 */
export function queueCarries(deps: Pick<EngineDeps, "maxDelayMs">, wakeAt: number, now: number): boolean {
  return wakeAt - now <= deps.maxDelayMs;
}

/**
 * @internal Sends one wake delayed until `wakeAt` (whole seconds, rounded up: never early).
 *
 * @example
 * ```ts
 * if (queueCarries(deps, wakeAt, now)) await sendWakeAt(deps, { run: runId }, wakeAt, now);
 * ```
 */
export function sendWakeAt(
  deps: Pick<EngineDeps, "transport" | "maxDelayMs">,
  body: WakeMessage,
  wakeAt: number,
  now: number,
): Promise<void> {
  return sendWakes(deps, [{ body, delaySeconds: Math.ceil((wakeAt - now) / 1000) }]);
}
