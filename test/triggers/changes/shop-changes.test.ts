import { describe, expect, it } from "vitest";
import { Skiff, sql } from "skiff";
import { createTestRuntime } from "skiff/testing";
import { userChanges } from "../../../examples/shop/changes.js";
import { migrations } from "../../../examples/shop/schema.js";

describe("the shop's welcome note (examples/shop/changes.ts)", () => {
  it("is written for a user inserted by any code path, once the change is delivered", async () => {
    const app = new Skiff({ migrations });
    app.route("/", userChanges);
    const t = createTestRuntime(app);
    // Not through a route: a script or another service writing the same database.
    await t.runtime.db.run(sql`INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada')`);
    expect((await t.fetch(new Request("http://test/api/users/1/welcome"))).status).toBe(404);
    await t.fireCron("0 0 * * *"); // the shop's daily relay cron
    await t.drainQueues();
    const res = await t.fetch(new Request("http://test/api/users/1/welcome"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      userId: 1,
      email: "ada@example.com",
      text: "Welcome to the shop, Ada!",
    });
    await t.close();
  });

  it("is written right after POST /api/users, by the relay that follows the request", async () => {
    const app = new Skiff({ migrations });
    app.route("/", userChanges);
    app.post("/api/users", async (c) => {
      await c.var.db.run(sql`INSERT INTO users (email, name) VALUES ('bo@example.com', 'Bo')`);
      return c.body(null, 201);
    });
    const t = createTestRuntime(app);
    expect((await t.fetch(new Request("http://test/api/users", { method: "POST" }))).status).toBe(201);
    await t.drainQueues(); // no cron: the request's relay sent the change
    expect(await (await t.fetch(new Request("http://test/api/users/1/welcome"))).json()).toMatchObject({
      userId: 1,
    });
    await t.close();
  });
});
