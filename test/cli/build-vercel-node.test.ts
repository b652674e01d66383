import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { fixtures, basic, scratchDir } from "./support/build.js";

const tmp = scratchDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("skiff build --target vercel and node", () => {
  it("bundles the edge route handler and writes the crons of vercel.json", async () => {
    const config = join(tmp, "vercel.json");
    copyFileSync(`${fixtures}/basic/vercel/vercel.json`, config);
    const before = statSync(config).mtimeMs;
    const same = await runBuild({
      ...basic,
      target: "vercel",
      plan: "pro",
      config,
      outDir: join(tmp, "vercel"),
    });
    expect(same).toMatchObject({
      ok: true,
      runtime: "edge",
      entry: "vercel/app/api/[[...route]]/route.ts",
      written: [],
      nodeImports: [],
    });
    expect(same.limits[0]).toMatchObject({
      measure: "gzip",
      bytes: 2 * 1024 * 1024,
      label: "Vercel Edge, Pro: 2 MiB gzipped",
    });
    expect(statSync(config).mtimeMs).toBe(before); // up to date: not rewritten

    // A project on the Cron Jobs form (a crons array, no schedules) keeps it; Schedules are the default otherwise
    // (test/adapters/vercel/build-schedules.test.ts).
    writeFileSync(config, JSON.stringify({ $schema: "https://openapi.vercel.sh/vercel.json", crons: [] }));
    const fresh = await runBuild({
      ...basic,
      target: "vercel",
      plan: "pro",
      config,
      outDir: join(tmp, "vercel"),
    });
    expect(fresh.written).toEqual([config]);
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({
      $schema: "https://openapi.vercel.sh/vercel.json",
      crons: [
        { path: "/api/__skiff/cron/*%2F15_*_*_*_*", schedule: "*/15 * * * *" },
        { path: "/api/__skiff/cron/0_3_*_*_MON-FRI", schedule: "0 3 * * 1-5" },
        { path: "/api/__skiff/queues/drain", schedule: "0 0 * * *" },
      ],
    });
    // Hobby runs a cron at most daily: the */15 heartbeat cannot deploy there.
    const hobby = await runCheck({ ...basic, targets: ["vercel"], config, bundle: false });
    expect(hobby.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('cron "*/15 * * * *" runs more than once a day, which the Hobby plan refuses'),
    ]);
  });

  it("bundles the Node server, which then serves from its own directory", async () => {
    const outDir = join(tmp, "node");
    const report = await runBuild({ ...basic, target: "node", outDir });
    expect(report).toMatchObject({ ok: true, runtime: "node", limits: [] });
    const child = spawn(process.execPath, [join(outDir, "server.mjs")], {
      cwd: outDir,
      env: { PATH: process.env.PATH, PORT: "0" },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(text);
          if (match?.[1]) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
      });
      const response = await fetch(`${url}/api/health`);
      expect(await response.json()).toEqual({ ok: true });
    } finally {
      child.kill("SIGTERM");
    }
  }, 20_000);
});
