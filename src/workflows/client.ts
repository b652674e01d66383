// The client of one workflow (`c.var.workflows.<name>`): start, get, sendEvent, cancel. Each writes the journal,
// then sends a wake through the app's own queue.
import { sql } from "../bindings/db/sql.js";
import { SkiffError } from "../errors.js";
import { parseWithSchema, type AnySchema } from "../schema.js";
import { cancelRun, ensureWorkflowSchema, getRun } from "./admin.js";
import { encodeValue } from "./limits.js";
import type { WorkflowClient } from "./types.js";
import { sendWakes, type EngineDeps } from "./wake.js";

const RUN_ID = /^[\w.:@-]{1,200}$/;

/** @internal Creates the client of workflow `name`, whose input schema is `schema`. */
export function createWorkflowClient(
  name: string,
  schema: AnySchema,
  deps: () => EngineDeps,
): WorkflowClient<unknown> {
  const noRun = (id: string) => new SkiffError(`workflow "${name}" has no run "${id}"`);
  return {
    async start(input, options = {}) {
      const id = options.id ?? crypto.randomUUID();
      if (typeof id !== "string" || !RUN_ID.test(id)) {
        throw new SkiffError(
          `workflow "${name}": a run id is 1–200 letters, digits or "_.:@-" (got ${JSON.stringify(id)})`,
        );
      }
      await parseWithSchema(schema, input, `the input of workflow "${name}"`);
      const text = encodeValue(input, `the input of workflow "${name}"`) ?? "null";
      const d = deps();
      await ensureWorkflowSchema(d.db);
      const now = d.now();
      const [inserted, , existing] = await d.db.batch([
        sql`INSERT OR IGNORE INTO _skiff_workflow_runs (id, workflow, status, input, created_at, updated_at)
            VALUES (${id}, ${name}, 'queued', ${text}, ${now}, ${now})`,
        // The first wake, recorded before it is sent: if the send is lost, the timer cron sends it again.
        sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for)
            SELECT ${id}, -1, -1, ${now}, ${now} WHERE changes() > 0
            ON CONFLICT (run_id, seq, idx) DO NOTHING`,
        sql`SELECT workflow FROM _skiff_workflow_runs WHERE id = ${id}`,
      ]);
      const created = (inserted?.rowsAffected ?? 0) > 0;
      const owner = existing?.rows[0]?.workflow;
      if (!created && owner !== name) {
        throw new SkiffError(
          `run id "${id}" already belongs to workflow "${String(owner)}"; start "${name}" under another id`,
        );
      }
      if (created) {
        await sendWakes(d, [{ body: { run: id } }]);
        d.log.info("workflow started", { runId: id, workflow: name });
      }
      return { id, created };
    },

    async get(id) {
      const run = await getRun(deps().db, id);
      return run?.workflow === name ? run : undefined;
    },

    async sendEvent(id, event) {
      if (typeof event?.type !== "string" || event.type === "") {
        throw new SkiffError(
          `workflow "${name}": sendEvent needs an event type: { type: "approved", payload }`,
        );
      }
      const payload = encodeValue(event.payload ?? null, `the payload of event "${event.type}"`);
      const d = deps();
      await ensureWorkflowSchema(d.db);
      const now = d.now();
      const [inserted, , found] = await d.db.batch([
        sql`INSERT INTO _skiff_workflow_events (run_id, type, payload, created_at)
            SELECT ${id}, ${event.type}, ${payload}, ${now} WHERE EXISTS (
              SELECT 1 FROM _skiff_workflow_runs WHERE id = ${id} AND workflow = ${name} AND status NOT IN ('completed', 'failed', 'cancelled'))`,
        sql`INSERT INTO _skiff_workflow_timers (run_id, seq, idx, wake_at, sent_for)
            SELECT ${id}, -1, -1, ${now}, ${now} WHERE changes() > 0
            ON CONFLICT (run_id, seq, idx) DO UPDATE SET wake_at = excluded.wake_at, sent_for = excluded.sent_for`,
        sql`SELECT status FROM _skiff_workflow_runs WHERE id = ${id} AND workflow = ${name}`,
      ]);
      if (!found?.rows.length) throw noRun(id);
      if ((inserted?.rowsAffected ?? 0) === 0) return; // the run has ended: nothing waits for events any more
      await sendWakes(d, [{ body: { run: id } }]);
    },

    async cancel(id) {
      const d = deps();
      await ensureWorkflowSchema(d.db);
      const run = await d.db.get(sql`SELECT workflow FROM _skiff_workflow_runs WHERE id = ${id}`);
      if (!run || run.workflow !== name) throw noRun(id);
      if ((await cancelRun(d.db, id)) === "requested") {
        await sendWakes(d, [{ body: { run: id } }]);
        d.log.info("workflow cancel requested", { runId: id, workflow: name });
      }
    },
  };
}
