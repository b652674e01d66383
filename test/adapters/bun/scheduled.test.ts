import { describe, expect, it, vi } from "vitest";
import { fixture, startBun } from "./support/bun-process.js";

describe("crons on Bun: one Bun.cron tick a minute, skiff's parser decides what is due", () => {
  it("fires each expression on its own minutes in UTC, L and # included, once per minute, an early tick counted for its minute", async () => {
    const bun = await startBun<{
      ready: true;
      ticks: Record<string, string[]>;
      nextRuns: Array<{ cron: string; next: string | null }>;
    }>(fixture("scheduler.ts"));
    const { ticks, nextRuns } = bun.ready;
    expect(ticks).toEqual({
      "2026-01-31T09:00:00.300Z": [
        "*/30 * * * * @ 2026-01-31T09:00:00.000Z",
        "0 9 * * * @ 2026-01-31T09:00:00.000Z",
        "0 9 L * * @ 2026-01-31T09:00:00.000Z",
      ],
      "2026-01-31T09:00:00.900Z": [],
      "2026-02-02T08:59:59.800Z": [
        "*/30 * * * * @ 2026-02-02T09:00:00.000Z",
        "0 9 * * * @ 2026-02-02T09:00:00.000Z",
        "0 9 * * MON#1 @ 2026-02-02T09:00:00.000Z",
      ],
      "2026-02-03T10:00:00.000Z": ["*/30 * * * * @ 2026-02-03T10:00:00.000Z"],
      "2026-02-03T10:17:00.000Z": [],
    });
    expect(nextRuns).toEqual([
      { cron: "0 9 * * *", next: "2026-02-01T09:00:00.000Z" },
      { cron: "0 9 L * *", next: "2026-02-28T09:00:00.000Z" },
      { cron: "*/30 * * * *", next: "2026-01-31T09:30:00.000Z" },
      { cron: "0 9 * * MON#1", next: "2026-02-02T09:00:00.000Z" },
      { cron: "0 10 * * *", next: "2026-01-31T10:00:00.000Z" },
    ]);
    // The failing run was logged by the dispatch (on stderr, which may be read after the ready line on stdout), and
    // the process went on to report.
    await vi.waitFor(() => expect(bun.output()).toContain("this run fails"), { timeout: 5_000 });
    expect(await bun.exited).toBe(0);
  });
});
