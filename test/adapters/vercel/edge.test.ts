import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EdgeRuntime } from "edge-runtime";
import { serveHrana, type HranaServer } from "skiff/local";
import { CONTRACT_API_KEY, CONTRACT_API_KEY_SHA256 } from "../../contract/driver.js";
import { tempDbUrl } from "../../contract/node-driver.js";
import { bundleForEdge, edgeFetch, startEdgeSandbox, type EdgeBundle } from "./support/edge.js";

const ROUTE = "examples/shop/vercel/app/api/[[...route]]/route.ts";
const VERCEL_JSON = new URL("../../../examples/shop/vercel/vercel.json", import.meta.url);
const HOBBY_EDGE_LIMIT = 1024 * 1024; // 1 MB gzipped on Hobby (https://vercel.com/docs/functions/limitations)
const SECRET = "edge-secret-0123456789";

// Next.js's edge build replaces `process.env.NAME` with the deployment's values; esbuild's define does the same here.
function envDefine(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      `process.env.${k}`,
      v === undefined ? "undefined" : JSON.stringify(v),
    ]),
  );
}

describe("the example's edge route file", () => {
  let bundle: EdgeBundle;
  beforeAll(async () => {
    bundle = await bundleForEdge(ROUTE, { globalName: "__route", minify: true });
  });

  it("bundles for the edge without Node built-ins or the Node libSQL client, within the Hobby edge size limit", () => {
    const nodeOnly = bundle.inputs.filter((file) =>
      /^node:|@libsql\/client\/lib-esm\/(node|sqlite3|ws)\.js$|node_modules\/libsql\/|src\/local\/|src\/adapters\/node\/|src\/cli\//.test(
        file,
      ),
    );
    expect(nodeOnly).toEqual([]);
    expect(bundle.inputs).toContain("node_modules/@libsql/client/lib-esm/http.js");
    console.info(
      `edge bundle of ${ROUTE}: ${(bundle.bytes / 1024).toFixed(1)} KiB minified, ${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzipped (Hobby limit 1024 KiB)`,
    );
    expect(bundle.gzipBytes).toBeLessThan(HOBBY_EDGE_LIMIT);
  });

  it("would fail to bundle if a Node-only module were imported (the check above can fail)", async () => {
    await expect(bundleForEdge("src/adapters/node/database.ts", { globalName: "__x" })).rejects.toThrow(
      /Could not resolve "node:fs"/,
    );
  });
});

describe("the example's edge route inside the edge-runtime sandbox", () => {
  let hrana: HranaServer;
  let sandbox: EdgeRuntime;
  const call = (path: string, init: RequestInit = {}) =>
    edgeFetch(sandbox, new Request(`https://shop.vercel.app${path}`, init));

  beforeAll(async () => {
    hrana = await serveHrana({ url: tempDbUrl("skiff-vercel-example"), port: 0 });
    const env = {
      TURSO_DATABASE_URL: hrana.url,
      TURSO_AUTH_TOKEN: undefined,
      CRON_SECRET: SECRET,
      VERCEL_ENV: "production",
      SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
    };
    const bundle = await bundleForEdge(ROUTE, { globalName: "__route", define: envDefine(env) });
    sandbox = startEdgeSandbox(bundle.code, "__route");
  });
  afterAll(async () => {
    await hrana?.close();
  });

  it("runs with no process and no require, and reports the vercel-edge platform", async () => {
    expect(sandbox.evaluate("typeof process")).toBe("undefined");
    expect(sandbox.evaluate("typeof require")).toBe("undefined");
    expect(await (await call("/")).json()).toEqual({ name: "skiff shop", platform: "vercel-edge" });
  });

  it("delivers a sent order after the response, in waitUntil, through Vercel's request context", async () => {
    const calls = () => Number(sandbox.evaluate("globalThis.__waitUntilCalls ?? 0"));
    const before = calls();
    const res = await call("/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
      body: JSON.stringify({ sku: "TEA-9", qty: 1 }),
    });
    expect(res.status).toBe(202);
    const { orderId } = (await res.json()) as { orderId: string };
    // The drain (and the request counter) went to the event's waitUntil, which edgeFetch awaited.
    expect(calls() - before).toBeGreaterThanOrEqual(2);
    expect(await (await call(`/api/orders/${orderId}`)).json()).toMatchObject({
      status: "fulfilled",
      attempts: 1,
    });
  });

  it("serves the cron paths of its vercel.json only with the secret", async () => {
    const { crons } = JSON.parse(readFileSync(VERCEL_JSON, "utf8")) as { crons: Array<{ path: string }> };
    // The daily report, the workflows' timer cron (the shop's `workflowTimers: "0 0 * * *"`), the queue drain.
    expect(crons.map((c) => c.path)).toEqual([
      "/api/__skiff/cron/0_9_*_*_*",
      "/api/__skiff/cron/0_0_*_*_*",
      "/api/__skiff/queues/drain",
    ]);
    for (const { path } of crons) {
      expect((await call(path)).status, path).toBe(401);
      expect((await call(path, { headers: { authorization: "Bearer wrong" } })).status, path).toBe(401);
    }
    const ok = await call("/api/__skiff/cron/0_9_*_*_*", { headers: { authorization: `Bearer ${SECRET}` } });
    expect(ok.status).toBe(200);
    expect((await call("/api/reports/latest")).status).toBe(200);
    const timers = await call("/api/__skiff/cron/0_0_*_*_*", {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(timers.status).toBe(200); // a path with no handler behind it answers 404
    expect(await timers.json()).toMatchObject({ cron: "0 0 * * *", ok: true });
    const drain = await call("/api/__skiff/queues/drain", { headers: { authorization: `Bearer ${SECRET}` } });
    // skiff-workflows: the internal queue of the shop's workflows (their wakes), drained like the others.
    expect(await drain.json()).toEqual({
      delivered: {
        orders: 0,
        "orders-dlq": 0,
        "skiff-workflows": 0,
        "skiff-storage-uploads": 0,
        "skiff-changes": 0,
      },
    });
  });
});
