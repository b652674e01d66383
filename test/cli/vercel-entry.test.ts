import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { findRouteFile, routeLayout, routeRuntime } from "../../src/cli/targets/vercel/route-file.js";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const next = { root: join(fixtures, "vercel-next"), app: "app.ts" };
const tmp = mkdtempSync(join(tmpdir(), "skiff-vercel-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function project(files: string[]): string {
  const dir = join(tmp, `layout-${n++}`);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "export {};\n");
  }
  return dir;
}

describe("the Vercel route handler is found in the standard Next.js layouts", () => {
  it.each([
    ["app/api/[[...route]]/route.ts", "/api"],
    ["src/app/api/[[...route]]/route.ts", "/api"],
    ["app/api/[...slug]/route.js", "/api"],
    ["app/[[...route]]/route.ts", ""],
    ["src/app/[...path]/route.mjs", ""],
    ["pages/api/[[...route]].ts", "/api"],
    ["src/pages/api/[...route].js", "/api"],
    ["api/[[...route]].ts", "/api"],
  ])("%s, mounted at %j, with vercel.json at the project root", (file, basePath) => {
    const dir = project([file, "app.ts"]);
    const found = findRouteFile([dir]);
    expect(found).toBe(join(dir, file));
    expect(routeLayout(found as string)).toEqual({ projectDir: dir, basePath });
  });

  it("prefers an optional catch-all, App Router over Pages Router, and ignores what is not a catch-all handler", () => {
    const both = project([
      "app/api/[...route]/route.ts",
      "app/api/[[...route]]/route.ts",
      "pages/api/[[...route]].ts",
    ]);
    expect(findRouteFile([both])).toBe(join(both, "app/api/[[...route]]/route.ts"));
    const none = project([
      "app/api/users/route.ts",
      "pages/api/[[...route]].d.ts",
      "app/api/[[...route]]/page.ts",
    ]);
    expect(findRouteFile([none])).toBeUndefined();
  });

  it("reads the route's location even when the project itself sits in a directory called app or pages", () => {
    expect(routeLayout("/srv/app/pages/api/[[...route]].ts")).toEqual({
      projectDir: "/srv/app",
      basePath: "/api",
    });
    expect(routeLayout("/srv/pages/src/app/(hono)/v1/[[...route]]/route.ts")).toEqual({
      projectDir: "/srv/pages",
      basePath: "/v1",
    });
    expect(routeLayout("/srv/web/handler.ts")).toEqual({ projectDir: undefined, basePath: "" });
  });

  it("reads the edge runtime from App Router and Pages Router declarations", () => {
    expect(routeRuntime('export const runtime = "edge";')).toBe("edge");
    expect(routeRuntime("export const config = { runtime: 'edge' };")).toBe("edge");
    expect(routeRuntime('export const config = { maxDuration: 10, runtime: "edge" };')).toBe("edge");
    expect(routeRuntime('export const runtime = "nodejs";')).toBe("node");
    expect(routeRuntime("export const config = { maxDuration: 10 };")).toBe("node");
  });

  it("checks a Next.js project with the skiff app beside app/, and its vercel.json at the root", async () => {
    const report = await runCheck({ ...next, plan: "pro", bundle: false });
    expect(report.targets.find((t) => t.target === "vercel")).toEqual({
      target: "vercel",
      entry: "app/api/[[...route]]/route.ts",
      skipped: null,
      problems: 3,
    });
    // No vercel.json yet: crons default to Vercel Schedules on a private function beside the route handler.
    const fn = "app/api/skiff/schedule/route.ts";
    expect(report.problems.map((p) => p.message)).toEqual([
      `schedules lacks "skiff-cron-x.s15_x_x_x_x": {"schedule":"*/15 * * * *","timezone":"UTC","function":"${fn}"}; run skiff build --target vercel to write it`,
      `functions."${fn}".experimentalTriggers is missing, expected [{"type":"schedule/v1beta"}] (without it the schedule function is a public URL); run skiff build --target vercel`,
      `${fn} is missing; run skiff build --target vercel to write it`,
    ]);
  });

  it("takes the entry from skiff.entries.vercel in package.json (a monorepo's apps/web)", async () => {
    const root = join(fixtures, "vercel-monorepo");
    // Not in any layout the search knows from the root: only skiff.entries finds it.
    expect(findRouteFile([root, join(root, "server")], join(root, "server/vercel"))).toBeUndefined();
    const report = await runCheck({ root });
    expect(report.problems).toEqual([]);
    expect(report.targets.find((t) => t.target === "vercel")).toEqual({
      target: "vercel",
      entry: "apps/web/app/api/[[...route]]/route.ts",
      skipped: null,
      problems: 0,
    });
  });
});

describe("skiff check without a Vercel route handler", () => {
  const bare = { root: join(fixtures, "bare"), app: "app.ts" };

  it("says so as a warning, never a silent ok", async () => {
    const report = await runCheck(bare);
    expect(report.ok).toBe(true);
    expect(report.targets.find((t) => t.target === "vercel")).toMatchObject({ entry: null, problems: 1 });
    expect(report.problems).toEqual([
      {
        target: "vercel",
        severity: "warning",
        message: expect.stringMatching(
          /^no Vercel route handler found: looked for app\/api\/\[\[\.\.\.route\]\]\/route\.ts, .*, pages\/api\/\[\[\.\.\.route\]\]\.ts, .* under \., and for a route\.ts under vercel\. .*Its config was not checked; pass --target to check only the targets you deploy$/,
        ),
      },
    ]);
  });

  it("fails under --strict, from the command line too", async () => {
    const report = await runCheck({ ...bare, strict: true });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.target, p.severity])).toEqual([["vercel", "error"]]);

    const cli = (args: string[]) =>
      run(
        process.execPath,
        [join(repo, "src/cli/bin.mjs"), "check", "--root", bare.root, "--app", "app.ts", "--json", ...args],
        {
          env: { PATH: process.env.PATH },
        },
      ).then(
        ({ stdout }) => ({ code: 0, report: JSON.parse(stdout) as { ok: boolean } }),
        (error: { code: number; stdout: string }) => ({
          code: error.code,
          report: JSON.parse(error.stdout) as { ok: boolean },
        }),
      );
    expect(await cli([])).toMatchObject({ code: 0, report: { ok: true } });
    expect(await cli(["--strict"])).toMatchObject({ code: 1, report: { ok: false } });
  }, 30_000);
});

describe("skiff build --target vercel and the Hobby plan", () => {
  it("does not write vercel.json when a cron breaks the Hobby rule, and writes it on Pro", async () => {
    const config = join(tmp, "next-vercel.json");
    const hobby = await runBuild({ ...next, target: "vercel", config, outDir: join(tmp, "vercel-hobby") });
    expect(hobby.ok).toBe(false);
    expect(hobby.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('cron "*/15 * * * *" runs more than once a day, which the Hobby plan refuses'),
    ]);
    expect(hobby.written).toEqual([]);
    expect(existsSync(config)).toBe(false);

    writeFileSync(config, JSON.stringify({ crons: [] })); // the Cron Jobs form; Schedules: build-schedules.test.ts
    const pro = await runBuild({
      ...next,
      target: "vercel",
      plan: "pro",
      config,
      outDir: join(tmp, "vercel-pro"),
    });
    expect(pro).toMatchObject({ ok: true, written: [config] });
    expect(JSON.parse(readFileSync(config, "utf8")).crons).toEqual([
      { path: "/api/__skiff/cron/*%2F15_*_*_*_*", schedule: "*/15 * * * *" },
    ]);
  });
});
