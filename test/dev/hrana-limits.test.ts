import { join } from "node:path";
import { createClient, LibsqlError } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { serveHrana } from "../../src/dev/hrana/index.js";
import { dir, db, useHranaServer } from "./support/hrana.js";

useHranaServer();

describe("request size", () => {
  it("answers an oversized body with 413", async () => {
    const small = await serveHrana({ url: `file:${join(dir, "small.db")}`, maxBodyBytes: 1024 });
    try {
      const body = JSON.stringify({
        baton: null,
        requests: [{ type: "execute", stmt: { sql: `SELECT '${"x".repeat(2048)}'` } }],
      });
      const res = await fetch(`${small.url}/v2/pipeline`, { method: "POST", body });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: "BODY_TOO_LARGE" });
    } finally {
      await small.close();
    }
  });
});

describe("idle streams", () => {
  it("expire, releasing their write lock, and their baton then reports STREAM_EXPIRED", async () => {
    const quick = await serveHrana({
      url: `file:${join(dir, "expiry.db")}`,
      streamIdleTimeoutMs: 150,
      busyTimeoutMs: 5_000,
    });
    try {
      const client = createClient({ url: quick.url });
      await client.execute("CREATE TABLE t (x)");
      const abandoned = await (
        await fetch(`${quick.url}/v2/pipeline`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            baton: null,
            requests: [
              { type: "execute", stmt: { sql: "BEGIN IMMEDIATE" } },
              { type: "execute", stmt: { sql: "INSERT INTO t VALUES (1)" } },
            ],
          }),
        })
      ).json();
      // This write waits for the abandoned transaction's lock, which the expiry releases.
      await client.execute("INSERT INTO t VALUES (2)");
      expect((await client.execute("SELECT x FROM t")).rows.map((r) => r.x)).toEqual([2]);
      const late = await fetch(`${quick.url}/v2/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ baton: abandoned.baton, requests: [] }),
      });
      expect(await late.json()).toMatchObject({ code: "STREAM_EXPIRED" });
      client.close();
    } finally {
      await quick.close();
    }
  });
});

describe("lock waits", () => {
  it("give up with SQLITE_BUSY after busyTimeoutMs, and the waiting stream then refuses statements", async () => {
    const strict = await serveHrana({ url: `file:${join(dir, "busy.db")}`, busyTimeoutMs: 100 });
    const pipeline = async (baton: string | null, sql: string[]) =>
      (
        await fetch(`${strict.url}/v2/pipeline`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ baton, requests: sql.map((s) => ({ type: "execute", stmt: { sql: s } })) }),
        })
      ).json();
    try {
      const client = createClient({ url: strict.url });
      await client.execute("CREATE TABLE t (x)");
      const holder = await pipeline(null, ["BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)"]);
      const waiter = await pipeline(null, ["BEGIN", "INSERT INTO t VALUES (2)"]);
      expect(waiter.results[1]).toMatchObject({ type: "error", error: { code: "SQLITE_BUSY" } });
      // The waiter's connection was reset: it must not carry on as if its transaction were still open.
      const after = await pipeline(waiter.baton, ["INSERT INTO t VALUES (3)", "ROLLBACK"]);
      expect(after.results[0]).toMatchObject({ type: "error", error: { code: "STREAM_CLOSED" } });
      expect(after.results[1]).toMatchObject({ type: "ok" }); // the rollback already happened; saying so is not an error
      await pipeline(holder.baton, ["COMMIT"]);
      await client.execute("INSERT INTO t VALUES (4)");
      expect((await client.execute("SELECT x FROM t ORDER BY x")).rows.map((r) => r.x)).toEqual([1, 4]);
      client.close();
    } finally {
      await strict.close();
    }
  });

  it("fail a deferred transaction whose snapshot went stale, and let the client roll it back", async () => {
    await db.execute("CREATE TABLE snap (x)");
    const tx = await db.transaction("deferred");
    await tx.execute("SELECT count(*) FROM snap"); // the read fixes the snapshot
    await db.execute("INSERT INTO snap VALUES (1)");
    await expect(tx.execute("INSERT INTO snap VALUES (2)")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await tx.rollback();
    await db.execute("INSERT INTO snap VALUES (3)");
    expect((await db.execute("SELECT x FROM snap ORDER BY x")).rows.map((r) => r.x)).toEqual([1n, 3n]);
  });
});

describe("auth token", () => {
  it("requires the bearer token on statements, not on version probes", async () => {
    const secured = await serveHrana({ url: `file:${join(dir, "auth.db")}`, authToken: "s3cret" });
    try {
      const good = createClient({ url: secured.url, authToken: "s3cret" });
      expect((await good.execute("SELECT 1 AS one")).rows[0]?.one).toBe(1);
      const wrong = createClient({ url: secured.url, authToken: "guess" });
      await expect(wrong.execute("SELECT 1")).rejects.toBeInstanceOf(LibsqlError);
      const none = createClient({ url: secured.url });
      await expect(none.execute("SELECT 1")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      const raw = await fetch(`${secured.url}/v2/pipeline`, { method: "POST", body: "{}" });
      expect(raw.status).toBe(401);
      expect((await fetch(`${secured.url}/v2`)).status).toBe(200);
      for (const c of [good, wrong, none]) c.close();
    } finally {
      await secured.close();
    }
  });
});
