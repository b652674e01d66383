import { Skiff } from "skiff";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { idempotency, type IdempotencyOptions } from "../../middleware/idempotency/index.js";
import { inProcess, gates, gate, post, problemOf, uniqueKey } from "./support/idempotency.js";

// A failed assertion must not leave a handler waiting forever on a gate.
afterEach(() => gates.splice(0).forEach((open) => open()));

// ---- the contract, on both stores ----

describe.each(["db", "kv"] as const)("idempotency() with store %s", (store) => {
  const harnesses: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });
  const setup = (
    options: IdempotencyOptions = {},
    handler?: (c: import("hono").Context) => Response | Promise<Response>,
  ) => {
    const app = new Skiff();
    const state = { runs: 0 };
    app.use("/api/*", idempotency({ store, ...options }));
    app.all("/api/orders", async (c) => {
      state.runs++;
      if (handler) return handler(c);
      const body = await c.req.text();
      return c.json({ run: state.runs, body }, 201);
    });
    const h = inProcess(app);
    harnesses.push(h);
    return { ...h, state };
  };

  it("replays status, headers and body bytes with Idempotent-Replayed, without running the handler again", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 10, 13]);
    const t = setup(
      {},
      () =>
        new Response(bytes, {
          status: 202,
          headers: { "content-type": "application/octet-stream", "x-job": "j1", "set-cookie": "s=1" },
        }),
    );
    const key = uniqueKey();
    const first = await t.fetch("/api/orders", post(key));
    expect(first.status).toBe(202);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(bytes);

    const second = await t.fetch("/api/orders", post(key));
    expect(second.status).toBe(202);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("x-job")).toBe("j1");
    expect(second.headers.get("content-type")).toBe("application/octet-stream");
    expect(second.headers.get("set-cookie")).toBeNull(); // a session belongs to the request that made it
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(bytes);
    expect(t.state.runs).toBe(1);
  });

  it("answers 422 when the key is reused with a different body, path or method", async () => {
    const t = setup();
    const key = uniqueKey();
    expect((await t.fetch("/api/orders", post(key, { qty: 1 }))).status).toBe(201);
    const otherBody = await t.fetch("/api/orders", post(key, { qty: 2 }));
    expect(otherBody.status).toBe(422);
    expect(await problemOf(otherBody)).toMatchObject({
      status: 422,
      title: "Unprocessable Content",
      type: "about:blank",
    });
    expect((await t.fetch("/api/orders?x=1", post(key, { qty: 1 }))).status).toBe(422);
    expect((await t.fetch("/api/orders", { ...post(key, { qty: 1 }), method: "PUT" })).status).toBe(422);
    expect(t.state.runs).toBe(1);
  });

  it("answers 409 with Retry-After while the first request still runs, then replays once it finishes", async () => {
    const g = gate();
    const t = setup({}, async (c) => {
      await g.wait;
      return c.json({ done: true }, 201);
    });
    const key = uniqueKey();
    const first = t.fetch("/api/orders", post(key));
    await new Promise((r) => setTimeout(r, 50));
    const during = await t.fetch("/api/orders", post(key));
    expect(during.status).toBe(409);
    expect(during.headers.get("retry-after")).toBe("1");
    expect((await problemOf(during)).title).toBe("Conflict");
    g.open();
    expect((await first).status).toBe(201);
    const after = await t.fetch("/api/orders", post(key));
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(t.state.runs).toBe(1);
  });

  it("releases the key when the handler throws or answers 5xx, so the retry runs; a returned 4xx is kept", async () => {
    let outcome: "throw" | "503" | "404" | "ok" = "throw";
    const t = setup({}, (c) => {
      if (outcome === "throw") throw new Error("database unavailable");
      if (outcome === "503") return c.json({ down: true }, 503);
      if (outcome === "404") return c.json({ missing: true }, 404);
      return c.json({ ok: true }, 201);
    });
    const key = uniqueKey();
    expect((await t.fetch("/api/orders", post(key))).status).toBe(500);
    outcome = "503";
    expect((await t.fetch("/api/orders", post(key))).status).toBe(503);
    outcome = "ok";
    expect((await t.fetch("/api/orders", post(key))).status).toBe(201);
    expect(t.state.runs).toBe(3);

    const other = uniqueKey();
    outcome = "404";
    expect((await t.fetch("/api/orders", post(other))).status).toBe(404);
    outcome = "ok";
    const replayed = await t.fetch("/api/orders", post(other));
    expect(replayed.status).toBe(404);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(t.state.runs).toBe(4);
  });

  it("forgets an entry after ttlSeconds", async () => {
    let now = Date.now();
    const t = setup({ ttlSeconds: 3600, now: () => now });
    const key = uniqueKey();
    await t.fetch("/api/orders", post(key));
    now += 3599_000;
    expect((await t.fetch("/api/orders", post(key))).headers.get("idempotent-replayed")).toBe("true");
    now += 2000;
    const fresh = await t.fetch("/api/orders", post(key));
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    expect(t.state.runs).toBe(2);
  });

  it("lets a retry take over a key whose holder outlived lockSeconds, and fences the late holder's write", async () => {
    let now = Date.now();
    const g = gate();
    let calls = 0;
    const t = setup({ lockSeconds: 30, now: () => now }, async (c) => {
      const mine = ++calls;
      if (mine === 1) await g.wait; // the "crashed" first attempt
      return c.json({ attempt: mine }, 201);
    });
    const key = uniqueKey();
    const stuck = t.fetch("/api/orders", post(key));
    await new Promise((r) => setTimeout(r, 50));
    now += 31_000;
    const takeover = await t.fetch("/api/orders", post(key));
    expect(await takeover.json()).toEqual({ attempt: 2 });
    g.open();
    expect(await (await stuck).json()).toEqual({ attempt: 1 });
    // The stored answer is the takeover's: the first holder lost its claim and could not overwrite it.
    const replay = await t.fetch("/api/orders", post(key));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual({ attempt: 2 });
  });

  it("keeps different credentials apart: the same key under another Authorization runs on its own", async () => {
    const t = setup();
    const key = uniqueKey();
    await t.fetch("/api/orders", post(key, {}, { authorization: "Bearer alice" }));
    const bob = await t.fetch("/api/orders", post(key, {}, { authorization: "Bearer bob" }));
    expect(bob.headers.get("idempotent-replayed")).toBeNull();
    expect(t.state.runs).toBe(2);
  });

  it("lets the handler read the body however it likes", async () => {
    const t = setup({}, async (c) => {
      const [json, raw] = [await c.req.json<{ n: number }>(), await c.req.raw.text()];
      return c.json({ json, raw }, 201);
    });
    const res = await t.fetch("/api/orders", post(uniqueKey(), { n: 7 }));
    expect(await res.json()).toEqual({ json: { n: 7 }, raw: '{"n":7}' });
  });

  it("passes requests without the header, and safe methods, straight through", async () => {
    const t = setup();
    await t.fetch("/api/orders", post(undefined));
    await t.fetch("/api/orders", post(undefined));
    const key = uniqueKey();
    await t.fetch("/api/orders", { headers: { "Idempotency-Key": key } });
    await t.fetch("/api/orders", { headers: { "Idempotency-Key": key } });
    expect(t.state.runs).toBe(4);
  });

  it("accepts a quoted key (the IETF structured-field form) as the same key", async () => {
    const t = setup();
    const key = uniqueKey();
    await t.fetch("/api/orders", post(key));
    const res = await t.fetch("/api/orders", post(`"${key}"`));
    expect(res.headers.get("idempotent-replayed")).toBe("true");
  });

  it("rejects a malformed key, and a missing one when required, with 400", async () => {
    const t = setup({ required: true });
    const missing = await t.fetch("/api/orders", post(undefined));
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).detail).toMatch(/requires an Idempotency-Key/);
    expect((await t.fetch("/api/orders", post("x".repeat(256)))).status).toBe(400);
    expect((await t.fetch("/api/orders", post("caf\u00e9"))).status).toBe(400);
    expect(t.state.runs).toBe(0);
  });
});
