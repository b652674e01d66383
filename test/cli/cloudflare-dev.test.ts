import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/net.js";

// `skiff dev --target worker` on a project whose only config is wrangler.jsonc, with nodejs_compat and a
// compatibility_date after the one the installed workerd supports: wrangler dev itself refuses that date.
const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/cf-node-compat", import.meta.url));
const bin = join(repo, "src/cli/bin.mjs");

describe("skiff dev --target worker", () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    }
    // wrangler's local state and skiff's dev database, both git-ignored.
    rmSync(join(fixture, ".wrangler"), { recursive: true, force: true });
    rmSync(join(fixture, ".skiff"), { recursive: true, force: true });
  });

  it("runs wrangler dev with wrangler.jsonc, nodejs_compat and the newest date workerd supports", async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      [bin, "dev", "--target", "worker", "--root", fixture, "--app", "app.ts", "--port", String(port)],
      { cwd: repo, env: { ...process.env, NO_COLOR: "1", WRANGLER_SEND_METRICS: "false", CI: "1" } },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const end = Date.now() + 45_000;
    while (!/Ready on http/.test(output)) {
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`wrangler dev did not start; output:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toMatch(
      /compatibility_date 2026-11-01 is later than the installed workerd supports; running with \d{4}-\d\d-\d\d/,
    );
    const response = await fetch(`http://127.0.0.1:${port}/node`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ heard: "hello", greeting: "hi worker" });
  }, 60_000);
});
