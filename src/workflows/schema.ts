// The journal's tables, in the app's own libSQL/Turso database. One definition shared by the engine (which creates
// them before its first query) and `skiff workflows` (which reads them). Times are epoch milliseconds; values JSON.

/** @internal Name of the queue that carries every wake-up of every workflow of an app. */
export const WORKFLOW_QUEUE = "skiff-workflows";

/** @internal The default expression of the cron that wakes timers longer than the queue's longest delay. */
export const WORKFLOW_TIMER_CRON = "*/5 * * * *";

/** @internal Statements that create the journal; each is idempotent, so running them on every cold start is safe. */
export const WORKFLOW_SCHEMA: readonly string[] = [
  // One row per run. `lease_owner`/`lease_until` fence executors: only the holder of an unexpired lease writes.
  `CREATE TABLE IF NOT EXISTS _skiff_workflow_runs (
    id TEXT PRIMARY KEY,
    workflow TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS _skiff_workflow_runs_status ON _skiff_workflow_runs (workflow, status, created_at)`,
  // One row per step; `idx` is -1 for a step of the run itself and 0..n-1 for the children of a fan-out at `seq`.
  // `status`: running | waiting (sleep, event, retry delay, group on its children) | pending (a child not yet
  // dispatched) | completed | failed. `lease_owner`/`lease_until` fence a fan-out child's executor; on a dispatched
  // child without an owner, `lease_until` is the time after which the timer cron dispatches it again.
  `CREATE TABLE IF NOT EXISTS _skiff_workflow_steps (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    output TEXT,
    error TEXT,
    wake_at INTEGER,
    lease_until INTEGER,
    lease_owner TEXT,
    compensation TEXT,
    compensation_error TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    PRIMARY KEY (run_id, seq, idx)
  )`,
  // Events sent to a run; `consumed_seq` is the waitForEvent step that took it (NULL while unclaimed).
  `CREATE TABLE IF NOT EXISTS _skiff_workflow_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT,
    consumed_seq INTEGER,
    created_at INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS _skiff_workflow_events_run ON _skiff_workflow_events (run_id, type, consumed_seq)`,
  // The timer table: when a run (or one fan-out child) must next be woken. `sent_for` is the wake_at a queue message
  // was already sent for, so the timer cron sends each wake once, and re-sends it only when it is overdue.
  `CREATE TABLE IF NOT EXISTS _skiff_workflow_timers (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    wake_at INTEGER NOT NULL,
    sent_for INTEGER,
    PRIMARY KEY (run_id, seq, idx)
  )`,
  `CREATE INDEX IF NOT EXISTS _skiff_workflow_timers_due ON _skiff_workflow_timers (wake_at)`,
  `CREATE INDEX IF NOT EXISTS _skiff_workflow_steps_group ON _skiff_workflow_steps (run_id, seq, status, idx)`,
  // The timer cron's scan for dispatched children that never started or whose executor died.
  `CREATE INDEX IF NOT EXISTS _skiff_workflow_steps_dispatched ON _skiff_workflow_steps (status, lease_until) WHERE idx >= 0`,
];
