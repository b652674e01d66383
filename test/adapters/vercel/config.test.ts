import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { toVercel } from "skiff/vercel";
import {
  diffVercelCrons,
  vercelCrons,
  vercelSchedule,
  withVercelCrons,
} from "../../../src/cli/targets/vercel/vercel-config.js";
import { checkVercelJson, writeVercelJson } from "../../../src/cli/targets/vercel/vercel-json.js";
import { app as shop } from "../../../examples/shop/app.js";

const quiet = { level: "error" as const, sink: () => undefined };

describe("vercel.json generated from the app", () => {
  it("lists one cron entry per registered expression at the path toVercel serves, plus the queue drain", () => {
    // The daily report's app.cron(), the workflows' timer cron (the shop's `workflowTimers`), the queue drain.
    expect(vercelCrons(shop, { basePath: "/api" })).toEqual([
      { path: "/api/__skiff/cron/0_9_*_*_*", schedule: "0 9 * * *" },
      { path: "/api/__skiff/cron/0_0_*_*_*", schedule: "0 0 * * *" },
      { path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" },
    ]);
    expect(vercelCrons(shop, { basePath: "/api", drainSchedule: "* * * * *" })[2]).toEqual({
      path: "/api/__skiff/queues/drain",
      schedule: "* * * * *",
    });
    expect(vercelCrons(shop, { drainSchedule: false })).toEqual([
      { path: "/__skiff/cron/0_9_*_*_*", schedule: "0 9 * * *" },
      { path: "/__skiff/cron/0_0_*_*_*", schedule: "0 0 * * *" },
    ]);
  });

  it("is what the example ships: examples/shop/vercel/vercel.json has not drifted from the app", async () => {
    const diff = await checkVercelJson(
      shop,
      new URL("../../../examples/shop/vercel/vercel.json", import.meta.url),
      { basePath: "/api" },
    );
    expect(diff).toEqual({ ok: true, missing: [], stale: [] });
  });

  it("generates paths that the handlers accept: each entry runs its cron with the secret", async () => {
    const fired: string[] = [];
    const app = new Skiff({ log: quiet });
    for (const expression of ["0 9 * * *", "*/15 8-18 * * MON-FRI", "30 2 1 * *"])
      app.cron(expression, () => void fired.push(expression));
    const handlers = toVercel(app, {
      basePath: "/api",
      env: { CRON_SECRET: "secret" },
      drainOnRequest: false,
    });
    for (const { path } of vercelCrons(app, { basePath: "/api" })) {
      const res = await handlers.GET(
        new Request(`https://x.vercel.app${path}`, { headers: { authorization: "Bearer secret" } }),
      );
      expect(res.status, path).toBe(200);
    }
    expect(fired).toEqual(["0 9 * * *", "*/15 8-18 * * MON-FRI", "30 2 1 * *"]);
  });

  it("adds no drain entry for an app without queue consumers", () => {
    const app = new Skiff({ queues: { events: z.object({ id: z.string() }) }, log: quiet }); // produces only
    app.cron("0 0 * * *", () => undefined);
    expect(vercelCrons(app).map((c) => c.path)).toEqual(["/__skiff/cron/0_0_*_*_*"]);
  });

  it("translates weekday and month names, which skiff requires and Vercel refuses, into standard cron numbers", () => {
    const app = new Skiff({ log: quiet })
      .cron("0 9 * * MON-FRI", () => undefined)
      .cron("0 0 1 jan,JUL *", () => undefined);
    expect(vercelCrons(app)).toEqual([
      { path: "/__skiff/cron/0_9_*_*_MON-FRI", schedule: "0 9 * * 1-5" },
      { path: "/__skiff/cron/0_0_1_jan%2CJUL_*", schedule: "0 0 1 1,7 *" },
    ]);
    expect(vercelSchedule("0 22 * * SUN,SAT")).toBe("0 22 * * 0,6");
  });

  it("refuses expressions Vercel would reject at deploy time, naming them", () => {
    const last = new Skiff({ log: quiet }).cron("0 9 * * FRIL", () => undefined);
    expect(() => vercelCrons(last)).toThrow(/"0 9 \* \* FRIL".*no L, W or #/);
    const bothDays = new Skiff({ log: quiet }).cron("0 9 1 * MON", () => undefined);
    expect(() => vercelCrons(bothDays)).toThrow(/day-of-month and a day-of-week/);
  });

  it("keeps the user's own crons and other settings, and replaces stale skiff entries", () => {
    const config = {
      $schema: "https://openapi.vercel.sh/vercel.json",
      regions: ["fra1"],
      crons: [
        { path: "/api/my-own-job", schedule: "0 1 * * *" },
        { path: "/api/__skiff/cron/0_8_*_*_*", schedule: "0 8 * * *" }, // the app no longer has it
      ],
    };
    const diff = diffVercelCrons(config, shop, { basePath: "/api" });
    expect(diff.ok).toBe(false);
    expect(diff.stale).toEqual([{ path: "/api/__skiff/cron/0_8_*_*_*", schedule: "0 8 * * *" }]);
    expect(diff.missing).toEqual([
      { path: "/api/__skiff/cron/0_9_*_*_*", schedule: "0 9 * * *" },
      { path: "/api/__skiff/cron/0_0_*_*_*", schedule: "0 0 * * *" },
      { path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" },
    ]);
    const next = withVercelCrons(config, shop, { basePath: "/api" });
    expect(next).toEqual({
      $schema: "https://openapi.vercel.sh/vercel.json",
      regions: ["fra1"],
      crons: [{ path: "/api/my-own-job", schedule: "0 1 * * *" }, ...vercelCrons(shop, { basePath: "/api" })],
    });
    expect(diffVercelCrons(next, shop, { basePath: "/api" }).ok).toBe(true);
  });

  it("writes vercel.json (creating it when missing) and then checks clean", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "skiff-vercel-json-")), "vercel.json");
    expect((await checkVercelJson(shop, file, { basePath: "/api" })).ok).toBe(false);
    await writeVercelJson(shop, file, { basePath: "/api" });
    expect(JSON.parse(readFileSync(file, "utf8")).crons).toEqual(vercelCrons(shop, { basePath: "/api" }));
    expect((await checkVercelJson(shop, file, { basePath: "/api" })).ok).toBe(true);
    writeFileSync(file, "{ not json");
    await expect(checkVercelJson(shop, file)).rejects.toThrow(/not valid JSON/);
  });
});
