import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, fixtures, repo, skiff } from "./support/run-skiff.js";

// The `skiff` executable as users run it: the package.json bin, in a child process, output piped (not a TTY).
const ANSI = /\x1b\[/;

describe("the skiff executable", () => {
  it("answers --help for the program and every command, without colours when piped", async () => {
    const [top, build, check, routes, dev] = await Promise.all([
      skiff(["--help"]),
      skiff(["build", "--help"]),
      skiff(["check", "--help"]),
      skiff(["routes", "--help"]),
      skiff(["dev", "--help"]),
    ]);
    for (const r of [top, build, check, routes, dev]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(ANSI);
    }
    expect(top.stdout).toMatch(/USAGE skiff dev\|build\|check\|routes/);
    expect(build.stdout).toContain("--target=<cloudflare|vercel|lambda|node>");
    expect(build.stdout).toContain("--limit=<size>");
    expect(check.stdout).toContain("--no-bundle");
    expect(routes.stdout).toContain("--json");
    expect(dev.stdout).toContain("--target=<node|worker>");
  }, 20_000);

  it("prints the example's routes from package.json's skiff.app, as JSON or as a table coloured only when forced", async () => {
    const [json, plain, forced] = await Promise.all([
      skiff(["routes", "--json"]),
      skiff(["routes"], { NO_COLOR: "1" }),
      skiff(["routes"], { FORCE_COLOR: "1" }),
    ]);
    expect(json.code).toBe(0);
    const manifest = JSON.parse(json.stdout) as {
      routes: Array<{ path: string }>;
      crons: Array<{ expression: string; next: string }>;
    };
    // The shop's 15 routes, the uploads sub-app's PUT and GET, and the userChanges sub-app's welcome route.
    expect(manifest.routes).toHaveLength(18);
    expect(manifest.routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/openapi.json", "/docs", "/api/uploads/:key{.+}", "/api/users/:id/welcome"]),
    );
    expect(manifest.crons[0]?.expression).toBe("0 9 * * *");
    expect(Date.parse(manifest.crons[0]?.next ?? "")).toBeGreaterThan(Date.now());
    expect(plain.stdout).toMatch(/^Routes\n {2}GET {5}\/ {27}requestId, logger → \(anonymous\)$/m);
    expect(plain.stdout).toMatch(/^ {2}orders-dlq .*dead-letter queue of orders$/m);
    expect(plain.stdout).not.toMatch(ANSI);
    expect(forced.stdout).toMatch(ANSI);
  }, 20_000);

  it("exits 1 with the TOML to add when wrangler.toml drifted, and 0 on the example", async () => {
    const args = [
      "check",
      "--root",
      join(fixtures, "basic"),
      "--app",
      "app.ts",
      "--target",
      "cloudflare",
      "--no-bundle",
    ];
    const [drifted, json, good] = await Promise.all([
      skiff([...args, "--config", "wrangler-drifted.toml"]),
      skiff([...args, "--config", "wrangler-drifted.toml", "--json"]),
      skiff(["check", "--quiet"]),
    ]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain("✗ cloudflare worker.ts 5 problem(s)");
    expect(drifted.stderr).toContain(
      'error cloudflare wrangler-drifted.toml: cron "0 3 * * MON-FRI" is registered with app.cron() but missing from [triggers] crons',
    );
    expect(drifted.stderr).toContain('    crons = ["*/15 * * * *", "0 3 * * MON-FRI"]');
    expect(drifted.stderr).toContain('    dead_letter_queue = "jobs-dead"');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; problems: Array<{ message: string }> };
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(5);
    expect(json.stderr).toBe("");
    expect(good).toEqual({ code: 0, stdout: "", stderr: "" });
  }, 20_000);

  it("exits 2 with one clear line when it cannot run: no entry, an app that throws, an unknown target", async () => {
    const [noEntry, broken, unknown] = await Promise.all([
      skiff(["build", "--root", join(fixtures, "bare"), "--app", "app.ts", "--target", "lambda"]),
      skiff(["routes", "--root", join(fixtures, "broken"), "--app", "app.ts"]),
      skiff(["build", "--target", "heroku"]),
    ]);
    expect(noEntry.code).toBe(2);
    expect(noEntry.stderr.trim()).toMatch(/^\[skiff\] no AWS Lambda entry: lambda\.ts does not exist\./);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toBe(
      '[skiff] could not load the app module app.ts: cron expression "61 * * * *" is invalid: minute 61 is outside 0-59',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      '[skiff] unknown target "heroku" (targets: cloudflare, vercel, lambda, node, deno, bun, azure, gcp, netlify)',
    );
  }, 20_000);
});

describe("skiff dev", () => {
  // A scratch app inside the repository (so `import "skiff"` resolves), under the git-ignored .skiff/.
  const dir = join(repo, ".skiff", `cli-test-dev-${process.pid}`);
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the app, prints URL, routes, crons and queues, and restarts when a file changes", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "message.ts"), 'export const message = "first";\n');
    writeFileSync(
      join(dir, "app.ts"),
      'import { Skiff } from "skiff";\nimport { message } from "./message.js";\nexport const app = new Skiff();\napp.get("/", (c) => c.text(message));\napp.cron("0 9 * * *", () => {});\n',
    );
    child = spawn(process.execPath, [bin, "dev", "--root", dir, "--app", "app.ts", "--port", "0"], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const waitFor = async (pattern: RegExp, from = 0): Promise<RegExpExecArray> => {
      const end = Date.now() + 15_000;
      for (;;) {
        const match = pattern.exec(output.slice(from));
        if (match) return match;
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const first = await waitFor(/skiff dev (http:\/\/127\.0\.0\.1:\d+)/);
    await waitFor(/0 9 \* \* \* {2}next \d{4}-\d\d-\d\dT09:00:00\.000Z/);
    expect(output).toMatch(/GET {2}\/ {2}\(anonymous\)/);
    expect(await (await fetch(first[1] as string)).text()).toBe("first");

    const mark = output.length;
    writeFileSync(join(dir, "message.ts"), 'export const message = "second";\n');
    const second = await waitFor(/skiff dev (http:\/\/127\.0\.0\.1:\d+)/, mark);
    expect(await (await fetch(second[1] as string)).text()).toBe("second");
  }, 40_000);
});
