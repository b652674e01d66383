import { type Env, Hono } from "hono";
import { type IncomingMessage, type KVStore, type Logger, MemoryKV, type QueueSchemas, Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { idempotency, idempotentConsumer, type IdempotencyOptions } from "../../middleware/idempotency/index.js";

// ---- harness: the only Node-specific part; the cases below use fetch-shaped calls and web APIs only ----

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** An app on real local bindings (a temp libSQL file, MemoryKV) called in-process, as an adapter would. */
function inProcess<E extends Env, Q extends QueueSchemas>(app: Skiff<E, Q>, kv: KVStore = new MemoryKV()) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), kv, log: silent });
  return {
    runtime: t.runtime,
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    deliver: (queue: string, messages: IncomingMessage[]) => t.deliver(queue, messages),
    close: () => t.close(),
  };
}

const gates: Array<() => void> = [];
// A failed assertion must not leave a handler waiting forever on a gate.
afterEach(() => gates.splice(0).forEach((open) => open()));

/** A promise to hold a handler open until the test lets it finish. */
function gate() {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  return { wait, open };
}

const post = (
  key: string | undefined,
  body: unknown = { sku: "a", qty: 1 },
  headers: Record<string, string> = {},
): RequestInit => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    ...(key === undefined ? {} : { "Idempotency-Key": key }),
    ...headers,
  },
  body: JSON.stringify(body),
});

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { type: string; title: string; status: number; detail?: string };
}

let counter = 0;
const uniqueKey = () => `key-${Date.now().toString(36)}-${(counter++).toString(36)}`;

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

describe("idempotency() with other middleware", () => {
  it("claims nothing for a body bodyLimit() rejects (register bodyLimit first)", async () => {
    const app = new Skiff();
    let runs = 0;
    app.post("/upload", bodyLimit({ maxBytes: 16 }), idempotency(), (c) => (runs++, c.text("stored", 201)));
    const t = inProcess(app);
    const key = uniqueKey();
    // Chunked, with no Content-Length: the limit trips while idempotency() reads the body for its fingerprint.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8)));
        controller.close();
      },
    });
    const big = await t.fetch("/upload", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(big.status).toBe(413);
    const small = await t.fetch("/upload", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: "x",
    });
    expect(small.status).toBe(201);
    expect(runs).toBe(1);
    await t.close();
  });
});

describe("idempotency() setup", () => {
  it.each([
    [{ ttlSeconds: 30 }, /ttlSeconds must be a whole number of seconds ≥ 60/],
    [{ lockSeconds: 0 }, /lockSeconds/],
    [{ lockSeconds: 100, ttlSeconds: 60 }, /lockSeconds/],
    [{ store: "redis" }, /store must be "db" or "kv"/],
    [{ headerName: "Bad Header" }, /headerName/],
    [{ methods: ["post"] }, /methods/],
    [{ scope: "user" }, /scope must be a function/],
  ])("rejects %j at setup with a [skiff] error naming the option", (options, message) => {
    expect(() => idempotency(options as IdempotencyOptions)).toThrow(message);
    expect(() => idempotency(options as IdempotencyOptions)).toThrow(/^\[skiff\] idempotency: /);
  });

  it("explains a missing db binding when used on an app without skiff's runtime", async () => {
    const app = new Hono();
    let seen: unknown;
    app.onError((error, c) => ((seen = error), c.text("boom", 500)));
    app.post("/", idempotency(), (c) => c.text("ok"));
    await app.request("/", post("k"));
    expect(String(seen)).toMatch(/\[skiff\] idempotency: store "db" needs the skiff db binding/);
  });
});

// ---- queue consumers ----

const Job = z.object({ jobId: z.string() });
const message = (id: string, jobId: string, attempts = 1): IncomingMessage => ({
  id,
  body: { jobId },
  attempts,
  timestamp: new Date(),
});

describe.each(["db", "kv"] as const)("idempotentConsumer() with store %s", (store) => {
  const harnesses: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });
  const setup = (handler: (jobId: string, attempts: number) => Promise<void> | void, key?: "body") => {
    const app = new Skiff({ queues: { jobs: Job } });
    const state = { runs: 0 };
    app.queue(
      "jobs",
      idempotentConsumer(
        async (m) => {
          state.runs++;
          await handler(m.body.jobId, m.attempts);
        },
        { store, ...(key ? { key: (m) => m.body.jobId, scope: "jobs" } : {}) },
      ),
    );
    const h = inProcess(app);
    harnesses.push(h);
    return { ...h, state };
  };

  it("acks a redelivered message without running the handler again", async () => {
    const t = setup(() => undefined);
    expect(await t.deliver("jobs", [message("m1", "a")])).toEqual([{ id: "m1", outcome: "acked" }]);
    expect(await t.deliver("jobs", [message("m1", "a", 2)])).toEqual([{ id: "m1", outcome: "acked" }]);
    expect(t.state.runs).toBe(1);
  });

  it("retries a redelivery that overlaps a delivery still running, after the holder's lock", async () => {
    const g = gate();
    const t = setup(() => g.wait);
    const first = t.deliver("jobs", [message("m2", "b")]);
    await new Promise((r) => setTimeout(r, 50));
    const overlap = await t.deliver("jobs", [message("m2", "b", 2)]);
    expect(overlap[0]).toMatchObject({ id: "m2", outcome: "retried" });
    expect(overlap[0]!.delaySeconds).toBeGreaterThanOrEqual(1);
    g.open();
    expect(await first).toEqual([{ id: "m2", outcome: "acked" }]);
    expect(t.state.runs).toBe(1);
  });

  it("releases the key when the handler throws or calls retry(), so the platform's retry runs it", async () => {
    let fail = true;
    const t = setup((_, attempts) => {
      if (fail) throw new Error(`attempt ${attempts} failed`);
    });
    expect((await t.deliver("jobs", [message("m3", "c", 1)]))[0]!.outcome).toBe("retried");
    fail = false;
    expect((await t.deliver("jobs", [message("m3", "c", 2)]))[0]!.outcome).toBe("acked");
    expect((await t.deliver("jobs", [message("m3", "c", 3)]))[0]!.outcome).toBe("acked");
    expect(t.state.runs).toBe(2);
  });

  it("deduplicates by a key from the body when given one (two sends of the same job)", async () => {
    const t = setup(() => undefined, "body");
    await t.deliver("jobs", [message("m4", "job-7"), message("m5", "job-7")]);
    await t.deliver("jobs", [message("m6", "job-8")]);
    expect(t.state.runs).toBe(2);
  });
});

describe("idempotentConsumer() types and setup", () => {
  it("keeps the queue's message type when passed to app.queue()", () => {
    const app = new Skiff({ queues: { jobs: Job } });
    app.queue(
      "jobs",
      idempotentConsumer(async (m) => {
        expectTypeOf(m.body).toEqualTypeOf<{ jobId: string }>();
      }),
    );
  });

  it("rejects bad options at setup", () => {
    expect(() => idempotentConsumer(() => undefined, { ttlSeconds: 1 })).toThrow(
      /^\[skiff\] idempotentConsumer: ttlSeconds/,
    );
    expect(() => idempotentConsumer(() => undefined, { scope: "" })).toThrow(
      /^\[skiff\] idempotentConsumer: scope/,
    );
  });
});
