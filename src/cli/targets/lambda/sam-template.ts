import { createHash } from "node:crypto";
import { Document, Scalar } from "yaml";
import type { AppManifest } from "../../app/manifest.js";
import type { Problem } from "../../errors.js";
import { queueUrlVariable } from "../../../adapters/lambda/queue-url.js";
import { scheduleInput } from "../../../adapters/lambda/schedule.js";
import { AwsCronError, toAwsCron } from "./aws-cron.js";

/**
 * Options of {@link samTemplate}.
 *
 * @example
 * ```ts
 * samTemplate(manifest, { timeout: 15, memorySize: 512, source: "src/app.ts" });
 * ```
 */
export interface SamOptions {
  /** Handler, `<file without extension>.<export>`. Default `index.handler`. */
  handler?: string;
  /** Function timeout in seconds; SQS visibility timeouts must be at least this. Default 30 (the HTTP API maximum). */
  timeout?: number;
  /** Memory in MB. Default 1024. */
  memorySize?: number;
  /** Where the app lives, for the description. */
  source?: string;
}

/**
 * The result of {@link samTemplate}: the template as a plain object (for tests and `--json`), its YAML text, and
 * the problems that kept parts of the app out of it (a cron AWS cannot express, queue settings AWS refuses).
 *
 * @example
 * ```ts
 * const { yaml, problems } = samTemplate(manifest);
 * if (!problems.length) writeFileSync("template.yaml", yaml);
 * ```
 */
export interface SamResult {
  template: Record<string, unknown>;
  yaml: string;
  problems: Problem[];
}

const ref = (name: string) => ({ Ref: name });
const getAtt = (name: string, attribute: string) => ({ "Fn::GetAtt": [name, attribute] });

/**
 * Generates the AWS SAM template of an app on Lambda: one `nodejs20.x` function behind an HTTP API
 * (`$default` route, payload v2), `TURSO_DATABASE_URL`/`TURSO_AUTH_TOKEN` from stack parameters, one
 * EventBridge Scheduler event (`ScheduleV2`) per cron (translated with {@link toAwsCron}; its input
 * `{"skiff":"cron","cron":"<expression>",...}` is the Lambda adapter's `scheduleInput()`), one SQS event per consumed queue with `FunctionResponseTypes: [ReportBatchItemFailures]`
 * (without it AWS ignores partial batch failures) and the consumer's batch size and window, an `AWS::SQS::Queue`
 * per queue with a redrive policy to its dead-letter queue after `maxRetries + 1` receives and the consumer's
 * visibility timeout, the queue URLs as `SKIFF_QUEUE_URL_<NAME>` env variables, send permissions on every queue and
 * poller permissions (including `ChangeMessageVisibility`, which retry delays use) on consumed ones. Long-form intrinsics (`Ref`, `Fn::GetAtt`) keep the
 * YAML free of custom tags.
 *
 * @example
 * ```ts
 * const { yaml } = samTemplate(describeApp(app), { source: "examples/shop/app.ts" });
 * writeFileSync(".skiff/build/lambda/template.yaml", yaml); // then: sam deploy -t .skiff/build/lambda/template.yaml --guided
 * ```
 */
export function samTemplate(manifest: AppManifest, options: SamOptions = {}): SamResult {
  const problems: Problem[] = [];
  const timeout = options.timeout ?? 30;
  const problem = (message: string) =>
    problems.push({ target: "lambda", message: `SAM template: ${message}` });
  const ids = logicalIds(manifest.queues.map((q) => q.name));

  const events: Record<string, unknown> = { Http: { Type: "HttpApi" } };
  for (const cron of manifest.crons) {
    let schedule: string;
    try {
      schedule = toAwsCron(cron.expression);
    } catch (error) {
      if (!(error instanceof AwsCronError)) throw error;
      problem(error.message.replace(/^\[skiff\] /, ""));
      continue;
    }
    const hash = createHash("sha1").update(cron.expression).digest("hex").slice(0, 8);
    // EventBridge Scheduler (AWS's successor to scheduled rules) fills the input's <aws.scheduler.*> placeholders
    // with the scheduled time and execution id, which the Lambda adapter passes on in the cron event.
    events[`Cron${hash}`] = {
      Type: "ScheduleV2",
      Properties: {
        ScheduleExpression: schedule,
        ScheduleExpressionTimezone: "UTC",
        Input: JSON.stringify(scheduleInput(cron.expression)),
        Description: `app.cron("${cron.expression}")`,
      },
    };
  }

  const resources: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {
    NODE_OPTIONS: "--enable-source-maps",
    TURSO_DATABASE_URL: ref("TursoDatabaseUrl"),
    TURSO_AUTH_TOKEN: ref("TursoAuthToken"),
  };
  const policies: unknown[] = [];
  for (const queue of manifest.queues) {
    const id = ids.get(queue.name) as string;
    const consumer = queue.consumer?.options;
    const properties: Record<string, unknown> = {
      QueueName: queue.name,
      VisibilityTimeout: consumer?.visibilityTimeoutSeconds ?? timeout,
    };
    if (consumer?.deadLetter) {
      // SQS counts receives, skiff counts retries after the first delivery.
      properties.RedrivePolicy = {
        deadLetterTargetArn: getAtt(ids.get(consumer.deadLetter) as string, "Arn"),
        maxReceiveCount: consumer.maxRetries + 1,
      };
    }
    resources[id] = { Type: "AWS::SQS::Queue", Properties: properties };
    variables[queueUrlVariable(queue.name)] = ref(id);
    policies.push({ SQSSendMessagePolicy: { QueueName: getAtt(id, "QueueName") } });
    if (!consumer) continue;
    // The SQS event's managed policy cannot change visibility; skiff's retry delays do (ChangeMessageVisibility).
    policies.push({ SQSPollerPolicy: { QueueName: getAtt(id, "QueueName") } });
    if (consumer.visibilityTimeoutSeconds < timeout) {
      problem(
        `queue "${queue.name}": visibilityTimeoutSeconds ${consumer.visibilityTimeoutSeconds} is below the function timeout (${timeout} s); ` +
          `AWS refuses the event source mapping. Set visibilityTimeoutSeconds: ${timeout} or more in app.queue("${queue.name}", ...)`,
      );
    }
    if (consumer.maxBatchSize > 10 && consumer.maxBatchTimeoutSeconds < 1) {
      problem(
        `queue "${queue.name}": a batch size over 10 needs maxBatchTimeoutSeconds of at least 1 on SQS`,
      );
    }
    events[`${id}Messages`] = {
      Type: "SQS",
      Properties: {
        Queue: getAtt(id, "Arn"),
        BatchSize: consumer.maxBatchSize,
        MaximumBatchingWindowInSeconds: consumer.maxBatchTimeoutSeconds,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      },
    };
  }

  const template: Record<string, unknown> = {
    // Quoted in the YAML: a YAML 1.1 reader (CloudFormation's) would otherwise see a date.
    AWSTemplateFormatVersion: Object.assign(new Scalar("2010-09-09"), { type: Scalar.QUOTE_DOUBLE }),
    Transform: "AWS::Serverless-2016-10-31",
    Description: `skiff app${options.source ? ` ${options.source}` : ""} on AWS Lambda (generated by skiff build --target lambda)`,
    Parameters: {
      TursoDatabaseUrl: { Type: "String", Description: "libSQL database URL (libsql://<db>-<org>.turso.io)" },
      TursoAuthToken: {
        Type: "String",
        NoEcho: true,
        Default: "",
        Description: "libSQL auth token (empty for none)",
      },
    },
    Resources: {
      SkiffFunction: {
        Type: "AWS::Serverless::Function",
        Properties: {
          CodeUri: ".",
          Handler: options.handler ?? "index.handler",
          Runtime: "nodejs20.x",
          Architectures: ["x86_64"],
          MemorySize: options.memorySize ?? 1024,
          Timeout: timeout,
          Environment: { Variables: variables },
          ...(policies.length ? { Policies: policies } : {}),
          Events: events,
        },
      },
      ...resources,
    },
    Outputs: {
      ApiUrl: {
        Description: "HTTP API endpoint",
        Value: { "Fn::Sub": "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" },
      },
    },
  };
  const doc = new Document(template);
  template.AWSTemplateFormatVersion = "2010-09-09";
  doc.commentBefore =
    " Generated by `skiff build --target lambda`: regenerate it rather than editing it.\n Deploy: sam deploy -t template.yaml --guided";
  return { template, yaml: doc.toString({ lineWidth: 0 }), problems };
}

// CloudFormation logical ids are alphanumeric: "orders-dlq" -> "OrdersDlqQueue", unique even when names collide.
function logicalIds(names: string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>(["SkiffFunction"]);
  for (const name of names) {
    const base = `${
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join("") || "Q"
    }Queue`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}${n}`;
    used.add(id);
    ids.set(name, id);
  }
  return ids;
}
