import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuild, type BuildReport } from "../../../src/cli/run/build.js";
import { loadContext } from "../../../src/cli/run/context.js";
import { azure } from "../../../src/cli/targets/azure/target.js";
import { azureHostJson } from "../../../src/cli/targets/azure/host-json.js";
import type { TargetInput } from "../../../src/cli/targets/types.js";

const root = new URL("./fixtures/project", import.meta.url).pathname;
const preload = new URL("./fixtures/host-preload.cjs", import.meta.url).pathname;

// `skiff build --target azure` end to end: the function app directory it writes loads in Node with the shipped
// @azure/functions and registers the app's functions, with host.json settings derived from the app.
describe("the azure target", () => {
  const out = mkdtempSync(join(tmpdir(), "skiff-azure-build-"));
  let report: BuildReport;
  let input: TargetInput;

  beforeAll(async () => {
    report = await runBuild({ root, app: "app.ts", target: "azure", outDir: out });
    input = await loadContext({ root, app: "app.ts" });
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("bundles azure.ts for Node, ships @azure/functions and libsql, and writes the function app's files", () => {
    expect(report.problems).toEqual([]);
    expect(report.runtime).toBe("node");
    expect(report.shipped).toEqual(expect.arrayContaining(["@azure/functions", "libsql"]));
    for (const file of ["index.mjs", "host.json", "package.json", "local.settings.json.example"])
      expect(existsSync(join(out, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).main).toBe("index.mjs");
    expect(report.limits).toEqual([expect.objectContaining({ measure: "zipped", ok: true })]);
    const settings = JSON.parse(readFileSync(join(out, "local.settings.json.example"), "utf8"));
    expect(settings.Values).toMatchObject({
      FUNCTIONS_WORKER_RUNTIME: "node",
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
    });
  });

  it("derives host.json from the consumers: poison only after the largest maxRetries, redeliver after the largest delay", () => {
    const host = JSON.parse(readFileSync(join(out, "host.json"), "utf8"));
    expect(host).toMatchObject({
      version: "2.0",
      extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
      extensions: {
        http: { routePrefix: "" },
        queues: { maxDequeueCount: 5, visibilityTimeout: "00:01:30", messageEncoding: "base64" },
      },
    });
  });

  it("registers the app's functions when the bundle is loaded by a Functions worker", () => {
    const stdout = execFileSync(process.execPath, ["--require", preload, join(out, "index.mjs")], {
      cwd: out,
      env: { PATH: process.env.PATH ?? "" },
      timeout: 20_000,
      encoding: "utf8",
    });
    const registered = JSON.parse(stdout.trim().split("\n").pop() ?? "[]") as Array<{
      name: string;
      bindings: Record<string, { type: string; direction: string; [k: string]: unknown }>;
    }>;
    const triggers = Object.fromEntries(
      registered.map((f) => [f.name, Object.values(f.bindings).find((b) => b.direction === "in")]),
    );
    expect(triggers.http).toMatchObject({ type: "httpTrigger", route: "{*path}", authLevel: "anonymous" });
    expect(Object.values(triggers).filter((t) => t?.type === "timerTrigger")).toEqual([
      expect.objectContaining({ schedule: "0 0 9 * * MON-FRI" }),
    ]);
    expect(triggers.queue_jobs).toMatchObject({
      type: "queueTrigger",
      queueName: "jobs",
      connection: "AzureWebJobsStorage",
    });
    expect(triggers.queue_mail).toMatchObject({
      type: "serviceBusTrigger",
      queueName: "mail",
      connection: "MailBus",
    });
  });

  it("checks an existing host.json for drift, naming each setting and its fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skiff-azure-check-"));
    try {
      const file = join(dir, "host.json");
      writeFileSync(file, JSON.stringify(azureHostJson(input.manifest)));
      expect(await azure.check({ ...input, config: file }, "")).toEqual([]);
      writeFileSync(
        file,
        JSON.stringify({
          version: "2.0",
          extensions: {
            queues: { maxDequeueCount: 3, messageEncoding: "none", visibilityTimeout: "00:00:10" },
          },
        }),
      );
      const problems = await azure.check({ ...input, config: file }, "");
      expect(problems.map((p) => [p.severity ?? "error", p.message])).toEqual([
        ["error", expect.stringContaining("has no extension bundle")],
        ["error", expect.stringContaining("serves every route under /api")],
        [
          "error",
          expect.stringContaining(
            "poison queue after 3 attempts, before the app's maxRetries is spent (it needs 5)",
          ),
        ],
        ["error", expect.stringContaining('messageEncoding "none"')],
        ["warning", expect.stringContaining("after 10 s, sooner than a consumer's retryDelaySeconds (90)")],
      ]);
      expect(problems.every((p) => p.fix)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
