import { ProblemError, type WorkflowClient, type WorkflowRun, type WorkflowStepInfo } from "skiff";

/**
 * A run as the shop's status routes show it: no input (it holds the customer's email), each step once with its
 * outcome and, for a fan-out, how many of its children have finished.
 *
 * @example
 * ```ts
 * app.get("/api/checkouts/:id", async (c) => c.json(runView(await foundRun(c.var.workflows.checkout, c.req.param("id")))));
 * ```
 */
export interface RunView {
  readonly id: string;
  readonly status: WorkflowRun["status"];
  readonly output?: unknown;
  readonly error?: WorkflowRun["error"];
  readonly createdAt: string | undefined;
  readonly updatedAt: string | undefined;
  readonly steps: ReadonlyArray<{
    readonly name: string;
    readonly kind: WorkflowStepInfo["kind"];
    readonly status: WorkflowStepInfo["status"];
    readonly attempts: number;
    readonly error?: WorkflowStepInfo["error"];
    readonly compensation?: WorkflowStepInfo["compensation"];
    readonly children?: Readonly<Record<WorkflowStepInfo["status"], number>>;
  }>;
}

/**
 * Builds the {@link RunView} of a run.
 *
 * @example
 * ```ts
 * const view = runView(run); // view.steps: [{ name: "charge", status: "completed", compensation: "completed" }, ...]
 * ```
 */
export function runView(run: WorkflowRun): RunView {
  type Counts = Record<WorkflowStepInfo["status"], number>;
  const steps: Array<RunView["steps"][number] & { children?: Counts }> = [];
  for (const s of run.steps) {
    const parent = steps.at(-1);
    if (s.index !== undefined) {
      // The journal lists a fan-out's children right after the fan-out itself (`sku[0]`, `sku[1]`, ...).
      if (!parent) continue;
      parent.children ??= { running: 0, waiting: 0, completed: 0, failed: 0 };
      parent.children[s.status] += 1;
      continue;
    }
    steps.push({
      name: s.name,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      ...(s.error === undefined ? {} : { error: s.error }),
      ...(s.compensation === undefined ? {} : { compensation: s.compensation }),
    });
  }
  return {
    id: run.id,
    status: run.status,
    ...(run.output === undefined ? {} : { output: run.output }),
    ...(run.error === undefined ? {} : { error: run.error }),
    createdAt: run.createdAt?.toISOString(),
    updatedAt: run.updatedAt?.toISOString(),
    steps,
  };
}

/**
 * The run with this id, or a 404 problem naming it.
 *
 * @example
 * ```ts
 * const run = await foundRun(c.var.workflows.checkout, c.req.param("id"));
 * ```
 */
export async function foundRun(
  client: Pick<WorkflowClient<unknown>, "get">,
  id: string,
): Promise<WorkflowRun> {
  const run = await client.get(id);
  if (!run) throw new ProblemError(404, { detail: `No run ${id}` });
  return run;
}

/**
 * Refuses (409) to act on a run that has ended: reviewing or cancelling a completed checkout would change nothing.
 *
 * @example
 * ```ts
 * assertActive(run, "cancel");
 * ```
 */
export function assertActive(run: WorkflowRun, action: string): void {
  if (run.status === "completed" || run.status === "failed" || run.status === "cancelled")
    throw new ProblemError(409, {
      detail: `Run ${run.id} has already ended (${run.status}): nothing to ${action}`,
    });
}

/**
 * Whether two JSON values are equal, whatever the order of their keys: a start that finds a run with this id
 * compares the inputs, so an order id reused for another basket is a conflict, not a silent replay.
 *
 * @example
 * ```ts
 * sameJson({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * ```
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
