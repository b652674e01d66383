import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runBuild } from "../../src/cli/run/build.js";
import { CliError } from "../../src/cli/errors.js";
import { run, fixtures, shop, scratchDir } from "./support/build.js";

const tmp = scratchDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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
    // The native addon loads on the first query, not at the import (a cold start that opens no database pays nothing).
    const code = readFileSync(join(outDir, "index.mjs"), "utf8");
    expect(code).not.toMatch(/import[^;]*from\s*"libsql"/);
    // Lambda's Node has a global WebSocket: the ws package (its permessage-deflate extension) is not bundled.
    expect(code).not.toContain("permessage-deflate");
    const script = `import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(process.cwd() + "/").cache).some((k) => k.includes("/node_modules/libsql/"));
const { handler } = await import("./index.mjs");
const before = loaded();
const response = await handler(${JSON.stringify(event)}, {});
console.log("RESULT " + JSON.stringify({ ...response, loaded: [before, loaded()] }));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: outDir,
      env: { PATH: process.env.PATH, TURSO_DATABASE_URL: `file:${join(tmp, "lambda.db")}` },
    });
    const result = JSON.parse(
      stdout
        .split("\n")
        .find((l) => l.startsWith("RESULT "))
        ?.slice(7) ?? "null",
    ) as { statusCode: number; body: string; loaded: boolean[] };
    expect(result.statusCode).toBe(200);
    expect(result.loaded).toEqual([false, true]);
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
