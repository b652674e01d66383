import { afterAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { nodeDatabase } from "skiff/node";
import { DEV_API_KEY } from "../../examples/shop/auth.js";
import { tempDbUrl } from "../contract/node-driver.js";
import { recordFigures } from "./figures.js";
import { startChild, type ChildServer } from "./servers/spawn.js";
import { TENANT_KEYS } from "./servers/tenant-keys.js";

const children: ChildServer[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

async function pair(entry: string, url: string): Promise<[ChildServer, ChildServer]> {
  const a = await startChild(entry, { TORTURE_DB_URL: url });
  children.push(a);
  const b = await startChild(entry, { TORTURE_DB_URL: url });
  children.push(b);
  return [a, b];
}

const post = (base: string, path: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe("concurrency across two processes on one database", () => {
  it("runs 50 identical idempotent order requests exactly once", async () => {
    const url = tempDbUrl("torture-idem");
    const [a, b] = await pair("shop.ts", url);
    const headers = { "x-api-key": DEV_API_KEY, "idempotency-key": "torture-order-1" };
    const order = { sku: "TORTURE-1", qty: 3 };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(i % 2 ? a.url : b.url, "/api/orders", headers, order)),
    );
    const replay = await post(a.url, "/api/orders", headers, order);
    const db = nodeDatabase({ url });
    const placed = await db.all(sql`SELECT id FROM orders WHERE sku = ${order.sku}`);
    db.close();

    const ids = new Set(answers.filter((x) => x.status === 202).map((x) => x.body.orderId));
    const unexpected = answers.filter((x) => x.status !== 202 && x.status !== 409);
    recordFigures({
      suite: "idempotent x50, 2 procs",
      tried: answers.length,
      held: answers.length - unexpected.length,
      lost: placed.length === 1 ? unexpected.length : answers.length,
      notes: {
        handlerRuns: placed.length,
        accepted: answers.filter((x) => x.status === 202).length,
        inProgress409: answers.filter((x) => x.status === 409).length,
      },
    });
    expect(placed).toHaveLength(1);
    expect(unexpected).toEqual([]);
    expect([...ids]).toEqual([placed[0]?.id]);
    expect(replay).toMatchObject({ status: 202, body: { orderId: placed[0]?.id } });
  });

  it("never replays one API-key tenant's response to another, even with the same Idempotency-Key", async () => {
    const url = tempDbUrl("torture-tenants");
    const [a, b] = await pair("tenants.ts", url);
    const key = { "idempotency-key": "same-key-for-both" };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const tenant = i % 2 ? "tenant-a" : "tenant-b";
        return post(
          i % 4 < 2 ? a.url : b.url,
          "/orders",
          { ...key, "x-api-key": TENANT_KEYS[tenant] },
          {},
        ).then((r) => ({ ...r, tenant }));
      }),
    );
    const db = nodeDatabase({ url });
    const runs = await db.all<{ tenant: string }>(sql`SELECT tenant FROM runs ORDER BY id`);
    db.close();

    const crossed = answers.filter((x) => x.status === 201 && x.body.tenant !== x.tenant);
    const unexpected = answers.filter((x) => x.status !== 201 && x.status !== 409);
    recordFigures({
      suite: "tenants x40, 2 procs",
      tried: answers.length,
      held: answers.length - crossed.length - unexpected.length,
      lost: crossed.length + unexpected.length,
      notes: { handlerRuns: runs.length, crossedReplays: crossed.length },
    });
    expect(crossed).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(runs.map((r) => r.tenant).sort()).toEqual(["tenant-a", "tenant-b"]);
  });
});
