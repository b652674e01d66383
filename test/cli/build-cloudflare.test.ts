import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { run, repo, fixtures, basic, scratchDir } from "./support/build.js";

const tmp = scratchDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("skiff build --target cloudflare", () => {
  it("bundles the Worker under the Free limit, checks wrangler.toml, and wrangler deploy --dry-run accepts the bundle", async () => {
    const outDir = join(tmp, "cloudflare");
    const report = await runBuild({ ...basic, target: "cloudflare", outDir });
    expect(report).toMatchObject({
      ok: true,
      target: "cloudflare",
      runtime: "edge",
      entry: "worker.ts",
      problems: [],
      nodeImports: [],
    });
    expect(report.files).toEqual(["worker.js.map", "worker.js"]);
    expect(report.sizes.raw).toBe(statSync(join(outDir, "worker.js")).size);
    expect(report.sizes.gzip).toBeLessThan(report.sizes.raw);
    expect(report.limits).toEqual([
      {
        measure: "gzip",
        bytes: 3 * 1024 * 1024,
        label: "Workers Free: 3 MiB compressed",
        actual: report.sizes.gzip,
        ok: true,
      },
    ]);
    const deployable = JSON.parse(readFileSync(join(outDir, "wrangler.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(deployable).toMatchObject({
      name: "cli-fixture",
      main: "worker.js",
      no_bundle: true,
      triggers: { crons: ["*/15 * * * *", "0 3 * * MON-FRI"] },
    });

    // wrangler takes the bundle as is (no_bundle) and reports the same sizes skiff measured.
    const { stdout } = await run(
      join(repo, "node_modules/.bin/wrangler"),
      ["deploy", "-c", join(outDir, "wrangler.json"), "--dry-run", "--outdir", join(tmp, "wrangler-out")],
      {
        cwd: tmp,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      },
    );
    const kib = (n: number) => (n / 1024).toFixed(2);
    expect(stdout).toContain(
      `Total Upload: ${kib(report.sizes.raw)} KiB / gzip: ${kib(report.sizes.gzip)} KiB`,
    );
    expect(stdout).toMatch(/env\.JOBS \(jobs\)\s+Queue/);
    expect(stdout).toContain("--dry-run: exiting now.");
    expect(existsSync(join(tmp, "wrangler-out", "worker.js"))).toBe(true);
  }, 40_000);

  it("fails an edge bundle that pulls in a Node built-in, naming the import chain", async () => {
    const report = await runBuild({
      root: `${fixtures}/node-import`,
      app: "app.ts",
      target: "cloudflare",
      outDir: join(tmp, "node-import"),
    });
    expect(report.ok).toBe(false);
    expect(report.nodeImports).toEqual([
      { module: "node:fs", chain: ["worker.ts", "app.ts", "config.ts", "node:fs"] },
    ]);
    expect(report.problems[0]?.message).toBe(
      'the cloudflare bundle imports the Node built-in "node:fs", which edge runtimes do not have: worker.ts → app.ts → config.ts → node:fs',
    );
  });

  it("fails a bundle over the size limit (--limit), and says which limit", async () => {
    const report = await runBuild({
      ...basic,
      target: "cloudflare",
      limit: "10kb",
      outDir: join(tmp, "limit"),
    });
    expect(report.ok).toBe(false);
    expect(report.limits[0]).toMatchObject({
      measure: "gzip",
      bytes: 10 * 1024,
      label: "--limit 10.00 KiB",
      ok: false,
    });
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^the cloudflare bundle is [\d.]+ KiB gzip, over the limit of 10\.00 KiB \(--limit 10\.00 KiB\)$/,
      ),
    ]);
  });
});
