import { describe, expect, it } from "vitest";
import { BUN, ROOT, fixture, startProcess } from "./support/bun-process.js";

// Up to a minute of waiting for the next minute boundary: too long for `npm test` (< 60 s for all Bun tests), so
// it runs with SKIFF_BUN_REAL_CRON=1. What it adds to scheduled.test.ts: Bun itself calls the tick, in time.
describe.runIf(process.env.SKIFF_BUN_REAL_CRON === "1")("Bun.cron firing for real", () => {
  it("runs a * * * * * cron at the next minute boundary, with that minute as its scheduled time", async () => {
    const cron = await startProcess<{ fired: number; at: number; cron: string }>(
      BUN,
      ["--no-install", "--conditions=skiff-source", fixture("cron-tick.ts")],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: "test" },
        timeoutMs: 70_000,
        isReady: (line) => typeof (line as { fired?: unknown }).fired === "number",
      },
    );
    try {
      const { fired, at } = cron.ready;
      expect(cron.ready.cron).toBe("* * * * *");
      expect(fired % 60_000).toBe(0);
      expect(at - fired).toBeGreaterThanOrEqual(-1_000);
      expect(at - fired).toBeLessThan(2_000);
    } finally {
      await cron.stop();
    }
  }, 75_000);
});
