import { describe, expect, it } from "vitest";
import { Skiff, sql } from "skiff";
import { createTestRuntime } from "skiff/testing";
import { dropChangeTriggers } from "../../../src/triggers/changes/index.js";
import { CHANGE_TIMINGS } from "../../../src/triggers/changes/schema.js";
import { json, tempDbUrl, USERS, usersApp } from "./support.js";

const RELAY_CRON = "* * * * *";

describe("the outbox loses no change", () => {
  it("keeps a change committed by a process that died before relaying it, and the next process's cron relays it", async () => {
    const url = tempDbUrl();
    const first = usersApp();
    const crashed = createTestRuntime(first.app, { databaseUrl: url });
    // A write outside any request or trigger: no relay runs after it, as when the process dies right after COMMIT.
    await crashed.runtime.db.run(sql`INSERT INTO users (id, email) VALUES (1, 'one@x.test')`);
    await crashed.close();

    const second = usersApp();
    const restarted = createTestRuntime(second.app, { databaseUrl: url });
    const pending = await restarted.runtime.db.all(sql`SELECT tbl, op, sent_at FROM _skiff_changes`);
    expect(pending).toEqual([{ tbl: "users", op: "insert", sent_at: null }]);
    await restarted.fireCron(RELAY_CRON);
    await restarted.drainQueues();
    expect(second.seen.map((c) => [c.operation, c.key])).toEqual([["insert", 1]]);
    await restarted.close();
  });

  it("re-sends, from the cron, a row whose relay claimed it but never sent it (or whose message was lost)", async () => {
    const { app, seen } = usersApp();
    const t = createTestRuntime(app);
    const db = t.runtime.db;
    await db.run(sql`INSERT INTO users (id, email) VALUES (3, 'three@x.test')`);
    // What a relay that crashed between its claim and its send leaves behind.
    await db.run(sql`UPDATE _skiff_changes SET sent_at = ${Date.now()}`);
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(seen).toHaveLength(0); // not overdue yet: the message may still be on its way
    await db.run(sql`UPDATE _skiff_changes SET sent_at = sent_at - ${CHANGE_TIMINGS.staleMs + 1}`);
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(seen.map((c) => c.key)).toEqual([3]);
    await t.close();
  });

  it("delivers a change whose consumer died mid-handler once its lease expired", async () => {
    const { app, seen } = usersApp();
    const t = createTestRuntime(app);
    const db = t.runtime.db;
    await db.run(sql`INSERT INTO users (id, email) VALUES (4, 'four@x.test')`);
    const past = Date.now() - CHANGE_TIMINGS.staleMs - 1;
    // A consumer claimed the row and died: its lease runs out, and its message is gone.
    await db.run(
      sql`UPDATE _skiff_changes SET sent_at = ${past}, lease = 'dead', lease_until = ${Date.now() + 60_000}, attempts = 1`,
    );
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(seen).toHaveLength(0); // the lease still holds
    await db.run(sql`UPDATE _skiff_changes SET lease_until = ${Date.now() - 1}`);
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(seen.map((c) => c.key)).toEqual([4]);
    await t.close();
  });
});

describe("the change triggers follow the table's schema", () => {
  it("are created after the migrations, and recreated over a column a later migration added", async () => {
    const url = tempDbUrl();
    const v1 = usersApp();
    const t1 = createTestRuntime(v1.app, { databaseUrl: url });
    await t1.fetch(json("POST", "/users", { id: 1, email: "a@x.test" }));
    await t1.drainQueues();
    await t1.close();
    expect(v1.seen[0]?.row).toEqual({ id: 1, email: "a@x.test", name: null });

    const addPlan = { id: "002_plan", sql: "ALTER TABLE users ADD COLUMN plan TEXT DEFAULT 'free'" };
    const v2 = usersApp({ migrations: [USERS, addPlan] });
    const t2 = createTestRuntime(v2.app, { databaseUrl: url });
    await t2.fetch(json("POST", "/users", { id: 2, email: "b@x.test" }));
    await t2.drainQueues();
    expect(v2.seen.map((c) => c.row)).toEqual([{ id: 2, email: "b@x.test", name: null, plan: "free" }]);
    await t2.close();

    // Dropping a watched column needs skiff's triggers out of the way first, in the same migration.
    const dropName = {
      id: "003_drop_name",
      sql: [...dropChangeTriggers("users"), "ALTER TABLE users DROP COLUMN name"],
    };
    const v3 = usersApp({ migrations: [USERS, addPlan, dropName] });
    const t3 = createTestRuntime(v3.app, { databaseUrl: url });
    await t3.runtime.db.run(sql`UPDATE users SET plan = 'pro' WHERE id = 1`);
    await t3.fireCron(RELAY_CRON);
    await t3.drainQueues();
    expect(v3.seen.map((c) => [c.operation, c.row])).toEqual([
      ["update", { id: 1, email: "a@x.test", plan: "pro" }],
    ]);
    await t3.close();
  });

  it("key a table by its composite primary key, or by rowid when it declares none", async () => {
    const app = new Skiff({
      migrations: [
        {
          id: "001",
          sql: [
            "CREATE TABLE members (org TEXT, uid INTEGER, role TEXT, PRIMARY KEY (org, uid))",
            "CREATE TABLE notes (body BLOB)",
          ],
        },
      ],
    });
    const keys: unknown[] = [];
    app.onChange("members", "insert", (c) => void keys.push(c.key));
    app.onChange("notes", "insert", (c) => void keys.push([c.key, c.row]));
    const t = createTestRuntime(app);
    await t.runtime.db.run(sql`INSERT INTO members (org, uid, role) VALUES ('acme', 7, 'admin')`);
    await t.runtime.db.run(sql`INSERT INTO notes (body) VALUES (x'cafe')`);
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(keys).toEqual([
      ["acme", 7],
      [1, { body: "CAFE" }],
    ]);
    await t.close();
  });

  it("fail the first query with an error naming the table when it does not exist", async () => {
    const app = new Skiff();
    app.onChange("ghosts", "insert", () => undefined);
    const t = createTestRuntime(app);
    await expect(t.runtime.db.get(sql`SELECT 1`)).rejects.toThrow(
      /\[skiff\] app\.onChange\("ghosts"\).*does not exist.*migration/,
    );
    await t.close();
  });
});

describe("app.onChange registration", () => {
  it("registers the internal queue, its consumer and the relay cron as ordinary entries", () => {
    const { app } = usersApp();
    expect(app.triggers.schemas.has("skiff-changes")).toBe(true);
    expect(app.triggers.queues.get("skiff-changes")?.kind).toBe("batch");
    expect(app.triggers.crons.has(RELAY_CRON)).toBe(true);
  });

  it("registers the relay cron at the expression given by relayCron (a daily one for Vercel Hobby)", () => {
    const app = new Skiff();
    app.onChange("users", "insert", () => undefined, { relayCron: "0 0 * * *" });
    app.onChange("users", "update", () => undefined);
    expect([...app.triggers.crons.keys()]).toEqual(["0 0 * * *"]);
  });

  it("rejects bad options with a message that names them", () => {
    const app = new Skiff();
    const noop = () => undefined;
    expect(() => app.onChange("users; DROP", "insert", noop)).toThrow(/\[skiff\] app\.onChange.*table name/);
    expect(() => app.onChange("users", [] as never, noop)).toThrow(/operations must be/);
    expect(() => app.onChange("users", "upsert" as never, noop)).toThrow(/operations must be/);
    expect(() => app.onChange("users", "insert", noop, { deadLetter: "nope" })).toThrow(
      /deadLetter "nope" is not a declared queue/,
    );
    expect(() => app.onChange("users", "insert", noop, { maxRetries: -1 })).toThrow(
      /maxRetries must be an integer/,
    );
    app.onChange("users", "insert", noop);
    expect(() => app.onChange("users", "insert", noop)).toThrow(/already named "users:insert".*\{ name \}/);
    expect(() => app.onChange("users", "insert", noop, { name: "audit" })).not.toThrow();
    expect(() => app.onChange("users", "delete", noop, { relayCron: "0 0 * * *" })).toThrow(
      /relayCron "0 0 \* \* \*" differs from the app's relay cron "\* \* \* \* \*"/,
    );
  });

  it("runs the handlers of a mounted sub-app, each with its own outbox rows", async () => {
    const app = new Skiff({ migrations: [USERS] });
    const sub = new Skiff();
    const seen: string[] = [];
    app.onChange("users", "insert", (c) => void seen.push(`app ${String(c.key)}`));
    sub.onChange("users", "insert", (c) => void seen.push(`sub ${String(c.key)}`), { name: "sub-welcome" });
    app.route("/sub", sub);
    const t = createTestRuntime(app);
    await t.runtime.db.run(sql`INSERT INTO users (id, email) VALUES (9, 'nine@x.test')`);
    await t.fireCron(RELAY_CRON);
    await t.drainQueues();
    expect(seen.sort()).toEqual(["app 9", "sub 9"]);
    await t.close();
  });
});
