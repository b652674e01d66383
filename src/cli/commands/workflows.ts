import { defineCommand, type CommandDef } from "citty";
import { sql } from "../../bindings/db/sql.js";
import { cancelRun, getRun, listRuns, retryRun } from "../../workflows/admin.js";
import type { WorkflowStatus } from "../../workflows/types.js";
import { loadApp } from "../app/load.js";
import { describeWorkflows } from "../app/manifest.js";
import { CliError } from "../errors.js";
import type { Output } from "../output.js";
import { resolveProject } from "../project.js";
import { openJournal, type Journal } from "../workflows/database.js";
import { printRun, printRuns } from "../workflows/render.js";
import { closest, commonArgs, guard } from "./shared.js";

const STATUSES: readonly WorkflowStatus[] = [
  "queued",
  "running",
  "waiting",
  "completed",
  "failed",
  "cancelled",
];

const journalArgs = {
  ...commonArgs,
  db: {
    type: "string",
    valueHint: "url",
    description:
      "Database URL (default: TURSO_DATABASE_URL, with TURSO_AUTH_TOKEN, else the project's .skiff/dev.db)",
  },
} as const;

const idArg = { id: { type: "positional", description: "The run's id", required: true } } as const;

interface JournalArgs {
  root?: string | undefined;
  app?: string | undefined;
  db?: string | undefined;
}

// Loads the app (it must declare workflows: the names are checked against it), then opens its journal.
async function withJournal<T>(
  args: JournalArgs,
  body: (journal: Journal, workflows: string[]) => Promise<T>,
): Promise<T> {
  const project = resolveProject({ root: args.root, app: args.app });
  const workflows = describeWorkflows(await loadApp(project)).map((w) => w.name);
  if (!workflows.length)
    throw new CliError(
      `${project.rel(project.app)} declares no workflows: declare them with new Skiff({ workflows: { <name>: <input schema> } }) and implement each with app.workflow(<name>, handler)`,
    );
  const journal = await openJournal(project, { db: args.db });
  try {
    return await body(journal, workflows);
  } finally {
    journal.close();
  }
}

function unknownRun(id: string, journal: Journal): CliError {
  return new CliError(
    `no run "${id}" in ${journal.url} (${journal.source}); skiff workflows list shows the runs`,
    1,
  );
}

function parseLimit(text: string | undefined): number {
  const limit = Number(text ?? "20");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new CliError(`--limit ${text}: give a whole number of runs from 1 to 1000`);
  return limit;
}

function parseStatus(text: string | undefined): WorkflowStatus | undefined {
  if (text === undefined || text === "") return undefined;
  if ((STATUSES as readonly string[]).includes(text)) return text as WorkflowStatus;
  const guess = closest(text, STATUSES);
  throw new CliError(
    `--status ${text} is not a status${guess ? `. Did you mean ${guess}?` : ""} (statuses: ${STATUSES.join(", ")})`,
  );
}

// A name the app declares, or one the journal has runs of (a workflow since renamed or removed can still be read).
async function parseWorkflow(
  text: string | undefined,
  workflows: readonly string[],
  journal: Journal,
): Promise<string | undefined> {
  if (text === undefined || text === "") return undefined;
  if (workflows.includes(text)) return text;
  if (await journal.db.get(sql`SELECT 1 FROM _skiff_workflow_runs WHERE workflow = ${text} LIMIT 1`))
    return text;
  const guess = closest(text, workflows);
  throw new CliError(
    `--workflow ${text}: the app declares no such workflow and the journal has no runs of it${guess ? `. Did you mean ${guess}?` : ""} (workflows: ${workflows.join(", ")})`,
  );
}

const list = defineCommand({
  meta: { name: "list", description: "List runs, newest first" },
  args: {
    ...journalArgs,
    workflow: {
      type: "string",
      alias: "w",
      valueHint: "name",
      description: "Only the runs of this workflow",
    },
    status: {
      type: "string",
      alias: "s",
      valueHint: "status",
      description: `Only runs in this status: ${STATUSES.join(", ")}`,
    },
    limit: {
      type: "string",
      alias: "n",
      valueHint: "n",
      default: "20",
      description: "At most this many runs",
    },
  },
  run: ({ args }) =>
    guard(args, (out) =>
      withJournal(args, async (journal, workflows) => {
        const workflow = await parseWorkflow(args.workflow, workflows, journal);
        const status = parseStatus(args.status);
        const runs = await listRuns(journal.db, {
          ...(workflow ? { workflow } : {}),
          ...(status ? { status } : {}),
          limit: parseLimit(args.limit),
        });
        out.result({ database: journal.url, runs });
        printRuns(out, runs);
        return 0;
      }),
    ),
});

const show = defineCommand({
  meta: { name: "show", description: "Show a run: status, input, output, error and each step" },
  args: { ...journalArgs, ...idArg },
  run: ({ args }) =>
    guard(args, (out) =>
      withJournal(args, async (journal) => {
        const run = await getRun(journal.db, args.id);
        if (!run) throw unknownRun(args.id, journal);
        out.result(run);
        printRun(out, run);
        return 0;
      }),
    ),
});

// What the CLI wrote is only the journal and a due timer row: the app's timer cron (or the run's next wake) moves it.
const WHEN = "it proceeds at the app's next workflow timer cron or wake-up";

function report(out: Output, id: string, outcome: string, ok: boolean, message: string): number {
  out.result({ ok, id, outcome, message });
  if (ok) out.line(message);
  else out.problem(out.style.red(`[skiff] ${message}`));
  return ok ? 0 : 1;
}

const retry = defineCommand({
  meta: { name: "retry", description: "Restart a failed or cancelled run" },
  args: { ...journalArgs, ...idArg },
  run: ({ args }) =>
    guard(args, (out) =>
      withJournal(args, async (journal) => {
        const outcome = await retryRun(journal.db, args.id);
        if (outcome === "unknown") throw unknownRun(args.id, journal);
        const messages = {
          resumed: `run ${args.id} queued again from its first failed step (completed steps are kept); ${WHEN}`,
          restarted: `run ${args.id} queued again from the start (its steps had been compensated); ${WHEN}`,
          active: `run ${args.id} has not ended, so there is nothing to retry (skiff workflows show ${args.id})`,
          completed: `run ${args.id} completed, so there is nothing to retry`,
        } as const;
        const ok = outcome === "resumed" || outcome === "restarted";
        return report(out, args.id, outcome, ok, messages[outcome]);
      }),
    ),
});

const cancel = defineCommand({
  meta: { name: "cancel", description: "Cancel a run: its completed steps are compensated, newest first" },
  args: { ...journalArgs, ...idArg },
  run: ({ args }) =>
    guard(args, (out) =>
      withJournal(args, async (journal) => {
        const outcome = await cancelRun(journal.db, args.id);
        if (outcome === "unknown") throw unknownRun(args.id, journal);
        if (outcome === "requested")
          return report(out, args.id, outcome, true, `cancellation of run ${args.id} requested; ${WHEN}`);
        const run = await getRun(journal.db, args.id);
        const message = `run ${args.id} has already ended (${run?.status ?? "ended"}); nothing to cancel`;
        return report(out, args.id, outcome, true, message);
      }),
    ),
});

/**
 * `skiff workflows list|show|retry|cancel`: the runs in the app's journal, read and changed in the database the app
 * uses locally (`--db`, else `TURSO_DATABASE_URL` with `TURSO_AUTH_TOKEN`, else `.skiff/dev.db`). `retry` and
 * `cancel` write the journal and a due timer row; the run moves at the app's next timer cron or wake-up.
 *
 * @example
 * ```sh
 * skiff workflows list --status failed
 * skiff workflows show checkout-o1 --json
 * skiff workflows retry checkout-o1 --db libsql://shop-acme.turso.io
 * ```
 */
export const workflowsCommand = defineCommand({
  meta: {
    name: "workflows",
    description: "List, show, retry and cancel workflow runs in the app's database",
  },
  subCommands: { list, show, retry, cancel } as Record<string, CommandDef>,
});
