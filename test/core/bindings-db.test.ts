import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, Skiff, sql } from "skiff";
import { cloudflareDatabase } from "skiff/cloudflare";
import { toLambda } from "skiff/lambda";
import { nodeDatabase } from "skiff/node";
import { createTestRuntime } from "skiff/testing";
import { libsqlClientOptions, databaseFilePath } from "../../src/bindings/db/client-options.js";
import { nodeDatabase as libsqlNodeDatabase } from "../../src/bindings/db/node.js";
import { webDatabase } from "../../src/bindings/db/web.js";
import { functionDatabase } from "../../src/bindings/db/function.js";
import { libsqlBindings } from "../../src/bindings/libsql.js";
import { MemoryKV } from "../../src/bindings/kv/memory.js";
import { createVercelState } from "../../src/adapters/vercel/runtime.js";
import { scheduleInput } from "skiff/lambda";

const root = mkdtempSync(join(tmpdir(), "skiff-bindings-db-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const failure = async (query: Promise<unknown>) =>
  query.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe("one client-options helper for every libSQL client", () => {
  it("passes the token only when there is one, always with intMode number, plus what one client adds", () => {
    expect(libsqlClientOptions({ url: "libsql://a.turso.io" })).toEqual({
      url: "libsql://a.turso.io",
      intMode: "number",
    });
    expect(libsqlClientOptions({ url: "file:x.db", authToken: "t" }, { timeout: 5_000 })).toEqual({
      url: "file:x.db",
      authToken: "t",
      intMode: "number",
      timeout: 5_000,
    });
  });

  it("reads the path a file: URL opens, percent-decoded, and none for remote or in-memory databases", () => {
    expect(databaseFilePath("file:.skiff/my%20app.db?mode=rwc")).toBe(".skiff/my app.db");
    expect(databaseFilePath("file::memory:")).toBeUndefined();
    expect(databaseFilePath(":memory:")).toBeUndefined();
    expect(databaseFilePath("https://shop.turso.io")).toBeUndefined();
  });
});

describe("a missing TURSO_DATABASE_URL on the edge gives the platform's advice, not a script of this repository", () => {
  it("on Workers: wrangler secret put, or .dev.vars", async () => {
    const error = await failure(cloudflareDatabase({}).get(sql`SELECT 1`));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain("[skiff] TURSO_DATABASE_URL is not set");
    expect(error?.message).toContain("wrangler secret put TURSO_DATABASE_URL");
    expect(error?.message).toContain(".dev.vars");
    expect(error?.message).not.toContain("npm run");
  });

  it("on Vercel: the project's Environment Variables", async () => {
    const app = new Skiff();
    const { runtime } = createVercelState(app, {}, undefined);
    const error = await failure(runtime.db.get(sql`SELECT 1`));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain("[skiff] TURSO_DATABASE_URL is not set");
    expect(error?.message).toContain("Environment Variables");
    expect(error?.message).not.toContain("npm run");
  });

  it("still refuses a file: URL where there is no filesystem, and reads the env again after a failure", async () => {
    const env: Record<string, unknown> = { TURSO_DATABASE_URL: "file:x.db" };
    const db = webDatabase(env);
    expect((await failure(db.get(sql`SELECT 1`)))?.message).toContain("this runtime has no filesystem");
    env.TURSO_DATABASE_URL = "ftp://nope";
    expect((await failure(db.get(sql`SELECT 1`)))?.message).toContain("is not a libSQL URL");
  });

  it("talks HTTP only (no WebSocket client in a Worker's bundle): a wss:// URL says to use libsql:// or https://", async () => {
    const db = webDatabase({ TURSO_DATABASE_URL: "wss://shop-acme.turso.io" });
    const error = await failure(db.get(sql`SELECT 1`));
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toContain("use the same host with libsql:// or https://");
  });

  it("on function platforms (Lambda, Cloud Run functions), talks HTTP to Turso, opens file: natively, refuses wss://", async () => {
    const remote = functionDatabase({ url: "wss://shop-acme.turso.io" });
    const error = await failure(remote.get(sql`SELECT 1`));
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toContain("use the same host with libsql:// or https://");
    expect(functionDatabase({ url: "https://shop-acme.turso.io" }).client.protocol).toBe("http");
    const local = functionDatabase({ url: "file::memory:" });
    expect(await local.get(sql`SELECT 1 AS one`)).toEqual({ one: 1 });
    expect(local.client.protocol).toBe("file");
    local.close();
  });
});

describe("the folder of a file: database is created by the Node-only callers, not by src/bindings", () => {
  it("src/bindings' nodeDatabase creates no folder: it leaves that to beforeOpen", async () => {
    const url = `file:${join(root, "bare", "x.db")}`;
    await expect(libsqlNodeDatabase({ url }).get(sql`SELECT 1`)).rejects.toThrow();
    expect(existsSync(join(root, "bare"))).toBe(false);
    const seen: string[] = [];
    const db = libsqlNodeDatabase(() => ({ url: "file::memory:" }), { beforeOpen: (c) => seen.push(c.url) });
    expect(await db.get(sql`SELECT 1 AS one`)).toEqual({ one: 1 });
    expect(seen).toEqual(["file::memory:"]);
  });

  it("skiff/node's nodeDatabase creates it (percent-decoded), as before", async () => {
    const db = nodeDatabase({ url: `file:${join(root, "node%20dir", "x.db")}` });
    expect(await db.get(sql`SELECT 1 AS one`)).toEqual({ one: 1 });
    expect(existsSync(join(root, "node dir"))).toBe(true);
    db.close();
  });

  it("skiff/testing creates it for a databaseUrl", async () => {
    const t = createTestRuntime(new Skiff(), { databaseUrl: `file:${join(root, "testing", "x.db")}` });
    expect(await t.db.get(sql`SELECT 1 AS one`)).toEqual({ one: 1 });
    expect(existsSync(join(root, "testing"))).toBe(true);
  });

  it("Lambda creates it for a file: TURSO_DATABASE_URL", async () => {
    const app = new Skiff();
    app.cron("0 * * * *", async (_event, ctx) => {
      await ctx.db.run(sql`CREATE TABLE ran (x)`);
    });
    const handler = toLambda(app, { env: { TURSO_DATABASE_URL: `file:${join(root, "lambda", "x.db")}` } });
    await handler({ ...scheduleInput("0 * * * *"), scheduledTime: 0 });
    expect(existsSync(join(root, "lambda", "x.db"))).toBe(true);
  });
});

describe("libsqlBindings assembles db, kv and the durable queue on one database", () => {
  it("keeps kv in a table of the database and queues in its store", async () => {
    const db = nodeDatabase({ url: ":memory:" });
    const { store, ...bindings } = libsqlBindings(db);
    expect(bindings.db()).toBe(db);
    await bindings.kv().put("k", "v");
    expect(await db.get(sql`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%kv%'`)).toEqual({
      n: 1,
    });
    await bindings.queue("orders").send([{ body: { orderId: "o1" } }]);
    const { messages } = await store.receive("orders", { max: 10, visibilitySeconds: 30 });
    expect(messages.map((m) => m.body)).toEqual([{ orderId: "o1" }]);
  });

  it("takes another KV store when asked", () => {
    const memory = new MemoryKV();
    expect(libsqlBindings(nodeDatabase({ url: ":memory:" }), { kv: () => memory }).kv()).toBe(memory);
  });
});

describe("the edge's database messages name no script of this repository", () => {
  it("refuses a file: URL with advice a user of the package can follow", async () => {
    const error = await failure(
      cloudflareDatabase({ TURSO_DATABASE_URL: "file:.skiff/dev.db" }).get(sql`SELECT 1`),
    );
    expect(error?.message).toContain("this runtime has no filesystem");
    expect(error?.message).toContain("serveHrana from skiff/local");
    expect(error?.message).not.toContain("npm run");
  });
});
