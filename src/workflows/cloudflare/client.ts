import { SkiffError } from "../../errors.js";
import { type AnySchema, parseWithSchema } from "../../schema.js";
import { encodeValue } from "../limits.js";
import type { WorkflowClient, WorkflowRun, WorkflowStatus } from "../types.js";
import type {
  CloudflareInstanceStatus,
  CloudflareWorkflowBinding,
  CloudflareWorkflowInstance,
} from "./types.js";

// Cloudflare's rule for instance ids. https://developers.cloudflare.com/workflows/reference/limits/
const INSTANCE_ID = /^[a-zA-Z0-9_][a-zA-Z0-9-_]{0,99}$/;

const STATUS: Record<CloudflareInstanceStatus["status"], WorkflowStatus> = {
  queued: "queued",
  unknown: "queued", // no state reported yet
  running: "running",
  waitingForPause: "running", // finishing its current step before it pauses
  waiting: "waiting",
  paused: "waiting", // suspended until `resume()`; skiff has no pause
  complete: "completed",
  errored: "failed",
  terminated: "cancelled",
};

const ENDED = new Set<CloudflareInstanceStatus["status"]>(["complete", "errored", "terminated"]);

/**
 * A {@link WorkflowClient} over a Cloudflare Workflow binding. `start` validates the input with the workflow's schema
 * and creates the instance with the run id as its id (idempotent: an id that exists returns it, `created: false`);
 * `get` maps `instance.status()` (Cloudflare reports no input, steps or times: `input` is `undefined`, `steps` empty,
 * no `createdAt`/`updatedAt`); `sendEvent` is `instance.sendEvent`; `cancel` is `instance.terminate()`,
 * which stops the instance without running any `undo` (an ended run is left as it is).
 *
 * @example
 * ```ts
 * const checkout = cloudflareWorkflowClient("checkout", CheckoutInput, () => env.CHECKOUT_WORKFLOW);
 * const { id } = await checkout.start({ orderId: "o1" }, { id: "checkout-o1" });
 * ```
 */
export function cloudflareWorkflowClient<In>(
  workflow: string,
  schema: AnySchema,
  binding: () => CloudflareWorkflowBinding,
): WorkflowClient<In> {
  const what = `workflow "${workflow}"`;
  const find = async (id: string): Promise<CloudflareWorkflowInstance | undefined> => {
    try {
      return await binding().get(id);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const existing = async (id: string): Promise<CloudflareWorkflowInstance> => {
    const instance = await find(checkId(what, id));
    if (!instance) throw new SkiffError(`${what} has no run "${id}"`);
    return instance;
  };
  return {
    async start(input, options) {
      const params = await parseWithSchema(schema, input, `the input of ${what}`);
      encodeValue(params, `the input of ${what}`);
      const id = checkId(what, options?.id ?? crypto.randomUUID());
      if (await find(id)) return { id, created: false };
      try {
        await binding().create({ id, params });
      } catch (error) {
        // Two starts of one id at once: Cloudflare creates one and refuses the other.
        if (await find(id)) return { id, created: false };
        throw error;
      }
      return { id, created: true };
    },
    async get(id) {
      const instance = await find(checkId(what, id));
      if (!instance) return undefined;
      const state = await instance.status();
      const run: WorkflowRun = {
        id,
        workflow,
        status: STATUS[state.status] ?? "running",
        input: undefined,
        ...(state.output === undefined || state.output === null ? {} : { output: state.output }),
        ...(state.error ? { error: errorOf(state.error) } : {}),
        steps: [],
      };
      return run;
    },
    async sendEvent(id, event) {
      if (typeof event?.type !== "string" || !event.type)
        throw new SkiffError(`${what}: sendEvent needs a type`);
      encodeValue(event.payload, `the payload of event "${event.type}"`);
      const instance = await existing(id);
      await instance.sendEvent({ type: event.type, payload: event.payload ?? null });
    },
    async cancel(id) {
      const instance = await existing(id);
      // Cloudflare refuses to terminate an ended instance; cancelling one is a no-op, as on the portable engine.
      if (ENDED.has((await instance.status()).status)) return;
      try {
        await instance.terminate();
      } catch (error) {
        if (!ENDED.has((await instance.status()).status)) throw error; // it ended meanwhile
      }
    },
  };
}

// A run's error crossed Workers RPC on its way to Cloudflare, which keeps the names of built-in errors only: others
// arrive as `Error` with "Name: " before the message. Undo that, so `error.name` is the thrown one, as elsewhere.
function errorOf(error: { name: string; message: string }): { name: string; message: string } {
  const prefixed =
    error.name === "Error" ? /^([A-Z][A-Za-z0-9]*Error): ([\s\S]*)$/.exec(error.message) : null;
  return prefixed
    ? { name: prefixed[1] as string, message: prefixed[2] as string }
    : { name: error.name, message: error.message };
}

function checkId(what: string, id: string): string {
  if (typeof id !== "string" || !INSTANCE_ID.test(id)) {
    throw new SkiffError(
      `${what}: run id ${JSON.stringify(id)} is not a Cloudflare Workflows instance id: 1–100 letters, digits, "-" or "_", not starting with "-"`,
    );
  }
  return id;
}

// Workers RPC keeps only the message: `instance.not_found` (Cloudflare and Miniflare alike).
function isNotFound(error: unknown): boolean {
  return /not[._ ]found/i.test((error as Error)?.message ?? "");
}
