import { afterAll, describe, expect, it } from "vitest";
import { harnesses, limited } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- Cloudflare's Rate Limiting binding ----

describe("rateLimit with the Cloudflare Rate Limiting binding", () => {
  it("asks env.<binding>.limit({ key }) and answers 429 with a whole window as Retry-After when it says no", async () => {
    const keys: string[] = [];
    let budget = 2;
    const LIMITER = {
      limit: async ({ key }: { key: string }) => (keys.push(key), { success: budget-- > 0 }),
    };
    const t = limited(
      { limit: 2, windowSeconds: 60, binding: "LIMITER" },
      { platform: "cloudflare", env: { LIMITER } },
    );
    const ok = await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("ratelimit-limit")).toBe("2");
    expect(ok.headers.get("ratelimit-remaining")).toBeNull(); // the binding does not say
    await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    const no = await t.hit({ "cf-connecting-ip": "203.0.113.5" });
    expect(no.status).toBe(429);
    expect(no.headers.get("retry-after")).toBe("60");
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toContain("203.0.113.5");
    // Nothing was counted in the database.
    await expect(t.db.client.execute("SELECT count(*) FROM _skiff_rate_limit")).rejects.toThrow(
      /no such table/,
    );
  });

  it("falls back to the store where the binding is absent (local dev)", async () => {
    const t = limited({ limit: 1, windowSeconds: 60, binding: "LIMITER" }, { platform: "node" });
    expect((await t.hit()).status).toBe(200);
    expect((await t.hit()).status).toBe(429);
  });
});
