import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { describeApp, type AppManifest, type QueueInfo } from "../../src/cli/app/manifest.js";
import { loadApp } from "../../src/cli/app/load.js";
import { resolveProject } from "../../src/cli/project.js";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { getTarget } from "../../src/cli/targets/registry.js";
import {
  LAMBDA_ESBUILD_TARGET,
  LAMBDA_NODE_MAJOR,
  LAMBDA_RUNTIME,
} from "../../src/cli/targets/lambda/runtime.js";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";
import type { TargetInput } from "../../src/cli/targets/types.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const samEnv = join(fixtures, "sam-env");
const tmp = mkdtempSync(join(tmpdir(), "skiff-sam-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);

async function inputOf(root: string, app?: string): Promise<TargetInput> {
  const project = resolveProject({ root, app });
  const loaded = await loadApp(project);
  return { project, app: loaded, manifest: describeApp(loaded) };
}

const cfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
const cfnLintVersion = cfnLint.status === 0 ? cfnLint.stdout.trim() : undefined;

describe("the generated SAM template deploys today", () => {
  it.skipIf(!cfnLintVersion)(
    `passes cfn-lint with no error and no warning (${cfnLintVersion ?? "skipped: cfn-lint is not on the PATH; pip install cfn-lint"})`,
    async () => {
      // What `skiff build --target lambda` writes for an app with skiff.env, skiff.entries and three consumers...
      const report = await runBuild({ root: samEnv, target: "lambda", outDir: join(tmp, "sam-env") });
      expect(report).toMatchObject({
        ok: true,
        entry: "handlers/aws.ts",
        written: [join(tmp, "sam-env", "template.yaml")],
      });
      // ...and the template of the example shop.
      const shop = await inputOf(repo, "examples/shop/app.ts");
      const shopTemplate = join(tmp, "shop.yaml");
      writeFileSync(
        shopTemplate,
        samTemplate(shop.manifest, { source: "examples/shop/app.ts", env: shop.project.env }).yaml,
      );
      const lint = spawnSync("cfn-lint", ["--", join(tmp, "sam-env", "template.yaml"), shopTemplate], {
        encoding: "utf8",
        timeout: 60_000,
      });
      // cfn-lint exits 0 only when it found nothing (2 errors, 4 warnings, 8 informational).
      expect({ status: lint.status, stdout: lint.stdout, stderr: lint.stderr }).toEqual({
        status: 0,
        stdout: "",
        stderr: "",
      });
    },
    60_000,
  );

  it("runs the function on the Node the bundle is built for, from one constant", async () => {
    const input = await inputOf(samEnv);
    const fn = at(samTemplate(input.manifest).template, "Resources", "SkiffFunction", "Properties") as Json;
    expect(fn.Runtime).toBe(LAMBDA_RUNTIME);
    expect(LAMBDA_RUNTIME).toBe(`nodejs${LAMBDA_NODE_MAJOR}.x`);
    // nodejs20.x can no longer create functions (cfn-lint E2533).
    expect(LAMBDA_NODE_MAJOR).toBeGreaterThanOrEqual(22);
    const spec = getTarget("lambda").bundleSpec(input, join(samEnv, "handlers/aws.ts"), join(tmp, "spec"));
    expect(spec).toMatchObject({ runtime: "node", target: LAMBDA_ESBUILD_TARGET });
    expect(LAMBDA_ESBUILD_TARGET).toBe(`node${LAMBDA_NODE_MAJOR}`);
  });

  it("gives every queue a visibility timeout of at least 6 × the function timeout", async () => {
    const { manifest } = await inputOf(samEnv);
    for (const timeout of [30, 60]) {
      const { template, problems } = samTemplate(manifest, { timeout });
      expect(problems).toEqual([]);
      expect(at(template, "Resources", "SkiffFunction", "Properties", "Timeout")).toBe(timeout);
      const visibility = (id: string) => at(template, "Resources", id, "Properties", "VisibilityTimeout");
      expect(visibility("OrdersQueue")).toBe(6 * timeout);
      expect(visibility("OrdersDlqQueue")).toBe(6 * timeout);
      // A consumer that asks for longer keeps its own.
      expect(visibility("ReportsQueue")).toBe(600);
    }
  });

  it("names queues after the stack, so two stacks in one account and region do not collide", async () => {
    const { manifest } = await inputOf(samEnv);
    const { template } = samTemplate(manifest);
    const resources = at(template, "Resources") as Record<string, Json>;
    const variables = at(resources, "SkiffFunction", "Properties", "Environment", "Variables") as Json;
    const named = (stack: string) =>
      ["orders", "orders-dlq", "reports"].map((queue) => {
        // The function's URL variable refers to the queue resource whose name is derived from the stack.
        const id = at(
          variables,
          `SKIFF_QUEUE_URL_${queue.toUpperCase().replace(/-/g, "_")}`,
          "Ref",
        ) as string;
        expect(at(resources, id, "Type")).toBe("AWS::SQS::Queue");
        const name = at(resources, id, "Properties", "QueueName", "Fn::Sub") as string;
        expect(name).toBe(`\${AWS::StackName}-${queue}`);
        return name.replace("${AWS::StackName}", stack);
      });
    expect(named("shop-staging")).toEqual([
      "shop-staging-orders",
      "shop-staging-orders-dlq",
      "shop-staging-reports",
    ]);
    const staging = new Set(named("shop-staging"));
    expect(named("shop-prod").some((n) => staging.has(n))).toBe(false);
  });

  it("keeps a .fifo name last, makes the queue FIFO and drops what Lambda refuses for FIFO", () => {
    const consumer = (options: Partial<NonNullable<QueueInfo["consumer"]>["options"]>) => ({
      kind: "message" as const,
      options: {
        maxRetries: 3,
        deadLetter: null,
        retryDelaySeconds: 0,
        maxBatchSize: 10,
        maxBatchTimeoutSeconds: 5,
        visibilityTimeoutSeconds: 30,
        ...options,
      },
    });
    const manifest: AppManifest = {
      routes: [],
      workflows: [],
      workflowTimerCron: null,
      crons: [],
      queues: [
        {
          name: "jobs.fifo",
          declared: true,
          deadLetterFor: [],
          consumer: consumer({ deadLetter: "jobs-dlq.fifo" }),
        },
        { name: "jobs-dlq.fifo", declared: false, deadLetterFor: ["jobs.fifo"], consumer: null },
        {
          name: "big.fifo",
          declared: true,
          deadLetterFor: [],
          consumer: consumer({ maxBatchSize: 20, deadLetter: "plain" }),
        },
        { name: "plain", declared: false, deadLetterFor: ["big.fifo"], consumer: null },
      ],
    };
    const { template, problems } = samTemplate(manifest);
    expect(at(template, "Resources", "JobsFifoQueue", "Properties")).toMatchObject({
      QueueName: { "Fn::Sub": "${AWS::StackName}-jobs.fifo" },
      FifoQueue: true,
    });
    const events = at(template, "Resources", "SkiffFunction", "Properties", "Events") as Json;
    expect(at(events, "JobsFifoQueueMessages", "Properties")).toEqual({
      Queue: { "Fn::GetAtt": ["JobsFifoQueue", "Arn"] },
      BatchSize: 10, // no MaximumBatchingWindowInSeconds: Lambda has no batching window for FIFO queues
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    expect(problems.map((p) => p.message)).toEqual([
      'SAM template: queue "big.fifo": its dead-letter queue "plain" must be a FIFO queue (.fifo) like it, as SQS requires',
      'SAM template: queue "big.fifo": a FIFO queue delivers at most 10 messages per batch on Lambda; set maxBatchSize: 10 or less',
    ]);
  });

  it("asks for the app's environment variables as stack parameters, secrets NoEcho", async () => {
    const input = await inputOf(samEnv);
    const { template, problems } = samTemplate(input.manifest, { env: input.project.env });
    expect(problems).toEqual([]);
    expect(at(template, "Parameters")).toEqual({
      TursoDatabaseUrl: { Type: "String", Description: "libSQL database URL (libsql://<db>-<org>.turso.io)" },
      TursoAuthToken: {
        Type: "String",
        NoEcho: true,
        Default: "",
        Description: "libSQL auth token (empty for none)",
      },
      // From skiff.env in package.json; no Default, so a deploy must give it.
      ShopApiKeySha256: { Type: "String", NoEcho: true, Description: "SHA-256 hex of the admin API key" },
      LogLevel: { Type: "String", Default: "info", Description: "LOG_LEVEL" },
    });
    expect(
      at(template, "Resources", "SkiffFunction", "Properties", "Environment", "Variables"),
    ).toMatchObject({
      TURSO_DATABASE_URL: { Ref: "TursoDatabaseUrl" },
      TURSO_AUTH_TOKEN: { Ref: "TursoAuthToken" },
      SHOP_API_KEY_SHA256: { Ref: "ShopApiKeySha256" },
      LOG_LEVEL: { Ref: "LogLevel" },
    });
    // The YAML Lambda receives says the same (NoEcho survives the serialisation).
    expect(
      at(
        parseYaml(samTemplate(input.manifest, { env: input.project.env }).yaml),
        "Parameters",
        "ShopApiKeySha256",
        "NoEcho",
      ),
    ).toBe(true);

    const reserved = samTemplate(input.manifest, {
      env: [
        { name: "AWS_REGION", secret: false },
        { name: "SKIFF_QUEUE_URL_ORDERS", secret: false },
      ],
    });
    expect(reserved.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('"skiff.env.AWS_REGION" in package.json: AWS_REGION is reserved by Lambda'),
      expect.stringContaining(
        '"skiff.env.SKIFF_QUEUE_URL_ORDERS" in package.json: SKIFF_QUEUE_URL_ORDERS is set by the template',
      ),
    ]);
  });
});

describe("package.json names the entry of each target and the app's environment", () => {
  it("uses skiff.entries.lambda, and says where a missing entry came from", async () => {
    const report = await runCheck({ root: samEnv, targets: ["lambda"] });
    expect(report.targets).toEqual([
      { target: "lambda", entry: "handlers/aws.ts", skipped: null, problems: 0 },
    ]);

    const dir = join(tmp, "missing-entry");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "app.ts"), ""); // only has to exist: resolving an entry does not load the app
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ skiff: { app: "app.ts", entries: { lambda: "aws.ts" } } }),
    );
    const project = resolveProject({ root: dir });
    expect(project.entries).toEqual({ lambda: join(dir, "aws.ts") });
    // Resolving an entry reads only the project, so the app need not load.
    expect(() => getTarget("lambda").resolveEntry({ project } as TargetInput)).toThrow(
      /^\[skiff\] no AWS Lambda entry: aws\.ts \(from "skiff\.entries\.lambda" in package\.json\) does not exist\./,
    );
  });

  it("refuses a malformed skiff.entries or skiff.env with a message that names the field", () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { entries: { heroku: "x.ts" } },
        /"skiff\.entries\.heroku" in .* is not a target \(targets: cloudflare, vercel, lambda, node, deno, bun, azure, gcp, netlify\)$/,
      ],
      [{ entries: { vercel: 3 } }, /"skiff\.entries\.vercel" in .* must be a file path/],
      [{ entries: [] }, /"skiff\.entries" in .* must be an object/],
      [
        { env: { "bad-name": {} } },
        /"skiff\.env\.bad-name" in .*: a variable name is a letter followed by letters, digits and _/,
      ],
      [{ env: { TOKEN: true } }, /"skiff\.env\.TOKEN" in .* must be an object/],
      [{ env: { TOKEN: { secret: "yes" } } }, /"skiff\.env\.TOKEN" in .*: "secret" must be a boolean/],
      [{ env: { TOKEN: { nope: 1 } } }, /"skiff\.env\.TOKEN" in .*: unknown key "nope"/],
    ];
    for (const [[skiff, message], i] of cases.map((c, i) => [c, i] as const)) {
      const dir = join(tmp, `config-${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "app.ts"), "");
      writeFileSync(
        join(dir, "package.json"),
        JSON.stringify({ skiff: { app: "app.ts", ...(skiff as object) } }),
      );
      expect(() => resolveProject({ root: dir })).toThrow(message);
    }
  });
});
