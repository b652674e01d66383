import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../src/cli/run/build.js";
import { runCheck } from "../../src/cli/run/check.js";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";
import { at, fixtures, manifestOf } from "./support/config.js";

// What workflows need on each target, checked by `skiff check`: the engine's queue (skiff-workflows) and its
// consumer, and the workflow timer cron. They are ordinary registry entries, so the per-queue and per-cron checks
// cover them; these tests prove it target by target, and pin the workflow-specific messages.
const root = join(fixtures, "workflows");
const app = { root, app: "app.ts", bundle: false } as const;
const refundWarning = {
  target: "app",
  severity: "warning",
  message:
    'workflow "refund" is declared in new Skiff({ workflows }) but has no app.workflow("refund", handler): runs started for it are journaled and never execute',
};

const out = mkdtempSync(join(tmpdir(), "skiff-cli-check-workflows-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("skiff check on an app with workflows", () => {
  it("warns once, whatever the targets, about a declared workflow without a handler", async () => {
    const report = await runCheck({ ...app, targets: ["lambda", "node"] });
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([refundWarning]);
  });

  it("cloudflare: passes a wrangler.toml with the queue, its consumer and the timer cron, and says which workflows need each when missing", async () => {
    const good = await runCheck({ ...app, targets: ["cloudflare"] });
    expect(good.problems).toEqual([refundWarning]);

    const drifted = await runCheck({ ...app, targets: ["cloudflare"], config: "wrangler-no-workflows.toml" });
    expect(drifted.ok).toBe(false);
    const because =
      " — skiff's own queue for the wake-ups of the workflows checkout, ship: without it no run advances";
    expect(drifted.problems.filter((p) => p.target === "cloudflare").map((p) => [p.message, p.fix])).toEqual([
      [
        'cron "*/5 * * * *" is registered with app.cron() but missing from [triggers] crons, so it never fires — the workflow timer cron skiff registers for the workflows checkout, ship: without it sleeps longer than the queue\'s longest delay never end and lost wake-ups are never recovered',
        '[triggers]\ncrons = ["*/5 * * * *"]',
      ],
      [
        `queue "skiff-workflows" has an app.queue() consumer but no [[queues.consumers]] entry, so nothing is delivered${because}`,
        expect.stringContaining(
          'queue = "skiff-workflows"\nmax_batch_size = 10\nmax_batch_timeout = 1\nmax_retries = 20',
        ),
      ],
      [
        `queue "skiff-workflows" has no [[queues.producers]] binding, but the app sends to it (c.var.queues / ctx.queues)${because}`,
        '[[queues.producers]]\nqueue = "skiff-workflows"\nbinding = "SKIFF_WORKFLOWS"',
      ],
    ]);

    // With no wrangler config, the whole file it prints has them.
    const none = await runCheck({ ...app, targets: ["cloudflare"], config: "wrangler-missing.toml" });
    const fix = none.problems.find((p) => p.target === "cloudflare")?.fix ?? "";
    expect(fix).toContain('crons = ["*/5 * * * *"]');
    expect(fix).toContain('[[queues.producers]]\nqueue = "skiff-workflows"\nbinding = "SKIFF_WORKFLOWS"');
    expect(fix).toContain('[[queues.consumers]]\nqueue = "skiff-workflows"');
  });

  it("vercel: the timer cron and the queue drain in vercel.json, the Hobby rule naming the timer option, and a warning without a drain", async () => {
    const pro = await runCheck({ ...app, targets: ["vercel"], plan: "pro" });
    expect(pro.problems).toEqual([refundWarning]);

    const hobby = await runCheck({ ...app, targets: ["vercel"] });
    expect(hobby.problems.filter((p) => p.target === "vercel")).toEqual([
      {
        target: "vercel",
        file: "vercel/vercel.json",
        message:
          'the workflow timer cron "*/5 * * * *" (of the workflows checkout, ship) runs more than once a day, which the Hobby plan refuses: set the app\'s timer option, new Skiff({ workflows, workflowTimers: "0 0 * * *" }), so sleeps longer than the queue\'s delay and lost wake-ups are handled daily (on Pro, pass --plan pro)',
      },
    ]);
    // The same kind of app with the daily timer passes on Hobby.
    const daily = await runCheck({
      root,
      app: "daily.ts",
      bundle: false,
      targets: ["vercel"],
      config: "vercel/vercel-daily.json",
    });
    expect(daily.problems).toEqual([]);

    const stale = await runCheck({
      ...app,
      targets: ["vercel"],
      plan: "pro",
      config: "vercel/vercel-no-workflows.json",
    });
    expect(stale.problems.filter((p) => p.target === "vercel").map((p) => p.message)).toEqual([
      'crons lacks {"path":"/api/__skiff/cron/*%2F5_*_*_*_*","schedule":"*/5 * * * *"} (the workflow timer cron of checkout, ship: it ends sleeps longer than the queue\'s delay and recovers lost wake-ups); run skiff build --target vercel to write it',
      'crons lacks {"path":"/api/__skiff/queues/drain","schedule":"0 0 * * *"} (the queue drain, which delivers the wake-ups of the workflows checkout, ship); run skiff build --target vercel to write it',
    ]);

    // skiff.vercel.drainSchedule: false leaves wake-ups to the drain after requests: said, as a warning.
    const noDrain = await runCheck({
      root: join(fixtures, "workflows-no-drain"),
      bundle: false,
      targets: ["vercel"],
      plan: "pro",
      config: "vercel.json",
    });
    expect(noDrain.ok).toBe(true);
    expect(noDrain.problems.filter((p) => p.target === "vercel")).toEqual([
      {
        target: "vercel",
        file: "package.json",
        severity: "warning",
        message:
          'skiff.vercel.drainSchedule is false, but the wake-ups of the workflows checkout, ship are queue messages, which Vercel delivers through the queue drain: runs then advance only when requests drain the queue (toVercel\'s drainOnRequest). Set a drain schedule ("0 0 * * *" on Hobby)',
      },
    ]);
  });

  it("lambda: the SAM template has the SQS queue, its event source mapping with ReportBatchItemFailures, and the timer schedule", async () => {
    const report = await runCheck({ ...app, targets: ["lambda"] });
    expect(report.problems).toEqual([refundWarning]);
    const { template, problems } = samTemplate(await manifestOf(root, "app.ts"));
    expect(problems).toEqual([]);
    const fn = (...path: string[]) => at(template, "Resources", "SkiffFunction", "Properties", ...path);
    expect(at(template, "Resources", "SkiffWorkflowsQueue")).toMatchObject({
      Type: "AWS::SQS::Queue",
      Properties: { QueueName: { "Fn::Sub": "${AWS::StackName}-skiff-workflows" }, VisibilityTimeout: 180 },
    });
    expect(fn("Events", "SkiffWorkflowsQueueMessages")).toEqual({
      Type: "SQS",
      Properties: {
        Queue: { "Fn::GetAtt": ["SkiffWorkflowsQueue", "Arn"] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      },
    });
    expect(fn("Environment", "Variables", "SKIFF_QUEUE_URL_SKIFF_WORKFLOWS")).toEqual({
      Ref: "SkiffWorkflowsQueue",
    });
    expect(fn("Policies")).toEqual([
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["SkiffWorkflowsQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["SkiffWorkflowsQueue", "QueueName"] } } },
    ]);
    const schedules = Object.values(
      fn("Events") as Record<string, { Type: string; Properties: unknown }>,
    ).filter((e) => e.Type === "ScheduleV2");
    expect(schedules).toEqual([
      {
        Type: "ScheduleV2",
        Properties: {
          ScheduleExpression: "cron(0/5 * * * ? *)",
          ScheduleExpressionTimezone: "UTC",
          Input: expect.stringContaining('"cron":"*/5 * * * *"'),
          Description: "skiff's workflow timer cron (workflows: checkout, ship)",
        },
      },
    ]);
    // The app's timer option moves the schedule.
    const daily = samTemplate(await manifestOf(root, "daily.ts")).template;
    expect(JSON.stringify(daily)).toContain('"ScheduleExpression":"cron(0 0 * * ? *)"');
  });

  it("node: nothing to deploy, so nothing to check", async () => {
    const report = await runCheck({ ...app, targets: ["node"] });
    expect(report.targets).toEqual([{ target: "node", entry: "node.ts", skipped: null, problems: 0 }]);
    expect(report.problems).toEqual([refundWarning]);
  });

  it("skiff build says the same: the template has the workflow queue, and the warning is in the build report", async () => {
    const report = await runBuild({ root, app: "app.ts", target: "lambda", outDir: join(out, "lambda") });
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([refundWarning]);
    const yaml = readFileSync(join(out, "lambda", "template.yaml"), "utf8");
    expect(yaml).toContain("SkiffWorkflowsQueueMessages:");
    expect(yaml).toContain('Description: "skiff\'s workflow timer cron (workflows: checkout, ship)"');
  }, 60_000);
});
