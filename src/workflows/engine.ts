// The portable engine of one runtime: the clients (`c.var.workflows`), the consumer of the `skiff-workflows`
// queue and the timer cron. Journal and timers live in the app's libSQL database; wakes go through the app's queue.
import type { Database } from "../bindings/db/database.js";
import { QUEUE_LIMITS, type QueueTransport } from "../bindings/queues/types.js";
import type { Logger } from "../logger.js";
import type { TriggerContext } from "../types.js";
import { ensureWorkflowSchema } from "./admin.js";
import { createWorkflowClient } from "./client.js";
import { executeChild } from "./execute-child.js";
import { executeRun, type WakeResult } from "./execute.js";
import type { WorkflowRegistration } from "./registration.js";
import type { AnySchema } from "../schema.js";
import { tickTimers } from "./timers.js";
import type { WorkflowClient } from "./types.js";
import { DEFAULT_TIMINGS, type EngineDeps, type EngineTimings, type WakeMessage } from "./wake.js";

const ENGINE = Symbol.for("skiff.workflows.engine");

/** @internal What the engine is built from: the runtime's lazy bindings and the app's workflows. */
export interface WorkflowEngineOptions {
  declared: ReadonlyMap<string, AnySchema>;
  implemented: ReadonlyMap<string, WorkflowRegistration>;
  db: () => Database;
  transport: () => QueueTransport;
  log: Logger;
  timings?: Partial<EngineTimings>;
  now?: () => number;
}

/**
 * @internal The engine of one runtime. `clients` is `c.var.workflows`; the internal queue consumer calls `wake`,
 * the timer cron calls `tick`. Both take the trigger context of their invocation (handlers get it, with its
 * `waitUntil`).
 */
export class WorkflowEngine {
  readonly clients: Readonly<Record<string, WorkflowClient<unknown>>>;
  readonly #options: WorkflowEngineOptions;
  readonly #timings: EngineTimings;

  constructor(options: WorkflowEngineOptions) {
    this.#options = options;
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    const clients: Record<string, WorkflowClient<unknown>> = {};
    for (const [name, schema] of options.declared) {
      clients[name] = createWorkflowClient(name, schema, () => this.#deps(undefined));
    }
    Object.defineProperty(clients, ENGINE, { value: this, enumerable: false });
    this.clients = Object.freeze(clients);
  }

  #deps(ctx: TriggerContext | undefined): EngineDeps {
    const o = this.#options;
    const transport = o.transport();
    return {
      db: o.db(),
      log: ctx?.log ?? o.log,
      timings: this.#timings,
      maxDelayMs: (transport.maxDelaySeconds ?? QUEUE_LIMITS.maxDelaySeconds) * 1000,
      now: o.now ?? Date.now,
      workflow: (name) => o.implemented.get(name),
      context: (log) => {
        if (!ctx) throw new Error("[skiff] workflow handlers run only from the workflow queue consumer");
        return { ...ctx, log };
      },
      transport: () => transport,
    };
  }

  /** Handles one wake message of the `skiff-workflows` queue. */
  async wake(message: WakeMessage, ctx: TriggerContext): Promise<WakeResult> {
    const deps = this.#deps(ctx);
    await ensureWorkflowSchema(deps.db);
    return "seq" in message
      ? executeChild(deps, message.run, message.seq, message.idx)
      : executeRun(deps, message.run);
  }

  /** One tick of the timer cron; returns how many wakes it sent. */
  async tick(ctx?: TriggerContext): Promise<number> {
    const deps = this.#deps(ctx);
    await ensureWorkflowSchema(deps.db);
    return tickTimers(deps);
  }
}

/** @internal The engine behind a `workflows` clients object (`ctx.workflows`). */
export function engineOf(clients: unknown): WorkflowEngine {
  const engine = (clients as { [ENGINE]?: WorkflowEngine } | undefined)?.[ENGINE];
  if (!engine)
    throw new Error("[skiff] this context has no workflow engine; run the app through a skiff runtime");
  return engine;
}
