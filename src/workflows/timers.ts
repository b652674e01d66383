// The timer cron: sends the wakes the queue could not carry (longer than the transport's longest delay) once they
// come within it, re-sends wakes overdue by more than the grace period (a crash between a journal commit and its
// send, a message dropped after its retries), and re-dispatches fan-out children that were never started or whose
// executor died.
import { sql } from "../bindings/db/sql.js";
import { sendWakes, type EngineDeps, type WakeMessage } from "./wake.js";

const PER_TICK = 500; // rows of each kind per tick; the next tick takes the rest

/** @internal One tick of the timer cron; returns how many wake messages it sent. */
export async function tickTimers(deps: EngineDeps): Promise<number> {
  const now = deps.now();
  const { graceMs, staleMs } = deps.timings;
  const [due, overdue, stale] = await deps.db.batch([
    sql`UPDATE _skiff_workflow_timers SET sent_for = wake_at
        WHERE rowid IN (SELECT rowid FROM _skiff_workflow_timers WHERE sent_for IS NULL AND wake_at <= ${now + deps.maxDelayMs}
                        ORDER BY wake_at LIMIT ${PER_TICK})
        RETURNING run_id, seq, idx, wake_at`,
    sql`UPDATE _skiff_workflow_timers SET wake_at = ${now}, sent_for = ${now}
        WHERE rowid IN (SELECT rowid FROM _skiff_workflow_timers WHERE sent_for IS NOT NULL AND wake_at <= ${now - graceMs}
                        ORDER BY wake_at LIMIT ${PER_TICK})
        RETURNING run_id, seq, idx, wake_at`,
    sql`UPDATE _skiff_workflow_steps SET lease_owner = NULL, lease_until = ${now + staleMs}
        WHERE rowid IN (SELECT rowid FROM _skiff_workflow_steps WHERE idx >= 0 AND status = 'running' AND lease_until <= ${now}
                        LIMIT ${PER_TICK})
        RETURNING run_id, seq, idx`,
  ]);
  const wakes: Array<{ body: WakeMessage; delaySeconds?: number }> = [];
  for (const r of [...(due?.rows ?? []), ...(overdue?.rows ?? [])]) {
    const idx = Number(r.idx);
    const body: WakeMessage =
      idx < 0 ? { run: String(r.run_id) } : { run: String(r.run_id), seq: Number(r.seq), idx };
    const delayMs = Number(r.wake_at) - now;
    wakes.push(delayMs > 0 ? { body, delaySeconds: Math.ceil(delayMs / 1000) } : { body });
  }
  for (const r of stale?.rows ?? [])
    wakes.push({ body: { run: String(r.run_id), seq: Number(r.seq), idx: Number(r.idx) } });
  await sendWakes(deps, wakes);
  if (wakes.length) deps.log.info("workflow timers", { sent: wakes.length });
  return wakes.length;
}
