import { afterEach, describe, expect, it, vi } from "vitest";
import { Skiff, type CronEvent } from "skiff";
import { cronSlug } from "skiff/adapter";
import { toCloudflare } from "skiff/cloudflare";
import { createTestRuntime } from "skiff/testing";
import { toVercel } from "skiff/vercel";
import { LocalScheduler } from "../../src/triggers/scheduler.js";

const quiet = { level: "error" as const, sink: () => undefined };

// Two handlers of one cron, registered with different spacing: each sees its own string, whatever was fired.
function app() {
  const seen: Array<[string, CronEvent]> = [];
  const skiff = new Skiff({ log: quiet });
  skiff.cron("0 9 * * MON-FRI", (event) => void seen.push(["plain", event]));
  skiff.cron("0  9 * *   MON-FRI", (event) => void seen.push(["spaced", event]));
  return { skiff, seen };
}

const crons = (seen: Array<[string, CronEvent]>) => Object.fromEntries(seen.map(([who, e]) => [who, e.cron]));
const REGISTERED = { plain: "0 9 * * MON-FRI", spaced: "0  9 * *   MON-FRI" };

afterEach(() => void vi.useRealTimers());

describe("handlers see the cron expression exactly as they registered it, on every platform", () => {
  it("in the testing runtime, fired under another spacing", async () => {
    const { skiff, seen } = app();
    await createTestRuntime(skiff).fireCron(" 0 9  * * MON-FRI ", 1_000);
    expect(crons(seen)).toEqual(REGISTERED);
    expect(seen.map(([, e]) => e.scheduledTime)).toEqual([1_000, 1_000]);
  });

  it("on Cloudflare, whose controller.cron is the string in wrangler's config", async () => {
    const { skiff, seen } = app();
    const worker = toCloudflare(skiff);
    const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} };
    await worker.scheduled?.(
      { cron: "0 9 * * MON-FRI", scheduledTime: 2_000, noRetry: () => undefined },
      {},
      ctx as never,
    );
    expect(crons(seen)).toEqual(REGISTERED);
  });

  it("on Vercel, whose path carries the expression's slug", async () => {
    const { skiff, seen } = app();
    const handlers = toVercel(skiff, {
      env: { VERCEL_ENV: "development" },
      now: () => Date.UTC(2026, 0, 5, 9, 12),
      drainOnRequest: false,
    });
    const res = await handlers.GET(
      new Request(`https://shop.vercel.app/__skiff/cron/${cronSlug("0 9 * * MON-FRI")}`),
    );
    expect(res.status).toBe(200);
    expect(crons(seen)).toEqual(REGISTERED);
    // 2026-01-05 is a Monday: a 09:12 invocation is the 09:00 run.
    expect(seen.map(([, e]) => e.scheduledTime)).toEqual([Date.UTC(2026, 0, 5, 9), Date.UTC(2026, 0, 5, 9)]);
  });

  it("in the local scheduler, at each occurrence, with the occurrence as scheduled time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(Date.UTC(2026, 0, 2, 8, 59, 30)); // a Friday
    const { skiff, seen } = app();
    const scheduler = new LocalScheduler(createTestRuntime(skiff).runtime, () => undefined);
    scheduler.start();
    expect(scheduler.nextRuns().map((r) => r.next?.toISOString())).toEqual(["2026-01-02T09:00:00.000Z"]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(crons(seen)).toEqual(REGISTERED);
    expect(seen.map(([, e]) => e.scheduledTime)).toEqual([Date.UTC(2026, 0, 2, 9), Date.UTC(2026, 0, 2, 9)]);
    // The next run is Monday's (the weekend is skipped), and stop() clears the timer.
    await vi.advanceTimersByTimeAsync(3 * 86_400_000 - 1);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.map(([, e]) => e.scheduledTime).at(-1)).toBe(Date.UTC(2026, 0, 5, 9));
    await scheduler.stop(100);
    await vi.advanceTimersByTimeAsync(7 * 86_400_000);
    expect(seen).toHaveLength(4);
  });

  it("in the local scheduler, across a wait longer than setTimeout holds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(Date.UTC(2026, 0, 1, 0, 0, 0));
    const fired: number[] = [];
    const skiff = new Skiff({ log: quiet }).cron("0 0 1 JUN *", (e) => void fired.push(e.scheduledTime));
    const scheduler = new LocalScheduler(createTestRuntime(skiff).runtime, () => undefined);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(Date.UTC(2026, 5, 1) - Date.now() - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([Date.UTC(2026, 5, 1)]);
    await scheduler.stop(100);
  });
});
