import { join } from "node:path";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { type DenoProcess, scratch, startDeno } from "./deno.js";

/** The fixture that serves the shop through toDeno() in a real `deno` process. */
export const SHOP_FIXTURE = "test/adapters/deno/fixtures/shop.ts";

/**
 * Starts the shop fixture on the real Deno runtime: the database over HTTP (serveHrana, as Turso), Deno KV in a
 * fresh file, the contract's API key. `hold` keeps the queue listener to the messages the test injects.
 */
export async function startShop(name: string, options: { hold: boolean; env?: Record<string, string> }) {
  const space = await scratch(name);
  try {
    const deno = await startDeno(
      SHOP_FIXTURE,
      {
        PORT: "0",
        TURSO_DATABASE_URL: space.hrana.url,
        DENO_KV_PATH: join(space.dir, "kv.sqlite3"),
        SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
        ...(options.hold ? { SKIFF_FIXTURE_HOLD: "1" } : {}),
        ...options.env,
      },
      { writable: space.dir },
    );
    return {
      deno,
      space,
      async close() {
        await deno.stop();
        await space.cleanup();
      },
    };
  } catch (error) {
    await space.cleanup();
    throw error;
  }
}

/** An HTTP request to the Deno process, over the loopback, with the path and query of `request`. */
export function forward(deno: DenoProcess, request: Request): Promise<Response> {
  const url = new URL(request.url);
  return fetch(`${deno.url}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    duplex: "half",
  } as RequestInit);
}

/**
 * Drives the shop in a real `deno` process: HTTP over 127.0.0.1 through `Deno.serve`; crons through
 * `/__scheduled`, which calls the handler registered with Deno.cron (Deno.cron itself fires at most once a minute);
 * queue batches enqueued on the real Deno KV queue and settled by the adapter's `listenQueue` handler, which
 * re-enqueues a retried message (the settlement the fixture observes).
 */
export async function denoDriver(): Promise<ContractDriver & { deno: DenoProcess }> {
  const shop = await startShop("contract", { hold: true });
  const { deno } = shop;
  return {
    platform: "deno",
    deno,
    fetch: (request) => forward(deno, request),
    async fireCron(expression, scheduledTime) {
      const query = new URLSearchParams({ cron: expression, time: String(scheduledTime) });
      const res = await fetch(`${deno.url}/__scheduled?${query}`);
      const text = await res.text();
      if (!res.ok) throw new Error(`cron ${expression}: ${res.status} ${text}`);
    },
    async deliver(queue, messages) {
      const res = await fetch(`${deno.url}/__test/deliver`, {
        method: "POST",
        body: JSON.stringify({ queue, messages }),
      });
      if (!res.ok) throw new Error(`deliver: ${res.status} ${await res.text()}\n${deno.output()}`);
      return (await res.json()) as Record<string, Settlement>;
    },
    sent: async (queue) =>
      (await (await fetch(`${deno.url}/__test/sent?queue=${encodeURIComponent(queue)}`)).json()) as unknown[],
    close: () => shop.close(),
  };
}
