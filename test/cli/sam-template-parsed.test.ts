import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { scheduleInput } from "skiff/lambda";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";
import { bucketsOf } from "../../src/cli/targets/lambda/sam-buckets.js";
import { describeApp } from "../../src/cli/app/manifest.js";
import { loadApp } from "../../src/cli/app/load.js";
import { resolveProject } from "../../src/cli/project.js";
import { repo, fixtures, manifestOf, type Json, at } from "./support/config.js";

// The bucket name SAM derives from the stack (the target's own expression, pinned once here).
const uploadsBucketName = {
  "Fn::Join": [
    "-",
    [
      "uploads",
      {
        "Fn::Select": [
          0,
          { "Fn::Split": ["-", { "Fn::Select": [2, { "Fn::Split": ["/", { Ref: "AWS::StackId" }] }] }] },
        ],
      },
    ],
  ],
};

describe("the generated SAM template, parsed back", () => {
  it("wires the shop's function, HTTP API, schedules, SQS consumers, queues, redrive policy, S3 bucket and events", async () => {
    // As the lambda target builds it: the manifest, plus the app's buckets and storage handlers.
    const app = await loadApp(resolveProject({ root: repo, app: "examples/shop/app.ts" }));
    const { yaml, problems } = samTemplate(describeApp(app), {
      source: "examples/shop/app.ts",
      buckets: bucketsOf(app),
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
      SKIFF_QUEUE_URL_SKIFF_WORKFLOWS: { Ref: "SkiffWorkflowsQueue" },
      SKIFF_QUEUE_URL_THUMBNAILS_DLQ: { Ref: "ThumbnailsDlqQueue" },
      SKIFF_QUEUE_URL_SKIFF_STORAGE_UPLOADS: { Ref: "SkiffStorageUploadsQueue" },
      SKIFF_QUEUE_URL_SKIFF_CHANGES: { Ref: "SkiffChangesQueue" },
      SKIFF_BUCKET_UPLOADS: uploadsBucketName,
    });
    expect(props.Policies).toEqual([
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["OrdersQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["OrdersQueue", "QueueName"] } } },
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["OrdersDlqQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["OrdersDlqQueue", "QueueName"] } } },
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["SkiffWorkflowsQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["SkiffWorkflowsQueue", "QueueName"] } } },
      // app.storage's dead letters are only sent to: no poller.
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["ThumbnailsDlqQueue", "QueueName"] } } },
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["SkiffStorageUploadsQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["SkiffStorageUploadsQueue", "QueueName"] } } },
      { SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": ["SkiffChangesQueue", "QueueName"] } } },
      { SQSPollerPolicy: { QueueName: { "Fn::GetAtt": ["SkiffChangesQueue", "QueueName"] } } },
      { S3CrudPolicy: { BucketName: uploadsBucketName } },
    ]);

    const events = props.Events as Record<string, Json>;
    expect(Object.keys(events)).toEqual([
      "Http",
      expect.stringMatching(/^Cron[0-9a-f]{8}$/),
      expect.stringMatching(/^Cron[0-9a-f]{8}$/), // the workflow timer cron (and the change relay's backstop)
      "OrdersQueueMessages",
      "OrdersDlqQueueMessages",
      "SkiffWorkflowsQueueMessages",
      "SkiffStorageUploadsQueueMessages",
      "SkiffChangesQueueMessages",
      "UploadsBucketEvents",
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
    expect(at(events.SkiffWorkflowsQueueMessages, "Properties", "FunctionResponseTypes")).toEqual([
      "ReportBatchItemFailures",
    ]);
    for (const queue of ["SkiffStorageUploadsQueue", "SkiffChangesQueue"])
      expect(at(events[`${queue}Messages`], "Properties")).toMatchObject({
        Queue: { "Fn::GetAtt": [queue, "Arn"] },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    // app.storage("uploads", { events: ["created"], prefix: "photos/", suffix: ".png" }) as an S3 event source.
    expect(events.UploadsBucketEvents).toEqual({
      Type: "S3",
      Properties: {
        Bucket: { Ref: "UploadsBucket" },
        Events: ["s3:ObjectCreated:*"],
        Filter: {
          S3Key: {
            Rules: [
              { Name: "prefix", Value: "photos/" },
              { Name: "suffix", Value: ".png" },
            ],
          },
        },
      },
    });
    const timer = Object.entries(events).filter(([name]) => name.startsWith("Cron"))[1]?.[1] as Json;
    expect(timer.Properties).toMatchObject({
      ScheduleExpression: "cron(0 0 * * ? *)",
      Description: "skiff's workflow timer cron (workflows: checkout, inventory-report)",
    });

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
      "SkiffWorkflowsQueue",
      "ThumbnailsDlqQueue",
      "SkiffStorageUploadsQueue",
      "SkiffChangesQueue",
      "UploadsBucket",
    ]);
    // The storage queue's redrive goes to the app's dead-letter queue: maxRetries 3 = 4 receives.
    expect(at(t, "Resources", "SkiffStorageUploadsQueue", "Properties", "RedrivePolicy")).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["ThumbnailsDlqQueue", "Arn"] },
      maxReceiveCount: 4,
    });
    expect(at(t, "Resources", "UploadsBucket")).toEqual({
      Type: "AWS::S3::Bucket",
      Properties: {
        BucketName: uploadsBucketName,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
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
      workflows: [],
      workflowTimerCron: null,
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
