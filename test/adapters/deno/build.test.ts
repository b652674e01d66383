import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle, type BundleResult } from "../../../src/cli/bundle/bundle.js";
import { loadContext } from "../../../src/cli/run/context.js";
import { deno } from "../../../src/cli/targets/deno/target.js";
import type { TargetInput } from "../../../src/cli/targets/types.js";
import { type DenoProcess, denoFlags, startDeno, until } from "./support/deno.js";
import { freePort } from "../../support/net.js";

const root = new URL("./fixtures/project", import.meta.url).pathname;

// `skiff build --target deno` as its steps (entry, bundle, deno.json): the bundle then runs on the real Deno
// with the generated deno.json, and its queues go through Deno KV with delays, retries and batches.
describe("the deno target", () => {
  const out = mkdtempSync(join(tmpdir(), "skiff-deno-build-"));
  let input: TargetInput;
  let result: BundleResult;
  let server: DenoProcess;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    input = await loadContext({ root, app: "app.ts" });
    const entry = deno.resolveEntry(input);
    result = await bundle(deno.bundleSpec(input, entry, out));
    await deno.emit(input, entry, out, result);
    const port = await freePort();
    // `deno serve` on the bundle, configured by the generated deno.json (without it Deno KV and Deno.cron are off).
    const args = ["--config", join(out, "deno.json"), `--port=${port}`, "--host=127.0.0.1"];
    // Without --quiet: deno serve says where it listens.
    const flags = denoFlags(out).filter((f) => !f.startsWith("--unstable-") && f !== "--quiet");
    server = await startDeno(
      join(out, "main.js"),
      { DENO_KV_PATH: join(out, "kv.sqlite3") },
      {
        writable: out,
        command: ["serve", ...flags, ...args],
        ready: (text) => (text.includes(`127.0.0.1:${port}`) ? port : undefined),
      },
    );
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it("bundles deno.ts as an edge bundle with no Node built-in, and writes deno.json and .env.example", () => {
    expect(deno.resolveEntry(input)).toBe(join(root, "deno.ts"));
    expect(result.nodeImports).toEqual([]);
    expect(existsSync(join(out, "main.js"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "deno.json"), "utf8"))).toEqual({
      unstable: ["kv", "cron"],
      tasks: {
        start: "deno serve --allow-net --allow-env --allow-read --allow-write main.js",
        dev: "deno serve --watch --env-file=.env --allow-net --allow-env --allow-read --allow-write main.js",
      },
      deploy: { entrypoint: "main.js" },
    });
    expect(readFileSync(join(out, ".env.example"), "utf8")).toMatch(/^TURSO_DATABASE_URL=$/m);
  });

  it("serves the bundle with deno serve, with Deno's remoteAddr on c.env for getConnInfo", async () => {
    expect(await (await fetch(url("/"))).json()).toEqual({ platform: "deno", remote: "127.0.0.1" });
    // /__scheduled is off unless asked for (testScheduled): on a deployment anyone could fire the crons.
    expect((await fetch(url(`/__scheduled?cron=${encodeURIComponent("*/30 * * * *")}`))).status).toBe(404);
  });

  it("delays a send and a retry on Deno KV by the seconds asked, counting attempts", async () => {
    expect((await fetch(url("/jobs/delayed?delay=1"), { method: "POST" })).status).toBe(202);
    type Seen = { sent: number; seen: Array<{ attempts: number; at: number }> };
    let job: Seen = { sent: 0, seen: [] };
    await until(async () => {
      job = (await (await fetch(url("/jobs/delayed"))).json()) as Seen;
      return job.seen.length === 2;
    }, 10_000);
    const [first, second] = job.seen;
    expect([first?.attempts, second?.attempts]).toEqual([1, 2]);
    expect((first?.at ?? 0) - job.sent).toBeGreaterThanOrEqual(1_000);
    // The consumer's retry({ delaySeconds: 1 }) became a re-enqueue with a one-second delay.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it("hands a batch consumer the messages sent together as one batch, in the order sent", async () => {
    expect((await fetch(url("/events?count=5"), { method: "POST" })).status).toBe(202);
    let batches: number[][] = [];
    await until(async () => {
      batches = (await (await fetch(url("/events"))).json()) as number[][];
      return batches.flat().length >= 5;
    }, 10_000);
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("checks a project's deno.json: Deno KV and Deno.cron must be enabled for this app", async () => {
    const config = join(out, "deno.json");
    expect(await deno.check({ ...input, config }, deno.resolveEntry(input))).toEqual([]);
    const bare = join(out, "bare-deno.json");
    (await import("node:fs")).writeFileSync(bare, JSON.stringify({ unstable: ["kv"] }));
    expect(
      (await deno.check({ ...input, config: bare }, deno.resolveEntry(input))).map((p) => p.message),
    ).toEqual([`${input.project.rel(bare)} does not enable Deno cron (the app's crons)`]);
  });
});
