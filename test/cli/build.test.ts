import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { CliError } from "../../src/cli/errors.js";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const basic = { root: `${fixtures}/basic`, app: "app.ts" };
const shop = { root: repo, app: "examples/shop/app.ts" };
const tmp = mkdtempSync(join(tmpdir(), "skiff-cli-build-"));
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

describe("skiff build --target lambda", () => {
  it("bundles the shop with native libsql beside it, writes template.yaml, and the package runs on its own", async () => {
    const outDir = join(tmp, "lambda");
    const report = await runBuild({ ...shop, target: "lambda", outDir });
    expect(report).toMatchObject({
      ok: true,
      runtime: "node",
      entry: "examples/shop/lambda.ts",
      problems: [],
    });
    expect(report.shipped).toEqual(["libsql", "@neon-rs/load", "detect-libc", "@libsql/linux-x64-gnu"]);
    expect(report.limits.map((l) => [l.measure, l.bytes, l.ok])).toEqual([
      ["zipped", 50 * 1024 * 1024, true],
      ["unzipped", 250 * 1024 * 1024, true],
    ]);
    expect(report.sizes.unzipped).toBeGreaterThan(report.sizes.raw); // the native binary counts
    expect(report.written).toEqual([join(outDir, "template.yaml")]);
    const template = parseYaml(readFileSync(join(outDir, "template.yaml"), "utf8")) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    expect(template.Resources.SkiffFunction?.Properties).toMatchObject({
      Handler: "index.handler",
      CodeUri: ".",
    });

    // Lambda's runtime, roughly: import index.mjs from the package directory (no repository node_modules in reach)
    // and call handler(event) with an HTTP API event that queries libSQL through the shipped native binding.
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: "/api/users",
      rawQueryString: "",
      headers: { host: "example.execute-api.us-east-1.amazonaws.com" },
      requestContext: {
        domainName: "example.execute-api.us-east-1.amazonaws.com",
        stage: "$default",
        requestId: "r",
        http: { method: "GET", path: "/api/users" },
      },
      isBase64Encoded: false,
    };
    const script = `const { handler } = await import("./index.mjs"); console.log("RESULT " + JSON.stringify(await handler(${JSON.stringify(event)}, {})));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: outDir,
      env: { PATH: process.env.PATH, TURSO_DATABASE_URL: `file:${join(tmp, "lambda.db")}` },
    });
    const result = JSON.parse(
      stdout
        .split("\n")
        .find((l) => l.startsWith("RESULT "))
        ?.slice(7) ?? "null",
    ) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ users: [] });
  }, 30_000);

  it("refuses to write a template for a cron AWS cannot express", async () => {
    const report = await runBuild({
      root: `${fixtures}/bad-crons`,
      app: "app.ts",
      target: "lambda",
      outDir: join(tmp, "bad-crons"),
    });
    expect(report.ok).toBe(false);
    expect(report.written).toEqual([]);
    expect(existsSync(join(tmp, "bad-crons", "template.yaml"))).toBe(false);
    expect(report.problems[0]?.message).toMatch(/cron "0 9 1 \* MON" cannot be expressed in AWS cron syntax/);
  });

  it("says which entry is missing instead of bundling nothing", async () => {
    await expect(runBuild({ root: `${fixtures}/bare`, app: "app.ts", target: "lambda" })).rejects.toThrow(
      CliError,
    );
    await expect(runBuild({ root: `${fixtures}/bare`, app: "app.ts", target: "lambda" })).rejects.toThrow(
      /^\[skiff\] no AWS Lambda entry: lambda\.ts does not exist\. Create it \(.*toLambda.*\) or pass --entry <file>$/,
    );
  });
});

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

    rmSync(config);
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
    ]);
  }, 20_000);

  it("finds the Node import in an edge bundle without building, skips targets without an entry, and fails named ones", async () => {
    const report = await runCheck({ root: `${fixtures}/node-import`, app: "app.ts" });
    expect(report.targets.map((t) => [t.target, t.skipped === null])).toEqual([
      ["cloudflare", true],
      ["vercel", false],
      ["lambda", false],
      ["node", false],
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
