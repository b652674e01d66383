import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHrana, type HranaServer } from "../../src/dev/hrana/index.js";

// What a web page (cross-site POSTs, DNS rebinding) or a statement (files outside the database) must not reach.

let dir: string;
let server: HranaServer;
let db: Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-hrana-security-"));
  server = await serveHrana({
    url: `file:${join(dir, "main.db")}`,
    allowedOrigins: ["http://localhost:5173"],
  });
  db = createClient({ url: server.url });
  await db.execute("CREATE TABLE t (x)");
}, 30_000);

afterAll(async () => {
  db.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A raw HTTP/1.1 request to the server's port, with exactly these headers (fetch would fix Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: server.port, method, path, headers, setHost: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text ? JSON.parse(text) : null,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const host = () => `127.0.0.1:${server.port}`;
const createTable = (name: string) =>
  JSON.stringify({
    baton: null,
    requests: [{ type: "execute", stmt: { sql: `CREATE TABLE ${name} (x)` } }, { type: "close" }],
  });
const tableExists = async (name: string) =>
  (await db.execute({ sql: "SELECT count(*) AS n FROM sqlite_schema WHERE name = ?", args: [name] })).rows[0]
    ?.n === 1;

describe("requests a web page can make", () => {
  it("refuses a cross-site text/plain POST with 415, running nothing", async () => {
    const res = await raw(
      "POST",
      "/v2/pipeline",
      { host: host(), "content-type": "text/plain;charset=UTF-8" },
      createTable("csrf"),
    );
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: expect.stringMatching(/^\[skiff\].*application\/json/),
    });
    const none = await raw("POST", "/v2/pipeline", { host: host() }, createTable("csrf"));
    expect(none.status).toBe(415);
    expect(await tableExists("csrf")).toBe(false);
  });

  it("accepts application/json with parameters", async () => {
    const res = await raw(
      "POST",
      "/v2/pipeline",
      { host: host(), "content-type": "application/json; charset=utf-8" },
      createTable("ok_json"),
    );
    expect(res.status).toBe(200);
    expect(await tableExists("ok_json")).toBe(true);
  });

  it("refuses a foreign Host (DNS rebinding) with 421 and accepts loopback names", async () => {
    for (const foreign of [
      "evil.example",
      `evil.example:${server.port}`,
      "127.0.0.1.evil.example",
      "[::2]",
    ]) {
      const res = await raw(
        "POST",
        "/v2/pipeline",
        { host: foreign, "content-type": "application/json" },
        createTable("rebound"),
      );
      expect(res.status).toBe(421);
      expect(res.json).toMatchObject({
        code: "HOST_NOT_ALLOWED",
        message: expect.stringMatching(/^\[skiff\]/),
      });
    }
    expect((await raw("GET", "/health", { host: "evil.example" })).status).toBe(421);
    expect(await tableExists("rebound")).toBe(false);
    for (const loopback of [host(), `localhost:${server.port}`, "LOCALHOST", `[::1]:${server.port}`]) {
      expect((await raw("GET", "/health", { host: loopback })).status).toBe(200);
    }
  });

  it("refuses a browser Origin that is not allowed with 403, and serves an allowed one with CORS", async () => {
    const headers = { host: host(), "content-type": "application/json" };
    const evil = await raw(
      "POST",
      "/v2/pipeline",
      { ...headers, origin: "https://evil.example" },
      createTable("from_page"),
    );
    expect(evil.status).toBe(403);
    expect(evil.json).toMatchObject({
      code: "ORIGIN_NOT_ALLOWED",
      message: expect.stringMatching(/allowedOrigins/),
    });
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    expect(await tableExists("from_page")).toBe(false);
    const preflight = await raw("OPTIONS", "/v2/pipeline", { host: host(), origin: "http://localhost:5173" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-headers"]).toMatch(/content-type/);
    const allowed = await raw(
      "POST",
      "/v2/pipeline",
      { ...headers, origin: "http://localhost:5173" },
      createTable("from_dev_page"),
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect(await tableExists("from_dev_page")).toBe(true);
  });
});

describe("statements that reach other files", () => {
  const target = () => join(dir, "elsewhere.db");
  const variants = () => [
    `ATTACH '${target()}' AS other`,
    `  /* hidden */ attach database '${target()}' as other`,
    `-- comment\n\tAtTaCh\n'${target()}' AS other;`,
    "DETACH other",
    `VACUUM INTO '${target()}'`,
    `vacuum main into '${target()}'`,
    `EXPLAIN VACUUM INTO '${target()}'`,
  ];

  it("refuses ATTACH, DETACH and VACUUM INTO whatever their spelling, alone, in batches and in scripts", async () => {
    for (const sql of variants()) {
      await expect(db.execute(sql), sql).rejects.toMatchObject({
        code: "SQLITE_AUTH",
        message: expect.stringMatching(/allowAttach/),
      });
    }
    await expect(db.batch(["SELECT 1", variants()[1] ?? ""], "write")).rejects.toMatchObject({
      code: "SQLITE_AUTH",
    });
    await expect(db.executeMultiple(`SELECT 1; ${variants()[4]}; SELECT 2`)).rejects.toMatchObject({
      code: "SQLITE_AUTH",
    });
    // A stored SQL text is checked where it runs.
    const res = await raw(
      "POST",
      "/v3/pipeline",
      { host: host(), "content-type": "application/json" },
      JSON.stringify({
        baton: null,
        requests: [
          { type: "store_sql", sql_id: 1, sql: variants()[0] },
          { type: "execute", stmt: { sql_id: 1 } },
          { type: "close" },
        ],
      }),
    );
    expect((res.json as { results: unknown[] }).results[1]).toMatchObject({
      type: "error",
      error: { code: "SQLITE_AUTH" },
    });
    expect(existsSync(target())).toBe(false);
    // Plain VACUUM and strings or names that only mention the words still work.
    await db.execute("VACUUM");
    expect((await db.execute("SELECT 'attach' AS a, 'vacuum into' AS b")).rows[0]?.a).toBe("attach");
  });

  it("allows them with allowAttach", { timeout: 30_000 }, async () => {
    const open = await serveHrana({ url: `file:${join(dir, "open.db")}`, allowAttach: true });
    try {
      const client = createClient({ url: open.url });
      await client.executeMultiple(`ATTACH '${target()}' AS other; CREATE TABLE other.t (x); DETACH other`);
      expect(existsSync(target())).toBe(true);
      client.close();
    } finally {
      await open.close();
    }
  });
});

describe("binding", () => {
  it("refuses a non-loopback address without authToken, before listening", async () => {
    for (const hostname of ["0.0.0.0", "::", "192.168.1.10", "devbox.example"]) {
      await expect(serveHrana({ url: `file:${join(dir, "net.db")}`, hostname })).rejects.toThrow(
        /^\[skiff\] serveHrana: hostname .* set authToken/i,
      );
    }
    expect(existsSync(join(dir, "net.db"))).toBe(false);
  });
});
