import { join } from "node:path";
import { createClient as createNodeClient } from "@libsql/client";
import { createClient as createWebClient } from "@libsql/client/web";
import { sql } from "skiff";
import { cronSlug, Database, LibsqlQueueStore } from "skiff/adapter";
import { toVercel, type VercelHandlers } from "skiff/vercel";
import { app } from "../../../../examples/shop/app.js";
import {
  CONTRACT_API_KEY_SHA256,
  type ContractDriver,
  type DeliveredMessage,
  type Settlement,
} from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { serveHrana } from "skiff/local";
import { bundleForEdge, edgeFetch, startEdgeSandbox } from "./edge.js";

export const CRON_SECRET = "test-cron-secret-0123456789";
const bearer = { authorization: `Bearer ${CRON_SECRET}` };

/** The database as another process sees it: what the platform's queue holds, independent of the handlers. */
function queueSide(db: Database) {
  const store = new LibsqlQueueStore(db);
  return {
    store,
    /** Puts messages on the queue as if delivered `attempts - 1` times before, like test/contract/node-driver.ts. */
    async enqueue(queue: string, messages: DeliveredMessage[]): Promise<void> {
      const now = Date.now();
      await store.stats(queue); // creates the table
      await db.batch(
        messages.map(
          (m) => sql`INSERT INTO _skiff_queue (id, queue, body, attempts, visible_at, enqueued_at)
                     VALUES (${m.id}, ${queue}, ${JSON.stringify(m.body)}, ${m.attempts - 1}, ${now - 1}, ${now})`,
        ),
      );
    },
    /** Settlement of each message by what is left on the queue, then empties it for the next case. */
    async settlements(queue: string, messages: DeliveredMessage[]): Promise<Record<string, Settlement>> {
      const left = new Set((await store.peek(queue, 1000)).map((m) => m.id));
      await db.run(sql`DELETE FROM _skiff_queue WHERE queue = ${queue}`);
      return Object.fromEntries(messages.map((m) => [m.id, left.has(m.id) ? "retry" : "ack"]));
    },
    sent: async (queue: string) => (await store.peek(queue, 1000)).map((m) => m.body),
  };
}

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
