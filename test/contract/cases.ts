import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_API_KEY, type ContractDriver } from "./driver.js";

const BASE = "http://shop.test";

function json(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function problem(
  res: Response,
): Promise<{ status: number; title: string; errors?: Array<{ path: string }> }> {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { status: number; title: string; errors?: Array<{ path: string }> };
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * The shared contract: the example shop app must behave the same through every adapter. Each adapter's test file
 * calls this with a factory for its driver.
 */
export function contractSuite(name: string, makeDriver: () => Promise<ContractDriver>): void {
  describe(`contract: the shop app on ${name}`, () => {
    let driver: ContractDriver;
    const get = (path: string) => driver.fetch(new Request(`${BASE}${path}`));

    beforeAll(async () => {
      driver = await makeDriver();
    });
    afterAll(async () => {
      await driver?.close();
    });

    it("answers the root with the platform it runs on", async () => {
      const res = await get("/");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ name: "skiff shop", platform: driver.platform });
    });

    it("creates a user, lists it, and refuses a duplicate email with 409", async () => {
      const email = `${unique("ada")}@example.com`;
      const created = await driver.fetch(json("POST", "/api/users", { email, name: "Ada" }));
      expect(created.status).toBe(201);
      const user = (await created.json()) as { id: number; email: string };
      expect(user.email).toBe(email);

      const list = (await (await get("/api/users?limit=100")).json()) as { users: Array<{ email: string }> };
      expect(list.users.map((u) => u.email)).toContain(email);

      const again = await driver.fetch(json("POST", "/api/users", { email, name: "Ada again" }));
      expect(again.status).toBe(409);
      expect((await problem(again)).title).toBe("Conflict");
    });

    it("honours ?limit= and rejects an out-of-range limit with 422 naming the field", async () => {
      await driver.fetch(json("POST", "/api/users", { email: `${unique("b")}@example.com`, name: "B" }));
      await driver.fetch(json("POST", "/api/users", { email: `${unique("c")}@example.com`, name: "C" }));
      const one = (await (await get("/api/users?limit=1")).json()) as { users: unknown[] };
      expect(one.users).toHaveLength(1);
      const bad = await get("/api/users?limit=0");
      expect(bad.status).toBe(422);
      expect((await problem(bad)).errors?.map((e) => e.path)).toEqual(["limit"]);
    });

    it("answers malformed JSON with 400, invalid fields with 422 and unknown routes with 404, all as problem+json", async () => {
      const malformed = await driver.fetch(json("POST", "/api/users", "{not json"));
      expect(malformed.status).toBe(400);
      expect((await problem(malformed)).status).toBe(400);

      const invalid = await driver.fetch(json("POST", "/api/orders", { sku: "tea", qty: -1 }));
      expect(invalid.status).toBe(422);
      expect((await problem(invalid)).errors?.map((e) => e.path).sort()).toEqual(["qty", "sku"]);

      const missing = await get("/no/such/route");
      expect(missing.status).toBe(404);
      expect((await problem(missing)).status).toBe(404);
    });

    it("accepts an order with 202, enqueues it, and the consumer fulfils it", async () => {
      const res = await driver.fetch(json("POST", "/api/orders", { sku: "TEA-1", qty: 2 }));
      expect(res.status).toBe(202);
      const { orderId } = (await res.json()) as { orderId: string };
      expect(res.headers.get("location")).toBe(`/api/orders/${orderId}`);
      expect((await (await get(`/api/orders/${orderId}`)).json()) as object).toMatchObject({
        status: "accepted",
      });

      const sent = (await driver.sent("orders")) as Array<{ orderId: string }>;
      const message = sent.find((m) => m.orderId === orderId);
      expect(message).toEqual({ orderId, sku: "TEA-1", qty: 2 });

      const settled = await driver.deliver("orders", [{ id: "m-ok", body: message, attempts: 1 }]);
      expect(settled).toEqual({ "m-ok": "ack" });
      const order = (await (await get(`/api/orders/${orderId}`)).json()) as {
        status: string;
        attempts: number;
      };
      expect(order).toMatchObject({ status: "fulfilled", attempts: 1 });
    });

    it("retries only the failing message of a batch", async () => {
      const ok = crypto.randomUUID();
      const bad = crypto.randomUUID();
      const settled = await driver.deliver("orders", [
        { id: "m-good", body: { orderId: ok, sku: "TEA-2", qty: 1 }, attempts: 1 },
        { id: "m-bad", body: { orderId: bad, sku: "FAIL", qty: 1 }, attempts: 1 },
      ]);
      expect(settled).toEqual({ "m-good": "ack", "m-bad": "retry" });
    });

    it("dead-letters a message that exhausted its retries, and one that fails its schema at once", async () => {
      const before = (await driver.sent("orders-dlq")).length;
      const exhausted = { orderId: crypto.randomUUID(), sku: "FAIL", qty: 1 };
      const invalid = { orderId: "not-a-uuid", qty: "many" };
      const settled = await driver.deliver("orders", [
        { id: "m-exhausted", body: exhausted, attempts: 3 },
        { id: "m-invalid", body: invalid, attempts: 1 },
      ]);
      expect(settled).toEqual({ "m-exhausted": "ack", "m-invalid": "ack" });
      // Only this test's messages: where the platform redelivers in the background (Deno KV), the message the test
      // above retried can reach its own dead letter meanwhile. Duplicates of these two would still fail.
      const mine = new Set([exhausted.orderId, invalid.orderId]);
      const dead = (await driver.sent("orders-dlq"))
        .slice(before)
        .filter((body) => mine.has((body as { orderId?: string }).orderId ?? ""));
      expect(dead).toEqual([exhausted, invalid]);
    });

    it("runs the daily report cron, which stores the report the API serves", async () => {
      const at = Date.UTC(2026, 0, 2, 9, 0, 0);
      await driver.fireCron("0 9 * * *", at);
      const res = await get("/api/reports/latest");
      expect(res.status).toBe(200);
      const report = (await res.json()) as { generatedAt: string; totals: { orders: number } };
      expect(report.generatedAt).toBe(new Date(at).toISOString());
      expect(report.totals.orders).toBeGreaterThanOrEqual(1);
    });

    it("refuses writes without the API key (401 with a challenge) and tags every answer with a request id", async () => {
      const res = await driver.fetch(
        json("POST", "/api/users", { email: "x@example.com", name: "X" }, { "x-api-key": "" }),
      );
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("ApiKey");
      expect(res.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
      const wrong = await driver.fetch(
        json("POST", "/api/users", { email: "x@example.com", name: "X" }, { "x-api-key": "nope" }),
      );
      expect(wrong.status).toBe(401);
      const traced = await driver.fetch(
        new Request(`${BASE}/api/users?limit=1`, { headers: { "x-request-id": "trace-abc.1" } }),
      );
      expect(traced.headers.get("x-request-id")).toBe("trace-abc.1");
      expect(traced.headers.get("ratelimit-limit")).toBe("120");
    });

    it("places an order once when the client retries with the same Idempotency-Key", async () => {
      const key = unique("idem");
      const first = await driver.fetch(
        json("POST", "/api/orders", { sku: "TEA-9", qty: 1 }, { "idempotency-key": key }),
      );
      expect(first.status).toBe(202);
      const again = await driver.fetch(
        json("POST", "/api/orders", { sku: "TEA-9", qty: 1 }, { "idempotency-key": key }),
      );
      expect(again.status).toBe(202);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      const different = await driver.fetch(
        json("POST", "/api/orders", { sku: "TEA-9", qty: 2 }, { "idempotency-key": key }),
      );
      expect(different.status).toBe(422);
    });

    it("fails a cron expression that has no handler instead of swallowing it", async () => {
      await expect(driver.fireCron("5 4 * * *", Date.now())).rejects.toThrow();
    });
  });
}
