import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, it } from "vitest";
import { idempotency } from "../../middleware/idempotency/index.js";
import { post, uniqueKey } from "./support/idempotency.js";

// ---- the guarantee: exactly once under concurrency, across processes sharing one database ----

describe("idempotency on real Node servers (two instances, one libSQL file)", () => {
  const servers: SkiffServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("runs the handler exactly once for 50 concurrent identical requests, and replays the result afterwards", async () => {
    let runs = 0;
    const app = new Skiff();
    app.post("/orders", idempotency(), async (c) => {
      runs++;
      const order = await c.req.json<{ sku: string }>();
      await new Promise((r) => setTimeout(r, 150)); // long enough that the others arrive while it runs
      return c.json({ orderId: crypto.randomUUID(), sku: order.sku }, 201, { "X-Order": "created" });
    });
    const url = tempDbUrl();
    const options = {
      port: 0,
      env: {},
      database: { url },
      scheduler: false,
      queues: false,
      handleSignals: false,
    } as const;
    servers.push(await serve(app, options), await serve(app, options));
    const key = uniqueKey();

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${servers[i % 2]!.url}/orders`, post(key, { sku: "book" })),
      ),
    );
    expect(runs).toBe(1);
    const bodies = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        replayed: r.headers.get("idempotent-replayed"),
        retry: r.headers.get("retry-after"),
        text: await r.text(),
      })),
    );
    const originals = bodies.filter((b) => b.status === 201 && b.replayed === null);
    expect(originals).toHaveLength(1);
    for (const b of bodies) {
      if (b.status === 409) expect(b.retry).toBe("1");
      else {
        expect(b.status).toBe(201);
        expect(b.text).toBe(originals[0]!.text);
      }
    }

    const again = await fetch(`${servers[1]!.url}/orders`, post(key, { sku: "book" }));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-order")).toBe("created");
    expect(await again.text()).toBe(originals[0]!.text);
    expect(runs).toBe(1);
  });
});
