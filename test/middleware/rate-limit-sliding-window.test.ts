import { afterAll, describe, expect, it } from "vitest";
import { retryAfterMs, toSeconds, windowPosition } from "../../middleware/rate-limit/window.js";
import { harnesses, limited, T0, statuses, count, times } from "./support/rate-limit.js";

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

// ---- the sliding window ----

describe("sliding window math", () => {
  it("weighs in the previous window by how much of it still overlaps", async () => {
    const t = limited({ limit: 10, windowSeconds: 60, algorithm: "sliding" }, {}, T0);
    expect(count(await times(12, () => t.hit()), 200)).toBe(10); // window 0: 10 pass

    // Half-way through window 1: 10 × 0.5 = 5 still count, so 5 more pass.
    t.clock.now = T0 + 90_000;
    const half = await times(6, () => t.hit());
    expect(statuses(half)).toEqual([200, 200, 200, 200, 200, 429]);
    // The previous window's share drops below 5 a moment later: Retry-After is the next whole second.
    expect(half[5]!.headers.get("retry-after")).toBe("1");
    t.clock.now = T0 + 91_000; // weight 29/60: floor(4.83) = 4, plus 5 = 9 → one more
    expect(statuses(await times(2, () => t.hit()))).toEqual([200, 429]);

    // Near the end of window 1 the previous window barely counts: floor(10 × 6/60) = 1, plus 6 = 7 → 3 more.
    t.clock.now = T0 + 114_000;
    expect(count(await times(5, () => t.hit()), 200)).toBe(3);
  });

  it("computes Retry-After into the next window when the current one alone is full", () => {
    const w = 60_000;
    // 10 used of 10 in the current window: wait for the window to end, then for 10 × w' to fall below 10 (1 ms).
    const pos = windowPosition(T0 + 15_000, w, "sliding");
    expect(retryAfterMs(0, 10, 10, pos, w, "sliding")).toBe(45_001);
    expect(toSeconds(45_001)).toBe(46);
    // 20 counted (a lower limit since): the next window must be half over.
    expect(retryAfterMs(0, 20, 10, pos, w, "sliding")).toBe(45_000 + 30_001);
    // Fixed: just the end of the window.
    expect(retryAfterMs(0, 10, 10, windowPosition(T0 + 15_000, w, "fixed"), w, "fixed")).toBe(45_000);
  });

  it("agrees with SQLite's truncation for fractional weights", () => {
    const pos = windowPosition(T0 + 40_000, 60_000, "sliding");
    expect(pos.weight).toBeCloseTo(1 / 3);
    expect(retryAfterMs(9, 7, 10, pos, 60_000, "sliding")).toBeGreaterThan(0);
  });
});
