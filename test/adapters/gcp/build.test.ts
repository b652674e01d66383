import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle, type BundleResult } from "../../../src/cli/bundle/bundle.js";
import { loadContext } from "../../../src/cli/run/context.js";
import { gcp } from "../../../src/cli/targets/gcp/target.js";
import { schedulerJobName, schedulerScript } from "../../../src/cli/targets/gcp/scripts.js";
import { renderGcp } from "../../../src/triggers/cron/render-gcp.js";
import type { AppManifest } from "../../../src/cli/app/manifest.js";
import type { TargetInput } from "../../../src/cli/targets/types.js";
import { CONTRACT_API_KEY_SHA256 } from "../../contract/driver.js";
import { tempDbUrl } from "../../contract/node-driver.js";
import { freePort } from "../../support/net.js";

const root = new URL("../../..", import.meta.url).pathname;

// `skiff build --target gcp` as its steps (entry, bundle, emit) on the shop, then the bundle served by the real
// `functions-framework` binary from the output directory, as Cloud Run functions starts it.
describe("the gcp target", () => {
  mkdirSync(join(root, ".skiff"), { recursive: true });
  // Inside the repository, so the bundle's external packages resolve from its node_modules as Cloud Build's would.
  const out = mkdtempSync(join(root, ".skiff", "test-gcp-build-"));
  let input: TargetInput;
  let result: BundleResult;
  let child: ChildProcess | undefined;
  let url = "";

  beforeAll(async () => {
    input = await loadContext({ root, app: "examples/shop/app.ts" });
    const entry = gcp.resolveEntry(input);
    result = await bundle(gcp.bundleSpec(input, entry, out));
    await gcp.emit(input, entry, out, result);
    const bin = join(root, "node_modules", ".bin", "functions-framework");
    const port = await freePort();
    child = spawn(bin, ["--target=skiff", `--source=${out}`, `--port=${port}`], {
      env: {
        ...process.env,
        TURSO_DATABASE_URL: tempDbUrl("skiff-gcp-build"),
        SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // In production the framework prints no banner: poll until it answers (bounded).
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await fetch(`${url}/robots.txt`);
        break;
      } catch {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`functions-framework did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 60_000);

  afterAll(() => {
    child?.kill();
    rmSync(out, { recursive: true, force: true });
  });

  it("bundles for Node with the framework and libsql left to package.json, and the bundle serves on the real binary", async () => {
    expect(result.externalPackages.some((p) => p.startsWith("@google-cloud/functions-framework"))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as {
      main: string;
      type: string;
      dependencies: Record<string, string>;
    };
    expect(pkg).toMatchObject({ main: "index.mjs", type: "module" });
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@google-cloud/functions-framework", "libsql"]);
    expect(readFileSync(join(out, ".gcloudignore"), "utf8")).toContain("node_modules/");
    // The deploy's nodejs22 has a global WebSocket: the ws package (its permessage-deflate extension) is not bundled.
    expect(readFileSync(join(out, "index.mjs"), "utf8")).not.toContain("permessage-deflate");
    const res = await fetch(`${url}/`);
    expect(await res.json()).toEqual({ name: "skiff shop", platform: "gcp" });
  });

  it("writes a scheduler job per cron, in UTC, publishing the expression to the cron topic; the scripts parse", () => {
    const script = readFileSync(join(out, "scheduler.sh"), "utf8");
    for (const { expression } of input.manifest.crons) {
      expect(script).toContain(`gcloud scheduler jobs create pubsub ${schedulerJobName(expression)}`);
      expect(script).toContain(`--message-body='{"cron":"${expression}"}'`);
    }
    expect(script).toContain("--schedule='0 9 * * *' --time-zone=Etc/UTC");
    execFileSync("bash", ["-n", join(out, "scheduler.sh")]);
    const subs = readFileSync(join(out, "subscriptions.sh"), "utf8");
    // orders: maxRetries 2, so skiff dead-letters at attempt 3 and Pub/Sub's backstop is at 5 (its minimum).
    expect(subs).toContain("--dead-letter-topic=orders-dlq --max-delivery-attempts=5");
    execFileSync("bash", ["-n", join(out, "subscriptions.sh")]);
  });

  it("prints a gcloud functions deploy line per function", async () => {
    const emitted = await gcp.emit(input, gcp.resolveEntry(input), out, result);
    const notes = emitted.notes?.join("\n") ?? "";
    expect(notes).toContain("--entry-point=skiff --trigger-http --allow-unauthenticated");
    expect(notes).toContain(
      "--entry-point=skiffEvent --trigger-topic=orders --retry --no-allow-unauthenticated",
    );
    expect(notes).toContain("--trigger-topic=skiff-cron");
    expect(emitted.problems).toEqual([]);
  });

  it("writes weekday and month names as Cloud Scheduler's numbers", () => {
    expect(renderGcp("0 9 * * MON-FRI")).toBe("0 9 * * 1-5");
    expect(renderGcp("*/15 9-17 * JAN,JUL SUN")).toBe("*/15 9-17 * 1,7 0");
    expect(() => renderGcp("0 0 * * MON#2")).toThrow(/no L, W or #|without L, W or #/);
  });

  it("refuses a cron Cloud Scheduler cannot run (L, W, #) with a [skiff] problem", () => {
    const manifest = {
      ...input.manifest,
      crons: [{ expression: "0 0 L * *", handlers: 1, next: null }],
    } as AppManifest;
    const { script, problems } = schedulerScript(manifest);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^\[skiff\] cron "0 0 L \* \*": Cloud Scheduler/),
    ]);
    expect(script).not.toContain("jobs create");
  });

  it("checks a committed scheduler script against the app: missing, stale and mis-zoned jobs", async () => {
    const file = join(out, "committed.sh");
    const good = readFileSync(join(out, "scheduler.sh"), "utf8");
    writeFileSync(file, good);
    expect(await gcp.check({ ...input, config: file }, "")).toEqual([]);
    writeFileSync(
      file,
      good.replace("--time-zone=Etc/UTC", "--time-zone=Europe/Paris") +
        `gcloud scheduler jobs create pubsub old --schedule='1 2 * * *' --time-zone=Etc/UTC --message-body='{"cron":"1 2 * * *"}'\n`,
    );
    const problems = (await gcp.check({ ...input, config: file }, "")).map((p) => p.message);
    expect(problems).toEqual([
      expect.stringContaining("has --time-zone Europe/Paris"),
      expect.stringContaining('a job for cron "1 2 * * *"'),
    ]);
    writeFileSync(file, "#!/usr/bin/env bash\n");
    expect((await gcp.check({ ...input, config: file }, "")).map((p) => p.message)).toEqual(
      input.manifest.crons.map((c) =>
        expect.stringContaining(`cron "${c.expression}" has no Cloud Scheduler job`),
      ),
    );
  });
});
