import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { fixture, startBun, tempDbUrl, type BunProcess } from "./bun-process.js";
import { forwardTo } from "../../../support/net.js";

/** What the shop fixture reports once listening: the app's URL and the control server's. */
export interface ShopReady {
  ready: true;
  url: string;
  control: string;
}

/** Starts the shop fixture on the real Bun over a fresh database (`SKIFF_TEST_*` switch its workers on). */
export function startShop(env: Record<string, string> = {}): Promise<BunProcess<ShopReady>> {
  return startBun<ShopReady>(fixture("shop.ts"), {
    SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
    SKIFF_TEST_DB: tempDbUrl(),
    ...env,
  });
}

/**
 * Drives the shop in a real `bun` process: HTTP over the loopback, crons through the server's `/__scheduled`
 * route (the adapter's own), queue batches written into the durable queue and delivered once through the control
 * server (the same steps as the Node driver). The background worker and scheduler are off, so the test decides
 * when batches are delivered.
 */
export async function bunDriver(): Promise<ContractDriver & { process: BunProcess<ShopReady> }> {
  const bun = await startShop();
  const { url, control } = bun.ready;
  const json = async <T>(res: Response): Promise<T> => {
    if (!res.ok) throw new Error(`control ${res.url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    platform: "bun",
    process: bun,
    fetch: forwardTo(url),
    async fireCron(expression, scheduledTime) {
      const query = new URLSearchParams({ cron: expression, time: String(scheduledTime) });
      const res = await fetch(`${url}/__scheduled?${query}`);
      if (res.status !== 200)
        throw new Error(`cron "${expression}" failed: ${res.status} ${await res.text()}`);
    },
    deliver: async (queue, messages) =>
      json<Record<string, Settlement>>(
        await fetch(`${control}/deliver?queue=${encodeURIComponent(queue)}`, {
          method: "POST",
          body: JSON.stringify(messages),
        }),
      ),
    sent: async (queue) => json<unknown[]>(await fetch(`${control}/sent?queue=${encodeURIComponent(queue)}`)),
    close: async () => {
      await bun.stop();
    },
  };
}
