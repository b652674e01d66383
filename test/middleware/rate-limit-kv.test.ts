import { MemoryKV } from "skiff/adapter";
import { afterAll, describe, expect, it, vi } from "vitest";
import { harnesses, limited, count, times } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- KV: approximate ----

describe("rateLimit on KV (approximate)", () => {
  it("is exact within one isolate", async () => {
    const t = limited({ limit: 5, windowSeconds: 60, store: "kv", algorithm: "fixed", key: () => "c" });
    expect(count(await Promise.all(Array.from({ length: 12 }, () => t.hit())), 200)).toBe(5);
  });

  it("writes each counter at most once per second, and catches up on the next write", async () => {
    const kv = new MemoryKV();
    const put = vi.spyOn(kv, "put");
    const t = limited(
      { limit: 100, windowSeconds: 60, store: "kv", algorithm: "fixed", key: () => "c" },
      { kv },
    );
    await times(20, () => t.hit());
    expect(put).toHaveBeenCalledTimes(1);
    t.clock.now += 1000;
    await t.hit();
    expect(put).toHaveBeenCalledTimes(2);
    const [key, value, options] = put.mock.calls[1]!;
    expect(key).toMatch(/^rl:fixed-100-60s:/);
    expect(value).toBe("21");
    expect(options).toEqual({ expirationTtl: 120 });
  });

  it("can let more than `limit` through across isolates, as KV's consistency allows, and converges once counts are written", async () => {
    const kv = new MemoryKV();
    const options = {
      limit: 10,
      windowSeconds: 60,
      store: "kv",
      algorithm: "fixed",
      key: () => "c",
    } as const;
    const a = limited(options, { kv });
    const b = limited(options, { kv });
    const passedA = count(await times(10, () => a.hit()), 200);
    const passedB = count(await times(10, () => b.hit()), 200);
    expect(passedA).toBe(10);
    expect(passedB).toBeGreaterThan(0); // B only saw A's first write
    expect(passedA + passedB).toBeLessThanOrEqual(20);
    a.clock.now += 1000;
    b.clock.now += 1000;
    await a.hit(); // A flushes its count (10)
    expect((await b.hit()).status).toBe(429);
  });
});
