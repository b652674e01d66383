import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleInput } from "skiff/lambda";
import { fixture, httpEvent, sqsEvent } from "./support/events.js";
import { CONTRACT_API_KEY } from "../../contract/driver.js";
import { lambdaEnv } from "./support/driver.js";
import { type SqsStandIn, startSqsStandIn } from "./support/sqs-stand-in.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));

// What Lambda's Node.js runtime does with a deployment package: import the module named by the handler setting,
// take its `handler` export, and call it with each event and a context
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html). One "RESULT <json>" line per event on
// stdout, among the app's own JSON log lines.
const HARNESS = `
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const mod = await import(pathToFileURL(process.argv[2]).href);
if (typeof mod.handler !== "function") {
  console.error("Runtime.HandlerNotFound: index.handler is undefined or not exported");
  process.exit(2);
}
const events = JSON.parse(readFileSync(process.argv[3], "utf8"));
for (const [i, event] of events.entries()) {
  const context = { awsRequestId: "req-" + i, functionName: "shop", getRemainingTimeInMillis: () => 30000 };
  try {
    const result = await mod.handler(event, context);
    process.stdout.write("RESULT " + JSON.stringify({ result: result ?? null }) + "\\n");
  } catch (error) {
    process.stdout.write("RESULT " + JSON.stringify({ errorType: error.name, errorMessage: error.message }) + "\\n");
  }
}
`;

describe("the bundled example handler in a separate Node process", () => {
  let dir: string;
  let standIn: SqsStandIn;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "skiff-lambda-bundle-"));
    // Dependencies stay external and are resolved from node_modules beside the bundle, as in a deployment zip
    // (@libsql/client loads a native binding, which cannot be bundled); skiff itself is bundled from source.
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    await build({
      entryPoints: [join(root, "examples/shop/lambda.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["skiff-source"],
      external: Object.keys(pkg.dependencies).flatMap((name) => [name, `${name}/*`]),
      outfile: join(dir, "index.mjs"),
      logLevel: "silent",
    });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "harness.mjs"), HARNESS);
    standIn = await startSqsStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
  });

  const invoke = async (events: unknown[]): Promise<Array<Record<string, unknown>>> => {
    const eventsFile = join(dir, `events-${Date.now()}.json`);
    writeFileSync(eventsFile, JSON.stringify(events));
    // Only what Lambda would set: no vitest, no tsx, no --conditions; the bundle must stand on its own.
    const env = { PATH: process.env.PATH ?? "", ...lambdaEnv(standIn, "skiff-lambda-bundle") };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(dir, "harness.mjs"), join(dir, "index.mjs"), eventsFile],
      {
        cwd: dir,
        env,
      },
    );
    return stdout
      .split("\n")
      .filter((line) => line.startsWith("RESULT "))
      .map((line) => JSON.parse(line.slice("RESULT ".length)) as Record<string, unknown>);
  };

  it("exports handler, serves HTTP, sends to SQS, consumes SQS, runs a schedule and refuses an S3 event of an undeclared bucket", async () => {
    const order = new Request("https://shop.example/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
      body: JSON.stringify({ sku: "TEA-9", qty: 3 }),
    });
    const [root, accepted, s3] = await invoke([
      await httpEvent(new Request("https://shop.example/"), "apigw-v2"),
      await httpEvent(order, "apigw-v1"),
      fixture("s3-event.json"),
    ]);
    expect(root).toMatchObject({
      result: { statusCode: 200, body: '{"name":"skiff shop","platform":"lambda"}' },
    });
    expect(accepted).toMatchObject({ result: { statusCode: 202 } });
    // The shop declares one bucket (uploads, for app.storage): an S3 event of another bucket is refused, naming it.
    expect(s3).toMatchObject({ errorType: "ConfigError" });
    expect(String(s3?.errorMessage)).toContain(
      'S3 bucket "sourcebucket", which is none of the app\'s buckets',
    );

    // The order left the child process signed, for the stand-in's SQS.
    const [sent] = standIn.sent("orders") as Array<{ orderId: string; sku: string; qty: number }>;
    expect(sent).toMatchObject({ sku: "TEA-9", qty: 3 });
    expect(standIn.badSignatures).toEqual([]);

    const [consumed, scheduled] = await invoke([
      sqsEvent("orders", [{ id: "m1", body: sent }]),
      { ...scheduleInput("0 9 * * *"), scheduledTime: "2026-01-02T09:00:00Z", executionId: "e1" },
    ]);
    expect(consumed).toEqual({ result: { batchItemFailures: [] } });
    expect(scheduled).toEqual({ result: null });
  });
});
