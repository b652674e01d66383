import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "skiff";
import { drainOnce } from "skiff/adapter";
import { serve, type SkiffServer } from "skiff/node";
import { app } from "../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "./driver.js";

/** A fresh temp libSQL file, so each test process starts from an empty database. */
export function tempDbUrl(name = "skiff"): string {
  return `file:${join(mkdtempSync(join(tmpdir(), `${name}-`)), "test.db")}`;
}

/**
 * Drives the shop through a real `serve()` on an ephemeral port: HTTP over the loopback, crons through the
 * scheduler's dispatch, queue batches written into the durable libSQL queue and drained once, exactly as the
 * local worker does. Background polling is off so the test decides when batches are delivered.
 */
export async function nodeDriver(): Promise<ContractDriver & { server: SkiffServer }> {
  const server = await serve(app, {
    port: 0,
    env: { SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256 },
    database: { url: tempDbUrl() },
    scheduler: false,
    queues: false,
    handleSignals: false,
  });
  return {
    platform: "node",
    server,
    fetch: (request) => {
      const url = new URL(request.url);
      return fetch(`${server.url}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        duplex: "half",
      } as RequestInit);
    },
    fireCron: (expression, scheduledTime) => server.fireCron(expression, scheduledTime),
    async deliver(queue, messages) {
      // Put the messages on the queue as if delivered attempts-1 times before, then run one delivery.
      const now = Date.now();
      await server.queueStore.stats(queue); // creates the table
      await server.db.batch(
        messages.map(
          (m) => sql`INSERT INTO _skiff_queue (id, queue, body, attempts, visible_at, enqueued_at)
                     VALUES (${m.id}, ${queue}, ${JSON.stringify(m.body)}, ${m.attempts - 1}, ${now - 1}, ${now})`,
        ),
      );
      await drainOnce(server.runtime, server.queueStore, queue, () => undefined);
      const left = new Set((await server.queueStore.peek(queue, 1000)).map((m) => m.id));
      const out: Record<string, Settlement> = {};
      for (const m of messages) out[m.id] = left.has(m.id) ? "retry" : "ack";
      // Leave the queue empty for the next case.
      await server.db.run(sql`DELETE FROM _skiff_queue WHERE queue = ${queue}`);
      return out;
    },
    // Nothing consumes in the background (queues: false), so what is still queued is everything sent.
    sent: async (queue) => (await server.queueStore.peek(queue, 1000)).map((m) => m.body),
    close: () => server.close(),
  };
}
