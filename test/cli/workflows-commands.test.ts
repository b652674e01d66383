import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { createTestRuntime, type TestRuntime } from "skiff/testing";
import { serveHrana } from "../../src/dev/hrana/server.js";
import { nodeDatabase } from "../../src/bindings/db/node.js";
import { resolveProject } from "../../src/cli/project.js";
import { journalConfig } from "../../src/cli/workflows/database.js";
import { app } from "./fixtures/workflows/app.js";
import { fixtures, skiff, type Ran } from "./support/run-skiff.js";

// `skiff workflows` against a real libSQL file whose runs the real engine executed (createTestRuntime), through
// the executable as users run it. The CLI only writes the journal; the test runtime then plays the app's next
// timer cron, as the deployed app would.
const root = join(fixtures, "workflows");
const dir = mkdtempSync(join(tmpdir(), "skiff-cli-workflows-"));
const url = `file:${join(dir, "app.db")}`;
const on = ["--root", root, "--app", "app.ts", "--db", url];
let test: TestRuntime;

const json = <T>(ran: Ran): T => {
  expect(ran.stderr).toBe("");
  return JSON.parse(ran.stdout) as T;
};
type Listed = { database: string; runs: Array<{ id: string; workflow: string; status: string }> };
const statuses = (listed: Listed) => Object.fromEntries(listed.runs.map((r) => [r.id, r.status]));

beforeAll(async () => {
  test = createTestRuntime(app, { databaseUrl: url });
  await test.runtime.db.run(sql`INSERT INTO blocked (order_id) VALUES ('o2'), ('s1')`);
  const { checkout, ship } = test.runtime.workflows;
  await checkout?.start({ orderId: "o1" }, { id: "checkout-o1" }); // completes, with a 12-way fan-out
  await checkout?.start({ orderId: "o2" }, { id: "checkout-o2" }); // fails; its charge is compensated
  await ship?.start({ orderId: "s1" }, { id: "ship-s1" }); // fails; nothing to compensate
  await ship?.start({ orderId: "s2" }, { id: "ship-s2" }); // waits for its "delivered" event
  await test.drainQueues();
}, 60_000);

afterAll(async () => {
  await test?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("skiff routes on an app with workflows", () => {
  it("lists each workflow and whether it is implemented, and marks the engine's queue and timer cron", async () => {
    const [table, manifest] = await Promise.all([
      skiff(["routes", "--root", root, "--app", "app.ts"]),
      skiff(["routes", "--root", root, "--app", "app.ts", "--json"]),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ {2}\*\/5 \* \* \* \* {2}next \S+ {2}1 handler \(workflow timers\)$/m);
    expect(table.stdout).toMatch(/^ {2}skiff-workflows {2}batch consumer: .* {2}wake-ups of workflows$/m);
    expect(table.stdout).toContain(
      "Workflows\n  checkout  implemented\n  ship      implemented\n  refund    not implemented (no app.workflow())\n",
    );
    expect(json<{ workflows: unknown; workflowTimerCron: unknown }>(manifest)).toMatchObject({
      workflows: [
        { name: "checkout", implemented: true },
        { name: "ship", implemented: true },
        { name: "refund", implemented: false },
      ],
      workflowTimerCron: "*/5 * * * *",
    });
  }, 60_000);
});

describe("skiff workflows list and show", () => {
  it("lists the runs as a table and as JSON, filtered by workflow (declared, or with runs in the journal), status and limit", async () => {
    const [table, all, failedShips, one, removed] = await Promise.all([
      skiff(["workflows", "list", ...on]),
      skiff(["workflows", "list", ...on, "--json"]),
      skiff(["workflows", "list", ...on, "--workflow", "ship", "--status", "failed", "--json"]),
      skiff(["workflows", "list", ...on, "-n", "1", "--json"]),
      // An app that no longer declares "ship" still reads the journal's runs of it.
      skiff(["workflows", "list", "--root", root, "--app", "daily.ts", "--db", url, "-w", "ship", "--json"]),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID {11}WORKFLOW {2}STATUS {5}CREATED {19}UPDATED$/m);
    expect(table.stdout).toMatch(/^checkout-o2 {2}checkout {2}failed {5}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d{4}-/m);
    expect(table.stdout).toMatch(/^ship-s2 {6}ship {6}waiting {4}/m);
    const listed = json<Listed>(all);
    expect(listed.database).toBe(url);
    expect(statuses(listed)).toEqual({
      "checkout-o1": "completed",
      "checkout-o2": "failed",
      "ship-s1": "failed",
      "ship-s2": "waiting",
    });
    expect(json<Listed>(failedShips).runs.map((r) => r.id)).toEqual(["ship-s1"]);
    expect(json<Listed>(one).runs).toHaveLength(1);
    expect(
      json<Listed>(removed)
        .runs.map((r) => r.id)
        .sort(),
    ).toEqual(["ship-s1", "ship-s2"]);
  }, 60_000);

  it("shows a run with its input, output, error, steps, attempts, compensations and fan-out children", async () => {
    const [done, failed, failedJson, waiting] = await Promise.all([
      skiff(["workflows", "show", "checkout-o1", ...on]),
      skiff(["workflows", "show", "checkout-o2", ...on]),
      skiff(["workflows", "show", "checkout-o2", ...on, "--json"]),
      skiff(["workflows", "show", "ship-s2", ...on]),
    ]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^checkout-o1 {2}checkout {2}completed$/m);
    expect(done.stdout).toMatch(/^ {2}input {4}\{"orderId":"o1"\}$/m);
    expect(done.stdout).toMatch(/^ {2}output {3}\{"orderId":"o1","chargeId":"ch-o1","score":156\}$/m);
    expect(done.stdout).toMatch(/^ {2}1 {2}validate {2}do {3}completed {2}1 attempt {4}→ \{"id":"o1"\}$/m);
    expect(done.stdout).toMatch(/^ {2}4 {2}score {5}map {2}completed/m);
    // More than ten children are summarised by status, not listed one by one.
    expect(done.stdout).toMatch(/^ {6}12 children: 12 completed$/m);
    expect(failed.stdout).toMatch(/^ {2}error {4}NonRetryableError: out of stock: order o2 is blocked$/m);
    expect(failed.stdout).toMatch(/^ {2}2 {2}charge {4}do {2}completed {2}1 attempt {2}undo completed/m);
    expect(failed.stdout).toMatch(
      /^ {2}3 {2}reserve {3}do {2}failed {5}1 attempt +NonRetryableError: out of stock/m,
    );
    // A wait has no attempts to count.
    expect(waiting.stdout).toMatch(/^ {2}3 {2}delivered {2}event {2}waiting$/m);
    // --json is the run as the workflow client's get() returns it.
    const run = await test.runtime.workflows.checkout?.get("checkout-o2");
    expect(json(failedJson)).toEqual(JSON.parse(JSON.stringify(run)));
  }, 60_000);
});

describe("skiff workflows retry and cancel", () => {
  it("write the journal only, and the runs move at the app's next timer cron", async () => {
    await test.runtime.db.run(sql`DELETE FROM blocked`);
    const [restarted, resumed, cancelled, ended, notFailed] = await Promise.all([
      skiff(["workflows", "retry", "checkout-o2", ...on]),
      skiff(["workflows", "retry", "ship-s1", ...on]),
      skiff(["workflows", "cancel", "ship-s2", ...on]),
      skiff(["workflows", "cancel", "checkout-o1", ...on]),
      skiff(["workflows", "retry", "checkout-o1", ...on, "--json"]),
    ]);
    const when = "it proceeds at the app's next workflow timer cron or wake-up";
    expect(restarted).toEqual({
      code: 0,
      stdout: `run checkout-o2 queued again from the start (its steps had been compensated); ${when}\n`,
      stderr: "",
    });
    expect(resumed.stdout).toBe(
      `run ship-s1 queued again from its first failed step (completed steps are kept); ${when}\n`,
    );
    expect(cancelled.stdout).toBe(`cancellation of run ship-s2 requested; ${when}\n`);
    expect(ended).toEqual({
      code: 0,
      stdout: "run checkout-o1 has already ended (completed); nothing to cancel\n",
      stderr: "",
    });
    expect(notFailed.code).toBe(1);
    expect(json(notFailed)).toEqual({
      ok: false,
      id: "checkout-o1",
      outcome: "completed",
      message: "run checkout-o1 completed, so there is nothing to retry",
    });

    // Nothing ran yet: the CLI does not execute workflows.
    const before = json<Listed>(await skiff(["workflows", "list", ...on, "--status", "queued", "--json"]));
    expect(before.runs.map((r) => r.id).sort()).toEqual(["checkout-o2", "ship-s1"]);

    const timer = app.triggers.workflowTimerCron;
    await test.fireCron(timer);
    await test.drainQueues();
    const { checkout, ship } = test.runtime.workflows;
    expect((await checkout?.get("checkout-o2"))?.status).toBe("completed");
    const s1 = await ship?.get("ship-s1");
    expect(s1?.status).toBe("waiting"); // past "send", at its waitForEvent
    expect(s1?.steps.find((s) => s.name === "label")?.attempts).toBe(1); // kept, not run again
    expect((await ship?.get("ship-s2"))?.status).toBe("cancelled");
  }, 60_000);
});

describe("skiff workflows, when it cannot do what was asked", () => {
  it("names the unknown run, workflow or status, and the app without workflows", async () => {
    const [unknownRun, unknownRunJson, workflow, status, noWorkflows] = await Promise.all([
      skiff(["workflows", "show", "nope", ...on]),
      skiff(["workflows", "cancel", "nope", ...on, "--json"]),
      skiff(["workflows", "list", ...on, "--workflow", "shp"]),
      skiff(["workflows", "list", ...on, "--status", "done"]),
      skiff(["workflows", "list", "--root", join(fixtures, "basic"), "--app", "app.ts", "--db", url]),
    ]);
    expect(unknownRun).toEqual({
      code: 1,
      stdout: "",
      stderr: `[skiff] no run "nope" in ${url} (from --db); skiff workflows list shows the runs\n`,
    });
    expect(unknownRunJson.code).toBe(1);
    expect(json<{ ok: boolean; error: string }>(unknownRunJson).error).toMatch(/^\[skiff\] no run "nope"/);
    expect(workflow.code).toBe(2);
    expect(workflow.stderr.trim()).toBe(
      "[skiff] --workflow shp: the app declares no such workflow and the journal has no runs of it. Did you mean ship? (workflows: checkout, ship, refund)",
    );
    expect(status.stderr.trim()).toBe(
      "[skiff] --status done is not a status (statuses: queued, running, waiting, completed, failed, cancelled)",
    );
    expect(noWorkflows.code).toBe(2);
    expect(noWorkflows.stderr.trim()).toBe(
      "[skiff] app.ts declares no workflows: declare them with new Skiff({ workflows: { <name>: <input schema> } }) and implement each with app.workflow(<name>, handler)",
    );
  }, 60_000);

  it("answers --help, and parses its own commands strictly: a missing or mistyped command, a missing id, an unknown option", async () => {
    const [help, showHelp, noCommand, typo, noId, option] = await Promise.all([
      skiff(["workflows", "--help"]),
      skiff(["workflows", "show", "--help"]),
      skiff(["workflows"]),
      skiff(["workflows", "lst"]),
      skiff(["workflows", "show", ...on]),
      skiff(["workflows", "list", ...on, "--stats", "failed"]),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("USAGE skiff workflows list|show|retry|cancel");
    expect(showHelp.code).toBe(0);
    expect(showHelp.stdout).toContain("USAGE skiff workflows show [OPTIONS] <ID>");
    expect(showHelp.stdout).toContain("--db=<url>");
    for (const r of [noCommand, typo, noId, option]) expect(r.code).toBe(2);
    expect(noCommand.stderr).toContain("[skiff] no command given: skiff workflows list|show|retry|cancel");
    expect(typo.stderr.trim()).toBe(
      '[skiff] unknown command "lst" for skiff workflows. Did you mean "list"? (commands: list, show, retry, cancel)',
    );
    expect(noId.stderr).toContain("Missing required positional argument: ID");
    expect(option.stderr.trim()).toBe(
      "[skiff] unknown option --stats for skiff workflows list. Did you mean --status? (skiff workflows list --help lists the options)",
    );
  }, 60_000);

  it("refuses a database that does not exist (without creating it) or has no journal, naming where its URL came from", async () => {
    const missing = join(dir, "missing.db");
    const empty = join(dir, "empty.db");
    const other = nodeDatabase({ url: `file:${empty}` });
    await other.run(sql`CREATE TABLE unrelated (x)`);
    other.close();
    const [fromEnv, noJournal] = await Promise.all([
      skiff(["workflows", "list", "--root", root, "--app", "app.ts"], {
        TURSO_DATABASE_URL: `file:${missing}`,
      }),
      skiff(["workflows", "list", "--root", root, "--app", "app.ts", "--db", `file:${empty}`]),
    ]);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr.trim()).toBe(
      `[skiff] no database at file:${missing} (from TURSO_DATABASE_URL): the app has not run against it yet; pass --db <url> (or set TURSO_DATABASE_URL, and TURSO_AUTH_TOKEN for Turso) for the database the app runs on`,
    );
    expect(existsSync(missing)).toBe(false);
    expect(noJournal.code).toBe(2);
    expect(noJournal.stderr).toContain(
      `[skiff] the database file:${empty} (from --db) has no workflow journal (table _skiff_workflow_runs): no workflow has run against it;`,
    );
  }, 60_000);
});

describe("the database skiff workflows opens", () => {
  it("is --db, else TURSO_DATABASE_URL with TURSO_AUTH_TOKEN, else the project's .skiff/dev.db, as serve() picks it", () => {
    const project = resolveProject({ root, app: "app.ts" });
    expect(journalConfig(project, {}, {})).toEqual({
      config: { url: `file:${join(root, ".skiff", "dev.db")}` },
      source: "the default database of skiff dev and serve()",
    });
    const env = { TURSO_DATABASE_URL: "libsql://shop-acme.turso.io", TURSO_AUTH_TOKEN: "t0k" };
    expect(journalConfig(project, {}, env)).toEqual({
      config: { url: "libsql://shop-acme.turso.io", authToken: "t0k" },
      source: "from TURSO_DATABASE_URL",
    });
    expect(journalConfig(project, { db: "https://other.example" }, env)).toEqual({
      config: { url: "https://other.example", authToken: "t0k" },
      source: "from --db",
    });
  });

  it("reaches a remote libSQL server over HTTP with the TURSO_AUTH_TOKEN it requires", async () => {
    const server = await serveHrana({ url, port: 0, authToken: "s3cret" });
    try {
      const remote = ["workflows", "list", "--root", root, "--app", "app.ts", "--db", server.url, "--json"];
      const [withToken, without] = await Promise.all([
        skiff(remote, { TURSO_AUTH_TOKEN: "s3cret" }),
        skiff(remote, { TURSO_AUTH_TOKEN: "" }),
      ]);
      expect(withToken.code).toBe(0);
      expect(Object.keys(statuses(json<Listed>(withToken))).sort()).toEqual([
        "checkout-o1",
        "checkout-o2",
        "ship-s1",
        "ship-s2",
      ]);
      expect(without.code).toBe(2);
      expect(json<{ error: string }>(without).error).toMatch(
        new RegExp(`^\\[skiff\\] could not read the database ${server.url} \\(from --db\\): `),
      );
    } finally {
      await server.close();
    }
  }, 60_000);
});
