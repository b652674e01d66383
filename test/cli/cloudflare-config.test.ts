import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { checkWrangler } from "../../src/cli/targets/cloudflare/wrangler-check.js";
import { findWranglerConfig, parseWranglerConfig } from "../../src/cli/targets/cloudflare/wrangler-config.js";
import { supportedCompatibilityDate, workerdBuiltins } from "../../src/cli/targets/cloudflare/workerd.js";
import { describeApp } from "../../src/cli/app/manifest.js";
import { loadApp } from "../../src/cli/app/load.js";
import { resolveProject } from "../../src/cli/project.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const nodeCompat = { root: `${fixtures}/cf-node-compat`, app: "app.ts" };
const precedence = { root: `${fixtures}/cf-precedence`, app: "app.ts" };
const tmp = mkdtempSync(join(tmpdir(), "skiff-cf-config-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The date the installed workerd package declares it supports (what Miniflare's supportedCompatibilityDate reads).
const workerdDate = (createRequire(import.meta.url)("workerd") as { compatibilityDate: string })
  .compatibilityDate;

async function serveOnce(options: ConstructorParameters<typeof Miniflare>[0], path: string) {
  const mf = new Miniflare(options);
  try {
    const response = await mf.dispatchFetch(`http://127.0.0.1${path}`);
    return { status: response.status, body: await response.text() };
  } finally {
    await mf.dispose();
  }
}

describe("the compatibility date skiff suggests", () => {
  it("is the newest the installed workerd supports, never after today, and workerd runs a Worker with it", async () => {
    expect(supportedCompatibilityDate(repo, new Date("2099-06-01T00:00:00Z"))).toBe(workerdDate);
    expect(supportedCompatibilityDate(repo, new Date("2020-01-02T12:00:00Z"))).toBe("2020-01-02");
    const today = new Date().toISOString().slice(0, 10);
    const date = supportedCompatibilityDate(repo);
    expect(date <= today && date <= workerdDate).toBe(true);

    // A project without a wrangler config is shown a whole wrangler.toml with that date.
    const report = await runCheck({
      root: `${fixtures}/node-import`,
      app: "app.ts",
      targets: ["cloudflare"],
      bundle: false,
    });
    const fix = report.problems[0]?.fix ?? "";
    expect(fix).toContain(`compatibility_date = "${date}"`);
    const suggested = /compatibility_date = "([\d-]+)"/.exec(fix)?.[1];
    const script = 'export default { fetch: () => new Response("up") }';
    expect(
      await serveOnce({ modules: true, script, compatibilityDate: suggested ?? "missing" }, "/"),
    ).toEqual({ status: 200, body: "up" });
  }, 30_000);

  it("errors on a missing or future date in the config, and warns on one newer than workerd supports", async () => {
    const manifest = describeApp(await loadApp(resolveProject(precedence)));
    const base =
      'main = "worker.ts"\n[[kv_namespaces]]\nbinding = "KV"\nid = "x"\n[triggers]\ncrons = ["0 9 * * *"]\n';
    const check = (source: string) =>
      checkWrangler(manifest, source, { file: "wrangler.toml", supportedDate: "2026-04-26" });
    expect(check(`compatibility_date = "2026-04-20"\n${base}`)).toEqual([]);
    expect(check(base)).toEqual([
      {
        target: "cloudflare",
        file: "wrangler.toml",
        message: "has no compatibility_date (wrangler deploy requires one)",
        fix: 'compatibility_date = "2026-04-26"',
      },
    ]);
    expect(check(`compatibility_date = "2999-01-01"\n${base}`)[0]?.message).toBe(
      'compatibility_date = "2999-01-01" is in the future: wrangler refuses it',
    );
    const jsonc =
      '{ "compatibility_date": "2026-05-01", "main": "worker.ts", // JSONC\n "kv_namespaces": [{ "binding": "KV", "id": "x" }], "triggers": { "crons": ["0 9 * * *"] }, }';
    const newer = checkWrangler(manifest, jsonc, { file: "wrangler.jsonc", supportedDate: "2026-04-26" });
    expect(newer).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: expect.stringMatching(
          /^compatibility_date = "2026-05-01" is later than the installed workerd supports \(2026-04-26\): wrangler dev refuses it/,
        ),
        fix: '{\n  "compatibility_date": "2026-04-26"\n}',
      }),
    ]);
  });
});

describe("wrangler.json and wrangler.jsonc, as well as wrangler.toml", () => {
  it("reads the file wrangler reads: wrangler.json, then wrangler.jsonc, then wrangler.toml", async () => {
    const stale = async (config?: string) =>
      (await runCheck({ ...precedence, targets: ["cloudflare"], bundle: false, config })).problems.map(
        (p) => [p.file, p.message, p.fix],
      );
    expect(await stale()).toEqual([
      [
        "wrangler.json",
        'cron "0 1 * * *" is in triggers.crons but the app has no app.cron("0 1 * * *") handler (each firing logs an error)',
        '{\n  "triggers": {\n    "crons": [\n      "0 9 * * *"\n    ]\n  }\n}',
      ],
    ]);
    expect((await stale("wrangler.jsonc"))[0]?.slice(0, 2)).toEqual([
      "wrangler.jsonc",
      'cron "0 2 * * *" is in triggers.crons but the app has no app.cron("0 2 * * *") handler (each firing logs an error)',
    ]);
    expect((await stale("wrangler.toml"))[0]).toEqual([
      "wrangler.toml",
      'cron "0 3 * * *" is in [triggers] crons but the app has no app.cron("0 3 * * *") handler (each firing logs an error)',
      'crons = ["0 9 * * *"]',
    ]);

    const dir = join(tmp, "precedence");
    mkdirSync(dir);
    expect(findWranglerConfig(dir, undefined)).toEqual({ file: join(dir, "wrangler.toml"), exists: false });
    writeFileSync(join(dir, "wrangler.toml"), "");
    expect(findWranglerConfig(dir, undefined).file).toBe(join(dir, "wrangler.toml"));
    writeFileSync(join(dir, "wrangler.jsonc"), "{}");
    expect(findWranglerConfig(dir, undefined).file).toBe(join(dir, "wrangler.jsonc"));
    writeFileSync(join(dir, "wrangler.json"), "{}");
    expect(findWranglerConfig(dir, undefined).file).toBe(join(dir, "wrangler.json"));
  }, 20_000);

  it("parses comments and trailing commas, and says where JSON is broken", () => {
    expect(
      parseWranglerConfig(
        '{ // a comment\n "name": "a//b", /* block\n */ "crons": ["* * * * *",], }',
        "json",
      ),
    ).toEqual({ name: "a//b", crons: ["* * * * *"] });
    expect(() => parseWranglerConfig('{ "name": }', "json")).toThrow(/^is not valid JSON: /);
    expect(() => parseWranglerConfig("[1]", "json")).toThrow(/top level must be an object/);
  });
});

describe('compatibility_flags = ["nodejs_compat"]', () => {
  it("keeps the built-ins workerd provides external, as wrangler does, and the Worker runs in workerd", async () => {
    const outDir = join(tmp, "node-compat");
    const report = await runBuild({ ...nodeCompat, target: "cloudflare", outDir });
    expect(report.nodeImports).toEqual([]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: expect.stringContaining("is later than the installed workerd supports"),
      }),
    ]);
    expect(report.ok).toBe(true);
    const bundle = readFileSync(join(outDir, "worker.js"), "utf8");
    for (const name of ["node:buffer", "events", "node:util"]) expect(bundle).toContain(`from"${name}"`);
    const deployable = JSON.parse(readFileSync(join(outDir, "wrangler.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(deployable).toMatchObject({
      name: "cf-node-compat",
      compatibility_flags: ["nodejs_compat"],
      main: "worker.js",
    });
    expect(deployable.alias).toBeUndefined();

    const served = await serveOnce(
      {
        modules: true,
        scriptPath: join(outDir, "worker.js"),
        modulesRoot: outDir,
        compatibilityDate: supportedCompatibilityDate(repo),
        compatibilityFlags: ["nodejs_compat"],
        kvNamespaces: ["KV"],
      },
      "/node",
    );
    expect(served).toEqual({ status: 200, body: '{"heard":"hello","greeting":"hi worker"}' });
  }, 40_000);

  it("without the flag, still fails the bundle naming each import chain", async () => {
    const report = await runBuild({
      ...nodeCompat,
      target: "cloudflare",
      config: "wrangler-no-compat.toml",
      outDir: join(tmp, "no-compat"),
    });
    expect(report.ok).toBe(false);
    // A bare "events" is Node's only when no npm package of that name resolves: the lockfile now installs the
    // `events` polyfill (via @netlify/functions-dev → archiver → readable-stream), which esbuild bundles, as
    // wrangler's own esbuild would, so that chain is reported only where the package is absent.
    const bareEventsResolves = (() => {
      try {
        createRequire(join(nodeCompat.root, nodeCompat.app)).resolve("events/");
        return true;
      } catch {
        return false;
      }
    })();
    expect(report.nodeImports.map((n) => n.chain.join(" → ")).sort()).toEqual([
      ...(bareEventsResolves ? [] : ["worker.ts → app.ts → events"]),
      "worker.ts → app.ts → legacy.cjs → node:util",
      "worker.ts → app.ts → node:buffer",
    ]);
  }, 20_000);

  it("follows wrangler's modes: v2 bare and node: names, v1 node: names only, nodejs_als, none", async () => {
    const v2 = await workerdBuiltins(repo, "2026-04-20", ["nodejs_compat"]);
    expect(v2).toEqual(expect.arrayContaining(["events", "node:events", "node:buffer", "buffer", "node:fs"]));
    const v1 = await workerdBuiltins(repo, "2024-01-01", ["nodejs_compat"]);
    expect(v1).toContain("node:buffer");
    expect(v1.every((n) => n.startsWith("node:"))).toBe(true);
    expect(await workerdBuiltins(repo, "2026-04-20", ["nodejs_als"])).toEqual(["node:async_hooks"]);
    expect(await workerdBuiltins(repo, "2026-04-20", [])).toEqual([]);
  });
});
