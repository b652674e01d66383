import { join } from "node:path";
import { createClient as createNodeClient } from "@libsql/client";
import { createClient as createWebClient } from "@libsql/client/web";
import { cronSlug, Database } from "skiff/adapter";
import { toVercel, type VercelHandlers } from "skiff/vercel";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { queueSide } from "../../../contract/queue-side.js";
import { serveHrana } from "skiff/local";
import { bundleForEdge, edgeFetch, startEdgeSandbox } from "./edge.js";

export const CRON_SECRET = "test-cron-secret-0123456789";
const bearer = { authorization: `Bearer ${CRON_SECRET}` };

/** Drives the Vercel handlers through the platform's own paths: HTTP, cron paths with the secret, the drain path. */
function vercelDriver(
  platform: string,
  fetch: (request: Request) => Promise<Response>,
  setNow: (ms: number | undefined) => void,
  db: Database,
  close: () => Promise<void>,
): ContractDriver {
  const side = queueSide(db);
  const call = async (path: string) => {
    const res = await fetch(new Request(`http://shop.test${path}`, { headers: bearer }));
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  return {
    platform,
    fetch,
    async fireCron(expression, scheduledTime) {
      setNow(scheduledTime);
      try {
        await call(`/api/__skiff/cron/${cronSlug(expression)}`);
      } finally {
        setNow(undefined);
      }
    },
    async deliver(queue, messages) {
      await side.enqueue(queue, messages);
      await call(`/api/__skiff/queues/drain?queue=${encodeURIComponent(queue)}&batches=1`);
      return side.settlements(queue, messages);
    },
    sent: side.sent,
    close,
  };
}

/** The shop's Vercel handlers imported directly under Node, on the Node libSQL client and a temp file. */
export async function nodeVercelDriver(): Promise<ContractDriver & { handlers: VercelHandlers }> {
  const url = tempDbUrl("skiff-vercel");
  let clock: number | undefined;
  const handlers = toVercel(app, {
    basePath: "/api",
    env: { TURSO_DATABASE_URL: url, CRON_SECRET, SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256 },
    createClient: createNodeClient,
    drainOnRequest: false,
    now: () => clock ?? Date.now(),
  });
  const db = new Database(() => createNodeClient({ url, intMode: "number", timeout: 5_000 }));
  // Background work (the request counter) finishes before the next step, as it would before Vercel freezes the function.
  const fetch = async (request: Request) => {
    const response = await handlers[request.method as "GET"](request);
    await handlers.settle();
    return response;
  };
  const driver = vercelDriver(
    "vercel-node",
    fetch,
    (ms) => (clock = ms),
    db,
    async () => {
      await handlers.settle();
      db.close();
    },
  );
  return { ...driver, handlers };
}

/**
 * The shop's Vercel handlers bundled for the edge and run inside Vercel's edge-runtime sandbox, against a local
 * libSQL HTTP endpoint (the sandbox has no filesystem, like the edge).
 */
export async function edgeVercelDriver(): Promise<ContractDriver> {
  const hrana = await serveHrana({ url: tempDbUrl("skiff-vercel-edge"), port: 0 });
  const bundle = await bundleForEdge(join("test", "adapters", "vercel", "support", "edge-entry.ts"), {
    globalName: "__entry",
  });
  const env = { TURSO_DATABASE_URL: hrana.url, CRON_SECRET, SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256 };
  const runtime = startEdgeSandbox(
    bundle.code,
    "__entry.handlers",
    `globalThis.__skiffTestEnv = ${JSON.stringify(env)};`,
  );
  const db = new Database(() => createWebClient({ url: hrana.url, intMode: "number" }));
  return vercelDriver(
    "vercel-edge",
    (request) => edgeFetch(runtime, request),
    (ms) => runtime.evaluate(`__entry.setNow(${ms === undefined ? "undefined" : String(ms)})`),
    db,
    async () => {
      db.close();
      await hrana.close();
    },
  );
}
