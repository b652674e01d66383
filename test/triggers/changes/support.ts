import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { Skiff, sql, type Migration } from "skiff";
import type { ChangeEvent, ChangeOptions } from "../../../src/triggers/changes/index.js";

/** A fresh file database (shared by the runtimes of one test that "restart"). */
export function tempDbUrl(): string {
  return `file:${join(mkdtempSync(join(tmpdir(), "skiff-changes-")), "test.db")}`;
}

export const USERS: Migration = {
  id: "001_users",
  sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT)",
};

/** The dead-letter queue's schema: what a dead-lettered change looks like on the queue. */
export const DeadChange = z.object({
  table: z.string(),
  operation: z.enum(["insert", "update", "delete"]),
  key: z.unknown(),
  changeId: z.number(),
  time: z.string(),
  row: z.record(z.string(), z.unknown()).nullable(),
  old: z.record(z.string(), z.unknown()).nullable(),
});

/**
 * An app with a `users` table, routes that write it, and one change handler on every operation that records what
 * it sees; `fail(event, attempt)` decides whether a delivery throws.
 */
export function usersApp(
  options: ChangeOptions & {
    migrations?: Migration[];
    fail?: (change: ChangeEvent, attempt: number) => boolean;
  } = {},
) {
  const { migrations = [USERS], fail, ...changeOptions } = options;
  const app = new Skiff({ migrations, queues: { "changes-dlq": DeadChange } });
  const seen: ChangeEvent[] = [];
  const attempts = new Map<number, number>();
  app.onChange(
    "users",
    ["insert", "update", "delete"],
    (change) => {
      const attempt = (attempts.get(change.changeId) ?? 0) + 1;
      attempts.set(change.changeId, attempt);
      if (fail?.(change, attempt)) throw new Error(`handler failed on change ${change.changeId}`);
      seen.push(change);
    },
    changeOptions,
  );
  app.post("/users", async (c) => {
    const { id, email } = await c.req.json<{ id: number; email: string }>();
    await c.var.db.run(sql`INSERT INTO users (id, email) VALUES (${id}, ${email})`);
    return c.body(null, 201);
  });
  app.patch("/users/:id", async (c) => {
    const { name } = await c.req.json<{ name: string }>();
    await c.var.db.run(sql`UPDATE users SET name = ${name} WHERE id = ${Number(c.req.param("id"))}`);
    return c.body(null, 204);
  });
  app.delete("/users/:id", async (c) => {
    await c.var.db.run(sql`DELETE FROM users WHERE id = ${Number(c.req.param("id"))}`);
    return c.body(null, 204);
  });
  app.post("/users/bulk", async (c) => {
    const { count } = await c.req.json<{ count: number }>();
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    await c.var.db.batch(
      ids.map((id) => sql`INSERT INTO users (id, email) VALUES (${id}, ${`u${id}@x.test`})`),
    );
    return c.body(null, 201);
  });
  return { app, seen, attempts };
}

export const json = (method: string, path: string, body?: unknown) =>
  new Request(`http://test${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
