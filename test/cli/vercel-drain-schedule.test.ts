import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { resolveProject } from "../../src/cli/project.js";

const root = fileURLToPath(new URL("./fixtures/vercel-drain", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "skiff-vercel-drain-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("package.json skiff.vercel.drainSchedule", () => {
  it("is the schedule of the drain path in the generated vercel.json (Pro)", async () => {
    const config = join(tmp, "pro-vercel.json");
    writeFileSync(config, JSON.stringify({ crons: [] })); // the Cron Jobs form; Schedules: build-schedules.test.ts
    const pro = await runBuild({ root, target: "vercel", plan: "pro", config, outDir: join(tmp, "pro") });
    expect(pro).toMatchObject({ ok: true, written: [config] });
    expect(JSON.parse(readFileSync(config, "utf8")).crons).toEqual([
      { path: "/api/__skiff/queues/drain", schedule: "* * * * *" },
    ]);
  });

  it("breaks the Hobby rule when it runs more than once a day, and then vercel.json is not written", async () => {
    const config = join(tmp, "hobby-vercel.json");
    const hobby = await runBuild({ root, target: "vercel", config, outDir: join(tmp, "hobby") });
    expect(hobby.ok).toBe(false);
    expect(hobby.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('skiff.vercel.drainSchedule "* * * * *" runs more than once a day'),
    ]);
    expect(hobby.written).toEqual([]);
  });

  it("must be a cron expression or false", () => {
    expect(resolveProject({ root }).vercelDrainSchedule).toBe("* * * * *");
    expect(() => resolveProject({ root: join(root, "..", "vercel-drain-bad") })).toThrow(
      /"skiff.vercel.drainSchedule" in .*package.json must be a cron expression or false/,
    );
  });
});
