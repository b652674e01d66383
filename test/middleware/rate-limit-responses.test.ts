import { Skiff } from "skiff";
import { afterAll, describe, expect, it } from "vitest";
import { rateLimit } from "../../middleware/rate-limit/index.js";
import { inProcess, harnesses, limited, T0, statuses, times } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- headers and the 429 ----

describe("rateLimit responses", () => {
  it("sends RateLimit-Limit, -Remaining, -Reset and -Policy on every response and exposes c.var.rateLimit", async () => {
    const t = limited({ limit: 3, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 15_000);
    const res = await t.hit();
    expect(res.status).toBe(200);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith("ratelimit")))).toEqual({
      "ratelimit-limit": "3",
      "ratelimit-remaining": "2",
      "ratelimit-reset": "45",
      "ratelimit-policy": "3;w=60",
    });
    expect(await res.json()).toEqual({ remaining: 2 });
    expect((await t.hit()).headers.get("ratelimit-remaining")).toBe("1");
  });

  it("answers 429 as application/problem+json with Retry-After once the limit is spent", async () => {
    const t = limited({ limit: 2, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 20_000);
    await times(2, () => t.hit());
    const res = await t.hit();
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("40");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-reset")).toBe("40");
    expect(await res.json()).toMatchObject({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: "At most 2 requests per 60 s are allowed; retry in 40 s",
    });
  });

  it("resets a fixed window at the boundary, and does not count rejected requests", async () => {
    const t = limited({ limit: 2, windowSeconds: 60, algorithm: "fixed" }, {}, T0 + 59_000);
    expect(statuses(await times(5, () => t.hit()))).toEqual([200, 200, 429, 429, 429]);
    t.clock.now = T0 + 60_000;
    expect(statuses(await times(3, () => t.hit()))).toEqual([200, 200, 429]);
  });

  it("adds headers to responses a handler builds itself and to error responses", async () => {
    const app = new Skiff();
    app.use(rateLimit({ limit: 5, windowSeconds: 60 }));
    app.get("/raw", () => new Response("raw"));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    const t = inProcess(app);
    harnesses.push(t);
    expect((await t.fetch("/raw")).headers.get("ratelimit-limit")).toBe("5");
    expect((await t.fetch("/boom")).headers.get("ratelimit-remaining")).toBe("3");
  });
});
