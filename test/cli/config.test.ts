import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { scheduleInput } from "skiff/lambda";
import { describeApp, type AppManifest } from "../../src/cli/app/manifest.js";
import { loadApp } from "../../src/cli/app/load.js";
import { resolveProject } from "../../src/cli/project.js";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";
import { checkWrangler } from "../../src/cli/targets/cloudflare/wrangler-check.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const NOW = new Date("2026-01-01T10:00:00Z");

async function manifestOf(root: string, app: string): Promise<AppManifest> {
  return describeApp(await loadApp(resolveProject({ root, app })), NOW);
}

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);

describe("the app manifest the CLI works from", () => {
  it("lists endpoints with the middleware that runs before each, crons with their next run, and queues", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    expect(manifest.routes).toEqual([
      {
        method: "GET",
        path: "/api/health",
        middleware: ["skiffBindings", "requestTimer"],
        handler: "health",
      },
      {
        method: "POST",
        path: "/api/jobs",
        middleware: ["skiffBindings", "requestTimer"],
        handler: "enqueue",
      },
    ]);
    expect(manifest.crons).toEqual([
      { expression: "*/15 * * * *", handlers: 1, next: "2026-01-01T10:15:00.000Z" },
      { expression: "0 3 * * MON-FRI", handlers: 1, next: "2026-01-02T03:00:00.000Z" },
    ]);
    expect(manifest.queues).toEqual([
      {
        name: "jobs",
        declared: true,
        consumer: {
          kind: "message",
          options: {
            maxRetries: 1,
            deadLetter: "jobs-dead",
            retryDelaySeconds: 0,
            maxBatchSize: 5,
            maxBatchTimeoutSeconds: 2,
            visibilityTimeoutSeconds: 30,
          },
        },
        deadLetterFor: [],
      },
      { name: "jobs-dead", declared: false, consumer: null, deadLetterFor: ["jobs"] },
    ]);
  });

  it("reads the example shop: seven routes, the daily report cron and both order queues", async () => {
    const manifest = await manifestOf(repo, "examples/shop/app.ts");
    expect(manifest.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /",
      "GET /api/users",
      "POST /api/users",
      "POST /api/orders",
      "GET /api/orders/:id",
      "GET /api/reports/latest",
      "GET /api/stats",
    ]);
    expect(manifest.routes[0]?.middleware).toEqual(["skiffBindings", "requestId", "logger"]); // "/" is outside /api/*
    expect(manifest.routes[3]?.middleware).toEqual([
      "skiffBindings",
      "requestId",
      "logger",
      "bodyLimit",
      "rateLimit",
      "countRequests",
      "apiKeyAuth",
      "idempotency",
      "validate",
    ]);
    expect(manifest.crons).toEqual([
      { expression: "0 9 * * *", handlers: 1, next: "2026-01-02T09:00:00.000Z" },
    ]);
    expect(
      manifest.queues.map((q) => [q.name, q.consumer?.options.maxRetries, q.consumer?.options.deadLetter]),
    ).toEqual([
      ["orders", 2, "orders-dlq"],
      ["orders-dlq", 3, null],
    ]);
  });
});

describe("checking wrangler.toml against the app", () => {
  it("accepts the repository's wrangler.toml for the shop and the fixture's for its app", async () => {
    expect(
      checkWrangler(
        await manifestOf(repo, "examples/shop/app.ts"),
        readFileSync(`${repo}/wrangler.toml`, "utf8"),
        { file: "wrangler.toml", entry: "examples/shop/worker.ts" },
      ),
    ).toEqual([]);
    expect(
      checkWrangler(
        await manifestOf(`${fixtures}/basic`, "app.ts"),
        readFileSync(`${fixtures}/basic/wrangler.toml`, "utf8"),
        { file: "wrangler.toml", entry: "worker.ts" },
      ),
    ).toEqual([]);
  });

  it("reports a missing cron, a stale one, consumer drift, a missing producer and KV, each with the TOML to add", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const problems = checkWrangler(
      manifest,
      readFileSync(`${fixtures}/basic/wrangler-drifted.toml`, "utf8"),
      { file: "wrangler-drifted.toml" },
    );
    expect(problems.map((p) => p.message)).toEqual([
      'cron "0 3 * * MON-FRI" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      'cron "0 0 1 * *" is in [triggers] crons but the app has no app.cron("0 0 1 * *") handler (each firing logs an error)',
      '[[queues.consumers]] for "jobs" differs from app.queue("jobs"): max_retries = 3 (default), app says maxRetries: 1; dead_letter_queue = (none), app says deadLetter: "jobs-dead"',
      'queue "jobs-dead" has no [[queues.producers]] binding, but it is the dead-letter queue of jobs',
      'no [[kv_namespaces]] with binding = "KV" (ctx.kv / c.var.kv)',
    ]);
    expect(problems[0]?.fix).toBe('crons = ["*/15 * * * *", "0 3 * * MON-FRI"]');
    expect(problems[2]?.fix).toBe(
      '[[queues.consumers]]\nqueue = "jobs"\nmax_batch_size = 5\nmax_batch_timeout = 2\nmax_retries = 1\ndead_letter_queue = "jobs-dead"',
    );
    expect(problems[3]?.fix).toBe('[[queues.producers]]\nqueue = "jobs-dead"\nbinding = "JOBS_DEAD"');
    expect(problems.every((p) => p.target === "cloudflare" && p.file === "wrangler-drifted.toml")).toBe(true);
  });

  it("adds the [triggers] table when there is none, and flags a consumer with no handler and a wrong binding name", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const toml = `
[[kv_namespaces]]
binding = "KV"
id = "x"
[[queues.producers]]
binding = "JOBS_QUEUE"
queue = "jobs"
[[queues.producers]]
binding = "JOBS_DEAD"
queue = "jobs-dead"
[[queues.consumers]]
queue = "jobs"
max_batch_size = 5
max_batch_timeout = 2
max_retries = 1
dead_letter_queue = "jobs-dead"
[[queues.consumers]]
queue = "emails"
`;
    const problems = checkWrangler(manifest, toml, { file: "w.toml" });
    expect(problems.map((p) => p.message)).toEqual([
      'cron "*/15 * * * *" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      'cron "0 3 * * MON-FRI" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      '[[queues.consumers]] for "emails" has no app.queue("emails") handler (its batches would fail)',
      'the producer of "jobs" is bound as "JOBS_QUEUE"; toCloudflare() reads JOBS unless its queues option says otherwise',
    ]);
    expect(problems[3]?.severity).toBe("warning"); // toCloudflare(app, { queues }) may rename it
    expect(problems[0]?.fix).toBe('[triggers]\ncrons = ["*/15 * * * *", "0 3 * * MON-FRI"]');
  });

  it("warns when main is not the entry being built, and reports TOML it cannot parse", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const source = readFileSync(`${fixtures}/basic/wrangler.toml`, "utf8");
    expect(checkWrangler(manifest, source, { file: "wrangler.toml", entry: "src/worker.ts" })).toEqual([
      {
        target: "cloudflare",
        file: "wrangler.toml",
        message: 'main = "worker.ts", but the Worker entry is src/worker.ts',
        fix: 'main = "src/worker.ts"',
        severity: "warning",
      },
    ]);
    expect(checkWrangler(manifest, "name = ", { file: "wrangler.toml" })[0]?.message).toMatch(
      /^is not valid TOML/,
    );
  });
});

describe("the generated SAM template, parsed back", () => {
  it("wires the shop's function, HTTP API, schedule, SQS consumers, queues and redrive policy", async () => {
    const { yaml, problems } = samTemplate(await manifestOf(repo, "examples/shop/app.ts"), {
      source: "examples/shop/app.ts",
    });
    expect(problems).toEqual([]);
    expect(yaml).toContain('AWSTemplateFormatVersion: "2010-09-09"'); // quoted: YAML 1.1 readers would see a date
    const t = parseYaml(yaml) as Json;
    expect(t.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(t.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(at(t, "Parameters", "TursoDatabaseUrl", "Type")).toBe("String");
    expect(at(t, "Parameters", "TursoAuthToken")).toMatchObject({
      Type: "String",
      NoEcho: true,
      Default: "",
    });

    const fn = at(t, "Resources", "SkiffFunction") as Json;
    expect(fn.Type).toBe("AWS::Serverless::Function");
    const props = fn.Properties as Json;
    expect(props).toMatchObject({
      CodeUri: ".",
      Handler: "index.handler",
      Runtime: "nodejs24.x",
      Timeout: 30,
    });
    expect(at(props, "Environment", "Variables")).toEqual({
      NODE_OPTIONS: "--enable-source-maps",
      TURSO_DATABASE_URL: { Ref: "TursoDatabaseUrl" },
      TURSO_AUTH_TOKEN: { Ref: "TursoAuthToken" },
      SKIFF_QUEUE_URL_ORDERS: { Ref: "OrdersQueue" },
      SKIFF_QUEUE_URL_ORDERS_DLQ: { Ref: "OrdersDlqQueue" },
    });
    expect(props.Policies).toEqual([
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["OrdersQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["OrdersQueue", "QueueName"] } } },
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["OrdersDlqQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["OrdersDlqQueue", "QueueName"] } } },
    ]);

    const events = props.Events as Record<string, Json>;
    expect(Object.keys(events)).toEqual([
      "Http",
      expect.stringMatching(/^Cron[0-9a-f]{8}$/),
      "OrdersQueueMessages",
      "OrdersDlqQueueMessages",
    ]);
    expect(events.Http).toEqual({ Type: "HttpApi" });
    const schedule = Object.entries(events).find(([name]) => name.startsWith("Cron"))?.[1] as Json;
    expect(schedule.Type).toBe("ScheduleV2");
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: "cron(0 9 * * ? *)",
      ScheduleExpressionTimezone: "UTC",
    });
    // The input is the Lambda adapter's own scheduleInput(), so the handler dispatches it to app.cron("0 9 * * *").
    expect(JSON.parse(at(schedule, "Properties", "Input") as string)).toEqual(scheduleInput("0 9 * * *"));
    expect(events.OrdersQueueMessages).toEqual({
      Type: "SQS",
      Properties: {
        Queue: { "Fn::GetAtt": ["OrdersQueue", "Arn"] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      },
    });
    expect(at(events.OrdersDlqQueueMessages, "Properties", "FunctionResponseTypes")).toEqual([
      "ReportBatchItemFailures",
    ]);

    expect(at(t, "Resources", "OrdersQueue")).toEqual({
      Type: "AWS::SQS::Queue",
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
      Properties: {
        // Named after the stack, so two stacks in one account and region do not collide.
        QueueName: { "Fn::Sub": "${AWS::StackName}-orders" },
        // 6 × the 30 s function timeout: AWS's rule for queues Lambda polls.
        VisibilityTimeout: 180,
        MessageRetentionPeriod: 345_600,
        // maxRetries: 2 retries after the first delivery = 3 receives.
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": ["OrdersDlqQueue", "Arn"] },
          maxReceiveCount: 3,
        },
      },
    });
    expect(at(t, "Resources", "OrdersDlqQueue")).toEqual({
      Type: "AWS::SQS::Queue",
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
      // Dead letters keep their first enqueue time: kept 14 days, longer than the 4 days of the queue feeding them.
      Properties: {
        QueueName: { "Fn::Sub": "${AWS::StackName}-orders-dlq" },
        VisibilityTimeout: 180,
        MessageRetentionPeriod: 1_209_600,
      },
    });
    expect(Object.keys(at(t, "Resources") as Json)).toEqual([
      "SkiffFunction",
      "OrdersQueue",
      "OrdersDlqQueue",
    ]);
    expect(at(t, "Outputs", "ApiUrl", "Value")).toEqual({
      "Fn::Sub": "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/",
    });
  });

  it("gives an undeclared dead-letter queue a resource, a URL and send rights but no consumer", async () => {
    const t = parseYaml(samTemplate(await manifestOf(`${fixtures}/basic`, "app.ts")).yaml) as Json;
    expect(at(t, "Resources", "JobsQueue", "Properties")).toEqual({
      QueueName: { "Fn::Sub": "${AWS::StackName}-jobs" },
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 345_600,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": ["JobsDeadQueue", "Arn"] }, maxReceiveCount: 2 },
    });
    expect(at(t, "Resources", "JobsDeadQueue", "Properties")).toEqual({
      QueueName: { "Fn::Sub": "${AWS::StackName}-jobs-dead" },
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 1_209_600,
    });
    const events = at(t, "Resources", "SkiffFunction", "Properties", "Events") as Record<string, Json>;
    expect(Object.keys(events).filter((e) => e.endsWith("Messages"))).toEqual(["JobsQueueMessages"]);
    expect(at(events.JobsQueueMessages, "Properties")).toMatchObject({
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 2,
    });
    const schedules = Object.values(events)
      .filter((e) => e.Type === "ScheduleV2")
      .map((e) => at(e, "Properties", "ScheduleExpression"));
    expect(schedules).toEqual(["cron(0/15 * * * ? *)", "cron(0 3 ? * MON-FRI *)"]);
    expect(
      at(
        t,
        "Resources",
        "SkiffFunction",
        "Properties",
        "Environment",
        "Variables",
        "SKIFF_QUEUE_URL_JOBS_DEAD",
      ),
    ).toEqual({ Ref: "JobsDeadQueue" });
  });

  it("reports what AWS cannot take instead of writing a broken template", async () => {
    const { problems, template } = samTemplate(await manifestOf(`${fixtures}/bad-crons`, "app.ts"));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^SAM template: cron "0 9 1 \* MON" cannot be expressed in AWS cron syntax: it restricts both/,
      ),
    ]);
    const events = at(template, "Resources", "SkiffFunction", "Properties", "Events") as Json;
    expect(
      Object.values(events)
        .map((e) => at(e, "Properties", "ScheduleExpression"))
        .filter(Boolean),
    ).toEqual(["cron(30 6 * * ? *)"]);
    const short = {
      routes: [],
      crons: [],
      queues: [
        {
          name: "q",
          declared: true,
          deadLetterFor: [],
          consumer: {
            kind: "message" as const,
            options: {
              maxRetries: 3,
              deadLetter: null,
              retryDelaySeconds: 0,
              maxBatchSize: 20,
              maxBatchTimeoutSeconds: 0,
              visibilityTimeoutSeconds: 10,
            },
          },
        },
      ],
    };
    const result = samTemplate(short);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('queue "q": a batch size over 10 needs maxBatchTimeoutSeconds of at least 1'),
    ]);
    // A visibilityTimeoutSeconds below 6 × the function timeout is raised to it rather than refused.
    expect(at(result.template, "Resources", "QQueue", "Properties", "VisibilityTimeout")).toBe(180);
  });
});
