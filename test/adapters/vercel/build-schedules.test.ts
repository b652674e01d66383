import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../../src/cli/run/build.js";
import { runCheck } from "../../../src/cli/run/check.js";

// A copy of the CLI's basic fixture (two crons, the consumed queue "jobs"), inside the repository so that the
// generated route files resolve "skiff/vercel" like a user's project does.
const here = fileURLToPath(new URL(".", import.meta.url));
const fixture = fileURLToPath(new URL("../../cli/fixtures/basic", import.meta.url));
const repo = fileURLToPath(new URL("../../..", import.meta.url));
const work = mkdtempSync(join(here, ".build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function project(name: string, vercel?: Record<string, unknown>) {
  const root = join(work, name);
  cpSync(fixture, root, { recursive: true });
  rmSync(join(root, "vercel", "vercel.json"));
  // Its own package.json ends the repository's package scope, so "skiff" resolves the way a user's install does.
  mkdirSync(join(root, "node_modules"));
  symlinkSync(repo, join(root, "node_modules", "skiff"), "dir");
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ type: "module", skiff: { app: "app.ts", ...(vercel ? { vercel } : {}) } }),
  );
  const config = join(root, "vercel", "vercel.json");
  const read = () => JSON.parse(readFileSync(config, "utf8")) as Record<string, unknown>;
  const build = () => runBuild({ root, target: "vercel", plan: "pro", outDir: join(root, ".out") });
  const check = async () =>
    (await runCheck({ root, targets: ["vercel"], plan: "pro", bundle: false })).problems.map(
      (p) => p.message,
    );
  return { root, config, read, build, check };
}

const FN = "app/api/skiff/schedule/route.ts";

describe("skiff build --target vercel: Vercel Schedules and Queues", () => {
  it("writes the crons as Schedules on a private function, the drain as a schedule, and the function's route file", async () => {
    const p = project("schedules");
    const built = await p.build();
    expect(built.ok).toBe(true);
    const route = join(p.root, "vercel", FN);
    expect(built.written).toEqual(["vercel/vercel.json", `vercel/${FN}`]);
    expect(p.read()).toEqual({
      $schema: "https://openapi.vercel.sh/vercel.json",
      schedules: {
        "skiff-cron-x.s15_x_x_x_x": { schedule: "*/15 * * * *", timezone: "UTC", function: FN },
        "skiff-cron-0_3_x_x_MON-FRI": { schedule: "0 3 * * 1-5", timezone: "UTC", function: FN },
        "skiff-queues-drain": { schedule: "0 0 * * *", timezone: "UTC", function: FN },
      },
      functions: { [FN]: { experimentalTriggers: [{ type: "schedule/v1beta" }] } },
    });
    expect(readFileSync(route, "utf8")).toContain('import { app } from "../../../../../app.js";');
    expect(await p.check()).toEqual([]);
    expect((await p.build()).written).toEqual([]); // up to date: nothing rewritten

    // The generated route is a working schedule function: a run of the weekday cron answers with its scheduled time.
    const { POST } = (await import(pathToFileURL(route).href)) as { POST: (r: Request) => Promise<Response> };
    // The weekday cron touches no binding: the URL is only there for the runtime to assemble, and never dialled.
    const saved = process.env.TURSO_DATABASE_URL;
    process.env.TURSO_DATABASE_URL = "http://127.0.0.1:9";
    const res = await POST(
      new Request("https://x.vercel.app/api/skiff/schedule", {
        method: "POST",
        body: JSON.stringify({ name: "skiff-cron-0_3_x_x_MON-FRI", scheduledAt: "2026-01-05T03:00:00.000Z" }),
      }),
    );
    if (saved === undefined) delete process.env.TURSO_DATABASE_URL;
    else process.env.TURSO_DATABASE_URL = saved;
    expect(await res.json()).toEqual({
      name: "skiff-cron-0_3_x_x_MON-FRI",
      cron: "0 3 * * MON-FRI",
      scheduledTime: "2026-01-05T03:00:00.000Z",
    });
  });

  it("flags drift: a cron in both forms, a stale schedule, a changed one, a missing trigger and an edited route file", async () => {
    const p = project("drift");
    await p.build();
    const config = p.read() as { schedules: Record<string, unknown>; functions: Record<string, unknown> };
    config.schedules["skiff-cron-0_4_x_x_x"] = { schedule: "0 4 * * *", timezone: "UTC", function: FN };
    config.schedules["skiff-cron-0_3_x_x_MON-FRI"] = {
      schedule: "0 3 * * 1-5",
      timezone: "Europe/Paris",
      function: FN,
    };
    delete config.functions[FN];
    writeFileSync(
      p.config,
      JSON.stringify({
        ...config,
        crons: [{ path: "/api/__skiff/cron/*%2F15_*_*_*_*", schedule: "*/15 * * * *" }],
      }),
    );
    writeFileSync(join(p.root, "vercel", FN), "// edited\n");
    expect(await p.check()).toEqual([
      'schedules."skiff-cron-0_3_x_x_MON-FRI" is {"schedule":"0 3 * * 1-5","timezone":"Europe/Paris","function":"app/api/skiff/schedule/route.ts"}, expected {"schedule":"0 3 * * 1-5","timezone":"UTC","function":"app/api/skiff/schedule/route.ts"}; run skiff build --target vercel',
      'schedules has "skiff-cron-0_4_x_x_x", which the app no longer registers as a schedule; run skiff build --target vercel',
      'crons has {"path":"/api/__skiff/cron/*%2F15_*_*_*_*","schedule":"*/15 * * * *"} and schedules has "skiff-cron-x.s15_x_x_x_x" for the same cron, so Vercel would run it twice; run skiff build --target vercel to keep only the schedule',
      `functions."${FN}".experimentalTriggers is missing, expected [{"type":"schedule/v1beta"}] (without it the schedule function is a public URL); run skiff build --target vercel`,
      `${FN} is out of date; run skiff build --target vercel to write it`,
    ]);
    await p.build();
    expect(await p.check()).toEqual([]);
    expect(p.read().crons).toEqual([]);
  });

  it('with skiff.vercel.queues "vercel", generates a Vercel Queues consumer route per consumed queue and no drain', async () => {
    const p = project("queues", { queues: "vercel", timezone: "Europe/Paris" });
    const built = await p.build();
    expect(built.ok).toBe(true);
    const consumer = "app/api/skiff/queues/jobs/route.ts";
    const config = p.read() as { schedules: Record<string, unknown>; functions: Record<string, unknown> };
    expect(Object.keys(config.schedules)).toEqual(["skiff-cron-x.s15_x_x_x_x", "skiff-cron-0_3_x_x_MON-FRI"]);
    expect(config.schedules["skiff-cron-x.s15_x_x_x_x"]).toMatchObject({ timezone: "Europe/Paris" });
    expect(config.functions[consumer]).toEqual({
      experimentalTriggers: [{ type: "queue/v2beta", topic: "jobs", retryAfterSeconds: 0 }],
    });
    const source = readFileSync(join(p.root, "vercel", consumer), "utf8");
    expect(source).toContain('import { handleCallback } from "@vercel/queue";');
    expect(source).toContain('const consumer = vercelQueueConsumer(app, "jobs", { queues: "vercel" });');
    expect(source).toContain("export const POST = handleCallback(consumer.handler, consumer.options);");
    expect(await p.check()).toEqual([]);
  });

  it('keeps the Cron Jobs form when asked (skiff.vercel.crons "cron-jobs") and writes no schedule function', async () => {
    const p = project("cron-jobs", { crons: "cron-jobs" });
    expect((await p.build()).ok).toBe(true);
    expect(p.read()).toEqual({
      $schema: "https://openapi.vercel.sh/vercel.json",
      crons: [
        { path: "/api/__skiff/cron/*%2F15_*_*_*_*", schedule: "*/15 * * * *" },
        { path: "/api/__skiff/cron/0_3_*_*_MON-FRI", schedule: "0 3 * * 1-5" },
        { path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" },
      ],
    });
    expect(existsSync(join(p.root, "vercel", FN))).toBe(false);
    writeFileSync(
      join(p.root, "package.json"),
      JSON.stringify({ skiff: { app: "app.ts", vercel: { crons: "weekly" } } }),
    );
    expect(await p.check()).toEqual([expect.stringContaining('"skiff.vercel.crons" in')]);
  });
});
