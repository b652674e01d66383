// The executor's side of a replay: the journal statements of events and fan-out, each one fenced batch.
import { sql, type SqlQuery } from "../bindings/db/sql.js";
import type { Logger } from "../logger.js";
import { WorkflowStepError } from "./errors.js";
import {
  fenceCondition,
  fencedBatch,
  recordStep,
  renewLease,
  selectStep,
  setTimer,
  toStepRow,
  type Fence,
  type StepPosition,
  type StepRow,
  type StepValues,
} from "./journal.js";
import { encodeValue } from "./limits.js";
import type { FanOutGroup, GroupState, ReplayHost } from "./replay-host.js";
import { queueCarries, sendWakeAt, sendWakes, type EngineDeps } from "./wake.js";
import type { Duration, RetryPolicy } from "./types.js";

const CHUNK = 100; // rows per multi-row INSERT: 9 parameters each, far below SQLite's limit

/** @internal A {@link ReplayHost} over the engine's database and queue. */
export class ExecutorHost implements ReplayHost {
  constructor(
    readonly deps: EngineDeps,
    readonly runId: string,
    readonly workflow: string,
    readonly fence: Fence,
    readonly mode: ReplayHost["mode"],
    readonly journal: ReadonlyMap<number, StepRow>,
    readonly cancelRequested: boolean,
    readonly deadline: number,
    readonly defaults: { retries: RetryPolicy; timeout: Duration },
    readonly log: Logger,
  ) {}

  get db() {
    return this.deps.db;
  }

  now(): number {
    return this.deps.now();
  }

  heartbeat(): () => void {
    const { leaseMs } = this.deps.timings;
    const renew = () => {
      // A failed renewal is not fatal here: the step's fenced write finds out whether the lease survived.
      this.db
        .run(renewLease(this.fence, this.now() + leaseMs))
        .catch((error: unknown) => this.log.warn("workflow lease renewal failed", { error }));
    };
    const timer = setInterval(renew, Math.max(Math.floor(leaseMs / 3), 1));
    return () => clearInterval(timer);
  }

  async claimEvent(
    wait: { seq: number; name: string; type: string; timeoutAt: number | null },
    pending: SqlQuery[],
  ): Promise<StepRow | undefined> {
    const { runId, fence } = this;
    const now = this.now();
    const f = fenceCondition(fence);
    const results = await fencedBatch(this.db, fence, [
      ...pending,
      recordStep(
        fence,
        {
          seq: wait.seq,
          idx: -1,
          name: wait.name,
          kind: "event",
          status: "waiting",
          attempts: 0,
          wakeAt: wait.timeoutAt,
        },
        now,
      ),
      // The oldest unclaimed event of the type that arrived before the timeout; at most one per wait.
      sql`UPDATE _skiff_workflow_events SET consumed_seq = ${wait.seq}
          WHERE id = (SELECT id FROM _skiff_workflow_events WHERE run_id = ${runId} AND type = ${wait.type}
                      AND consumed_seq IS NULL AND (${wait.timeoutAt} IS NULL OR created_at <= ${wait.timeoutAt})
                      ORDER BY id LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM _skiff_workflow_events WHERE run_id = ${runId} AND consumed_seq = ${wait.seq})
            AND ${f}`,
      sql`UPDATE _skiff_workflow_steps SET status = 'completed', ended_at = ${now},
            output = (SELECT json_object('type', type, 'payload', json(coalesce(payload, 'null')), 'timestamp', created_at)
                      FROM _skiff_workflow_events WHERE run_id = ${runId} AND consumed_seq = ${wait.seq})
          WHERE run_id = ${runId} AND seq = ${wait.seq} AND idx = -1 AND status = 'waiting'
            AND EXISTS (SELECT 1 FROM _skiff_workflow_events WHERE run_id = ${runId} AND consumed_seq = ${wait.seq})
            AND ${f}`,
      selectStep(runId, wait.seq, -1),
    ]);
    const row = results.at(-1)?.rows[0];
    return row ? toStepRow(row) : undefined;
  }

  async fanOut(group: FanOutGroup, pending: SqlQuery[]): Promise<void> {
    const { runId, fence } = this;
    const now = this.now();
    const first = Math.min(group.count, group.concurrency);
    const staleAt = now + this.deps.timings.staleMs;
    const statements: SqlQuery[] = [
      ...pending,
      recordStep(
        fence,
        {
          seq: group.seq,
          idx: -1,
          name: group.name,
          kind: group.kind,
          status: group.count === 0 ? "completed" : "waiting",
          attempts: 0,
          output: group.count === 0 ? "[]" : null,
        },
        now,
      ),
    ];
    for (let start = 0; start < group.count; start += CHUNK) {
      const rows = [];
      for (let i = start; i < Math.min(start + CHUNK, group.count); i++) {
        const dispatched = i < first;
        rows.push(
          sql`(${runId}, ${group.seq}, ${i}, ${group.childName(i)}, 'do', ${dispatched ? "running" : "pending"}, 0, ${dispatched ? staleAt : null}, ${now})`,
        );
      }
      statements.push(sql`INSERT OR IGNORE INTO _skiff_workflow_steps (run_id, seq, idx, name, kind, status, attempts, lease_until, started_at)
        SELECT * FROM (VALUES ${sql.join(rows)}) WHERE ${fenceCondition(fence)}`);
    }
    await fencedBatch(this.db, fence, statements);
    const wakes = [];
    for (let i = 0; i < first; i++) wakes.push({ body: { run: runId, seq: group.seq, idx: i } });
    await sendWakes(this.deps, wakes);
  }

  async fanIn(group: Pick<FanOutGroup, "seq" | "name" | "kind">, pending: SqlQuery[]): Promise<GroupState> {
    const { runId, fence } = this;
    const [counts] = await this.db.batch(
      [
        sql`SELECT count(*) AS total, coalesce(sum(status NOT IN ('completed', 'failed')), 0) AS outstanding,
                   min(CASE WHEN status = 'failed' THEN idx END) AS failed
            FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${group.seq} AND idx >= 0`,
      ],
      "read",
    );
    const c = counts?.rows[0] ?? {};
    const now = this.now();
    const row = { seq: group.seq, idx: -1, name: group.name, kind: group.kind };
    if (c.failed != null) {
      const failed = await this.db.get(selectStep(runId, group.seq, Number(c.failed)));
      const child = toStepRow(failed ?? {});
      const info = JSON.parse(child.error ?? "{}") as { name?: string; message?: string };
      const error = new WorkflowStepError(child.name, {
        name: info.name ?? "Error",
        message: info.message ?? "",
      });
      await fencedBatch(this.db, fence, [
        ...pending,
        recordStep(fence, { ...row, status: "failed", attempts: 1, error: child.error }, now),
      ]);
      this.log.error("workflow step failed", { step: group.name, failedItem: Number(c.failed), error });
      return { status: "failed", error };
    }
    if (Number(c.outstanding) > 0) {
      if (pending.length) await fencedBatch(this.db, fence, pending);
      return { status: "waiting" };
    }
    const outputs = await this.db.all<{ output: string | null }>(
      sql`SELECT output FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${group.seq} AND idx >= 0 ORDER BY idx`,
    );
    const results = outputs.map((o) => (o.output == null ? undefined : JSON.parse(o.output)));
    let output: string | null;
    try {
      output = encodeValue(results, `the combined results of step "${group.name}"`);
    } catch (error) {
      await fencedBatch(this.db, fence, [
        ...pending,
        recordStep(
          fence,
          {
            ...row,
            status: "failed",
            attempts: 1,
            error: JSON.stringify({ name: "SkiffError", message: (error as Error).message }),
          },
          now,
        ),
      ]);
      return { status: "failed", error: error as Error };
    }
    await fencedBatch(this.db, fence, [
      ...pending,
      recordStep(fence, { ...row, status: "completed", attempts: 1, output }, now),
    ]);
    this.log.info("workflow step completed", { step: group.name, items: results.length });
    // What every later replay reads back from the journal (an `undefined` result is `null` there), so this one too.
    return { status: "completed", results: output === null ? [] : (JSON.parse(output) as unknown[]) };
  }

  async childOutcome(position: StepPosition, values: StepValues): Promise<StepRow | undefined> {
    const { runId, fence } = this;
    const now = this.now();
    const { seq, idx } = position;
    const ended = values.status === "completed" || values.status === "failed";
    const retryAt = values.status === "waiting" ? (values.wakeAt ?? null) : null;
    const soon = retryAt !== null && queueCarries(this.deps, retryAt, now);
    const statements: SqlQuery[] = [recordStep(fence, { ...position, ...values }, now)];
    let next = -1;
    let woke = -1;
    if (ended) {
      const mine = sql`EXISTS (SELECT 1 FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx}
                               AND lease_owner = ${fence.owner} AND status = 'completed')`;
      next = statements.length + 1;
      woke = statements.length + 3;
      statements.push(
        sql`DELETE FROM _skiff_workflow_timers WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx} AND ${fenceCondition(fence)}`,
        // The next pending child of a bounded map, claimed atomically; none once a sibling failed.
        sql`UPDATE _skiff_workflow_steps SET status = 'running', lease_owner = NULL, lease_until = ${now + this.deps.timings.staleMs}
            WHERE run_id = ${runId} AND seq = ${seq}
              AND idx = (SELECT min(idx) FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx >= 0 AND status = 'pending')
              AND ${mine}
              AND NOT EXISTS (SELECT 1 FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx >= 0 AND status = 'failed')
            RETURNING idx`,
        // Fan-in: the child whose end leaves none outstanding (or that failed) wakes the parent, in this transaction.
        setTimer(
          runId,
          { seq: -1, idx: -1, wakeAt: now, sentFor: now },
          sql`${fenceCondition(fence)} AND (${values.status === "failed" ? 1 : 0} = 1 OR NOT EXISTS (
                SELECT 1 FROM _skiff_workflow_steps WHERE run_id = ${runId} AND seq = ${seq} AND idx >= 0 AND status NOT IN ('completed', 'failed')))`,
        ),
        sql`SELECT changes() AS woke`,
      );
    } else if (retryAt !== null) {
      // The retry's timer in the step row's transaction: the child is `waiting` from here on, which the timer
      // cron's scan for stale children does not cover, so only this row can wake it if the delayed message is lost.
      statements.push(
        setTimer(runId, { seq, idx, wakeAt: retryAt, sentFor: soon ? retryAt : null }, fenceCondition(fence)),
      );
    }
    const stored = statements.length;
    statements.push(selectStep(runId, seq, idx));
    if (!ended) {
      statements.push(
        sql`UPDATE _skiff_workflow_steps SET lease_owner = CASE WHEN status = 'waiting' THEN NULL ELSE lease_owner END
            WHERE run_id = ${runId} AND seq = ${seq} AND idx = ${idx} AND lease_owner = ${fence.owner}`,
      );
    }
    const results = await fencedBatch(this.db, fence, statements);
    const wakes = [];
    const nextIdx = results[next]?.rows[0]?.idx;
    if (nextIdx != null) wakes.push({ body: { run: runId, seq, idx: Number(nextIdx) } });
    if (Number(results[woke]?.rows[0]?.woke ?? 0) > 0) wakes.push({ body: { run: runId } });
    await sendWakes(this.deps, wakes);
    if (soon && retryAt !== null) await sendWakeAt(this.deps, { run: runId, seq, idx }, retryAt, now);
    const row = results[stored]?.rows[0];
    return row ? toStepRow(row) : undefined;
  }
}
