import type { LibsqlQueueStore } from "../../bindings/queues/libsql/store.js";
import { problemResponse } from "../../errors.js";
import type { SkiffRuntime } from "../../runtime.js";
import { drainOnce, drainQueues } from "../../triggers/pull-queue.js";
import { allowOnly, authorizeCron } from "./_cron-auth.js";
import type { EndpointContext } from "./http.js";

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * @internal Delivers the durable queue after requests, in `waitUntil`, so messages move without a dedicated worker.
 * Bounded per round: one batch per queue, and only for queues this instance sent to since the last round, plus
 * every consumed queue once per `intervalMs` (delayed and retried messages, and messages sent by other instances).
 * One round runs at a time per instance; a request that arrives meanwhile queues its round behind it, on its own
 * `waitUntil`.
 *
 * @example
 * ```ts
 * const drainer = new RequestDrainer(runtime, store, 60_000, Date.now);
 * drainer.afterRequest(waitUntil); // after each response
 * ```
 */
export class RequestDrainer {
  readonly #pending = new Set<string>();
  #lastFull = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;

  constructor(
    private readonly runtime: SkiffRuntime,
    private readonly store: LibsqlQueueStore,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {
    store.onSend((queue) => {
      if (runtime.registry.queues.has(queue)) this.#pending.add(queue);
    });
  }

  #due(): boolean {
    return this.#pending.size > 0 || this.now() - this.#lastFull >= this.intervalMs;
  }

  /** Called once a response is ready; schedules a round on `waitUntil` when one is due. */
  afterRequest(waitUntil: WaitUntil): void {
    if (!this.#due()) return;
    if (this.#running) {
      waitUntil(this.#running.then(() => this.afterRequest(waitUntil)));
      return;
    }
    const round = this.#round(waitUntil).finally(() => {
      this.#running = undefined;
    });
    this.#running = round;
    waitUntil(round);
  }

  async #round(waitUntil: WaitUntil): Promise<void> {
    const full = this.now() - this.#lastFull >= this.intervalMs;
    const queues = full ? [...this.runtime.registry.queues.keys()] : [...this.#pending];
    if (full) this.#lastFull = this.now();
    this.#pending.clear();
    for (const queue of queues) {
      try {
        await drainOnce(this.runtime, this.store, queue, waitUntil);
      } catch (error) {
        // Messages stay stored; the next round, the drain path or their visibility timeout brings them back.
        this.runtime.log.warn("queue drain after request failed", { queue, error });
      }
    }
  }
}

function positiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * @internal The drain endpoint, `<basePath>/__skiff/queues/drain`: checks `CRON_SECRET`, then delivers stored
 * messages (every consumed queue, or `?queue=`) through `drainQueues`, within `?batches=` and the drain budget.
 * GET for a vercel.json cron entry; POST for a caller that prefers it (a deploy hook, a script).
 *
 * @example
 * ```ts
 * const response = await drainEndpoint(request, new URL("https://shop.vercel.app/api/__skiff/queues/drain"), ctx);
 * ```
 */
export async function drainEndpoint(request: Request, url: URL, ctx: EndpointContext): Promise<Response> {
  const refused =
    allowOnly(request, "GET, POST") ?? (await authorizeCron(request, ctx.state.env, ctx.state.runtime.log));
  if (refused) return refused;
  const only = url.searchParams.get("queue");
  const { registry } = ctx.state.runtime;
  if (only !== null && !registry.queues.has(only)) {
    return problemResponse(404, { detail: `queue "${only}" has no consumer in this app` });
  }
  const maxBatches = positiveInt(url.searchParams.get("batches"), Number.POSITIVE_INFINITY);
  if (maxBatches === undefined) return problemResponse(400, { detail: "batches must be a positive integer" });
  const queues = only === null ? [...registry.queues.keys()] : [only];
  try {
    const delivered = await drainQueues(
      ctx.state.runtime,
      ctx.state.store,
      { queues, maxBatches, budgetMs: ctx.drainBudgetMs },
      ctx.waitUntil,
    );
    return Response.json({ delivered });
  } catch (error) {
    ctx.state.runtime.log.error("queue drain failed", { error });
    return problemResponse(500, { detail: "queue drain failed; see the function logs" });
  }
}
