import { describe, expect, it } from "vitest";
import { sql } from "skiff";
import { createTestRuntime, type TestRuntime } from "skiff/testing";
import { json, usersApp } from "./support.js";

const outbox = async (t: TestRuntime) =>
  Number((await t.runtime.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM _skiff_changes`))?.n);

describe("app.onChange delivers a table's changes through the outbox", () => {
  it("delivers an insert, an update and a delete with the row after and before, then empties the outbox", async () => {
    const { app, seen } = usersApp();
    const t = createTestRuntime(app);
    expect((await t.fetch(json("POST", "/users", { id: 7, email: "a@x.test" }))).status).toBe(201);
    expect((await t.fetch(json("PATCH", "/users/7", { name: "Ada" }))).status).toBe(204);
    expect((await t.fetch(json("DELETE", "/users/7"))).status).toBe(204);
    await t.drainQueues();
    expect(seen.map((c) => [c.operation, c.key, c.row, c.old])).toEqual([
      ["insert", 7, { id: 7, email: "a@x.test", name: null }, null],
      ["update", 7, { id: 7, email: "a@x.test", name: "Ada" }, { id: 7, email: "a@x.test", name: null }],
      ["delete", 7, null, { id: 7, email: "a@x.test", name: "Ada" }],
    ]);
    expect(seen.every((c) => c.table === "users" && c.time instanceof Date && c.changeId > 0)).toBe(true);
    expect(new Set(seen.map((c) => c.changeId)).size).toBe(3);
    expect(await outbox(t)).toBe(0);
    await t.close();
  });

  it("records nothing for a transaction that rolls back", async () => {
    const { app, seen } = usersApp();
    const t = createTestRuntime(app);
    await expect(
      t.runtime.db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO users (id, email) VALUES (1, 'gone@x.test')`);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await t.runtime.db.run(sql`INSERT INTO users (id, email) VALUES (2, 'kept@x.test')`);
    await t.fireCron("* * * * *"); // the relay cron
    await t.drainQueues();
    expect(seen.map((c) => c.key)).toEqual([2]);
    await t.close();
  });

  it("keeps the order of a row's changes while an earlier one is retried, without holding back other rows", async () => {
    // The insert of row 1 fails twice: its updates wait; row 2 goes ahead.
    const { app, seen, attempts } = usersApp({
      fail: (c, attempt) => c.key === 1 && c.operation === "insert" && attempt <= 2,
    });
    const t = createTestRuntime(app);
    await t.fetch(json("POST", "/users", { id: 1, email: "one@x.test" }));
    await t.fetch(json("PATCH", "/users/1", { name: "b" }));
    await t.fetch(json("PATCH", "/users/1", { name: "c" }));
    await t.fetch(json("POST", "/users", { id: 2, email: "two@x.test" }));
    await t.drainQueues();
    const row1 = seen.filter((c) => c.key === 1).map((c) => [c.operation, c.row?.name]);
    expect(row1).toEqual([
      ["insert", null],
      ["update", "b"],
      ["update", "c"],
    ]);
    expect(seen.map((c) => c.key).indexOf(2)).toBeLessThan(seen.map((c) => c.key).indexOf(1)); // not held back
    // The updates never ran before the insert succeeded: one attempt each.
    expect([...attempts.values()].sort()).toEqual([1, 1, 1, 3]);
    expect(await outbox(t)).toBe(0);
    await t.close();
  });

  it("retries a failing handler maxRetries times, dead-letters the change, then delivers the row's next change", async () => {
    const { app, seen, attempts } = usersApp({
      maxRetries: 2,
      deadLetter: "changes-dlq",
      fail: (c) => c.operation === "insert",
    });
    const t = createTestRuntime(app);
    await t.fetch(json("POST", "/users", { id: 5, email: "five@x.test" }));
    await t.fetch(json("PATCH", "/users/5", { name: "after" }));
    await t.drainQueues();
    const dead = await t.queueStore.peek("changes-dlq");
    expect(dead).toHaveLength(1);
    expect(dead[0]?.body).toMatchObject({
      table: "users",
      operation: "insert",
      key: 5,
      row: { email: "five@x.test" },
    });
    expect(Math.max(...attempts.values())).toBe(3); // 1 + maxRetries
    expect(seen.map((c) => [c.operation, c.row?.name])).toEqual([["update", "after"]]);
    expect(await outbox(t)).toBe(0);
    await t.close();
  });

  it("delivers 2,000 rows written in one batch, each at least once", async () => {
    const { app, seen } = usersApp();
    const t = createTestRuntime(app);
    const started = Date.now();
    await t.fetch(json("POST", "/users/bulk", { count: 2000 }));
    await t.drainQueues();
    await t.fireCron("* * * * *"); // whatever one relay's time budget left behind
    await t.drainQueues();
    const keys = new Set(seen.map((c) => c.key));
    expect(keys.size).toBe(2000);
    expect(seen.length).toBeLessThan(2100); // duplicates are allowed (at least once), not a flood
    expect(await outbox(t)).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    await t.close();
  });
});
