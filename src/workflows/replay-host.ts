// The seam between a replay and its executor: what the step implementations may ask of the journal and the queue.
import type { Database } from "../bindings/db/database.js";
import type { SqlQuery } from "../bindings/db/sql.js";
import type { Logger } from "../logger.js";
import type { Fence, StepPosition, StepRow, StepValues } from "./journal.js";
import type { Duration, RetryPolicy, StepAttempt } from "./types.js";

/** @internal One step as the replay runs it: its position, function and policies. */
export interface StepSpec extends StepPosition {
  /** The item index passed to a `step.map` function. */
  index?: number;
  fn: (attempt: StepAttempt & { index?: number }) => unknown;
  retries: RetryPolicy;
  timeout: Duration;
  key: string;
}

/**
 * @internal A fan-out group as the parent journals it: `count` children, the first `concurrency` dispatched.
 *
 * @example
 * ```ts
 * await host.fanOut({ seq, name, kind: "map", count: items.length, concurrency: 20, childName: (i) => `${name}[${i}]` }, pending);
 * ```
 */
export interface FanOutGroup {
  seq: number;
  name: string;
  kind: "all" | "map";
  count: number;
  concurrency: number;
  childName(idx: number): string;
}

/** @internal The outcome of a fan-out's children, as the parent sees it. */
export type GroupState =
  { status: "completed"; results: unknown[] } | { status: "failed"; error: Error } | { status: "waiting" };

/** @internal What a replay needs from its executor (run mode or child mode). */
export interface ReplayHost {
  readonly db: Database;
  readonly runId: string;
  readonly workflow: string;
  readonly fence: Fence;
  readonly mode: { kind: "run" } | { kind: "child"; seq: number; idx: number; attempts: number };
  readonly journal: ReadonlyMap<number, StepRow>;
  readonly cancelRequested: boolean;
  /** No new step starts after this time; the run re-enqueues itself instead. */
  readonly deadline: number;
  readonly defaults: { retries: RetryPolicy; timeout: Duration };
  readonly log: Logger;
  now(): number;
  /** Renews the executor's lease while a step attempt runs; returns the function that stops renewing. */
  heartbeat(spec: StepSpec): () => void;
  /** Claims the oldest unclaimed event of `type` for the waitForEvent at `seq` (creating its row); the stored row. */
  claimEvent(
    wait: { seq: number; name: string; type: string; timeoutAt: number | null },
    pending: SqlQuery[],
  ): Promise<StepRow | undefined>;
  /** Journals a fan-out group and its children and dispatches the first ones. */
  fanOut(group: FanOutGroup, pending: SqlQuery[]): Promise<void>;
  /** Where a fan-out's children are; records the group's outcome once they are done. */
  fanIn(group: Pick<FanOutGroup, "seq" | "name" | "kind">, pending: SqlQuery[]): Promise<GroupState>;
  /**
   * Records a child's outcome (child mode) with what follows from it in the same transaction: an ended child
   * dispatches the next pending one and wakes the parent when none is outstanding; a delayed retry sets its timer.
   */
  childOutcome(position: StepPosition, values: StepValues): Promise<StepRow | undefined>;
}
