import { existsSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/run/check.js";
import { fixtures, shop, scratchDir } from "./support/build.js";

const tmp = scratchDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("skiff check", () => {
  it("passes the example shop on every target, bundling the edge ones in memory", async () => {
    const report = await runCheck({ ...shop });
    expect(report.problems).toEqual([]);
    expect(report.targets).toEqual([
      { target: "cloudflare", entry: "examples/shop/worker.ts", skipped: null, problems: 0 },
      {
        target: "vercel",
        entry: "examples/shop/vercel/app/api/[[...route]]/route.ts",
        skipped: null,
        problems: 0,
      },
      { target: "lambda", entry: "examples/shop/lambda.ts", skipped: null, problems: 0 },
      { target: "node", entry: "examples/shop/node.ts", skipped: null, problems: 0 },
      // Found next to the app, like node.ts; deno is an edge bundle (checked in memory), bun a Node-style one.
      { target: "deno", entry: "examples/shop/deno.ts", skipped: null, problems: 0 },
      { target: "bun", entry: "examples/shop/bun.ts", skipped: null, problems: 0 },
      { target: "azure", entry: "examples/shop/azure.ts", skipped: null, problems: 0 },
      { target: "gcp", entry: "examples/shop/gcp.ts", skipped: null, problems: 0 },
      // Netlify's entry is the module the generated functions import, in the site's netlify/ folder.
      { target: "netlify", entry: "examples/shop/netlify/skiff.ts", skipped: null, problems: 0 },
    ]);
  }, 20_000);

  it("finds the Node import in an edge bundle without building, skips targets without an entry, and fails named ones", async () => {
    const report = await runCheck({ root: `${fixtures}/node-import`, app: "app.ts" });
    expect(report.targets.map((t) => [t.target, t.skipped === null])).toEqual([
      ["cloudflare", true],
      ["vercel", false],
      ["lambda", false],
      ["node", false],
      ["deno", false],
      ["bun", false],
      ["azure", false],
      ["gcp", false],
      ["netlify", false],
    ]);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^does not exist; create it with$/), // wrangler.toml
      expect.stringContaining("worker.ts → app.ts → config.ts → node:fs"),
      // Vercel's route handler is found by layout: not finding one is said, as a warning.
      expect.stringMatching(
        /^no Vercel route handler found: looked for app\/api\/\[\[\.\.\.route\]\]\/route\.ts/,
      ),
    ]);
    expect(report.problems[2]?.severity).toBe("warning");
    expect(existsSync(`${fixtures}/node-import/.skiff`)).toBe(false); // nothing written
    const named = await runCheck({ root: `${fixtures}/node-import`, app: "app.ts", targets: ["lambda"] });
    expect(named.ok).toBe(false);
    expect(named.problems[0]?.message).toMatch(/^no AWS Lambda entry: lambda\.ts does not exist/);
  });
});
