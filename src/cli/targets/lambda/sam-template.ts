import { createHash } from "node:crypto";
import { Document, Scalar } from "yaml";
import type { AppManifest } from "../../app/manifest.js";
import type { Problem } from "../../errors.js";
import type { EnvVariable } from "../../project.js";
import { scheduleInput } from "../../../adapters/lambda/schedule.js";
import { AwsCronError, toAwsCron } from "./aws-cron.js";
import { LAMBDA_RUNTIME } from "./runtime.js";
import { logicalIds } from "./sam-ids.js";
import { samParameters } from "./sam-parameters.js";
import { samQueues } from "./sam-queues.js";
import { samBuckets, type SamBucket } from "./sam-buckets.js";

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
  /** Function timeout in seconds; every SQS visibility timeout is at least 6 times this. Default 30 (the HTTP API maximum). */
  timeout?: number;
  /** Memory in MB. Default 1024. */
  memorySize?: number;
  /** Where the app lives, for the description. */
  source?: string;
  /** The app's environment variables (`skiff.env` in package.json), as stack parameters. */
  env?: readonly EnvVariable[];
  /** The app's buckets and storage handlers (`bucketsOf(app)`): S3 buckets and S3 events (see `samBuckets`). */
  buckets?: readonly SamBucket[];
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

/**
 * Generates the AWS SAM template of an app on Lambda: one function on {@link LAMBDA_RUNTIME} (the Node the bundle
 * is built for) behind an HTTP API (`$default` route, payload v2); a stack parameter per environment variable
 * (`TURSO_DATABASE_URL`, `TURSO_AUTH_TOKEN` and every `skiff.env` entry, secrets `NoEcho`, see
 * {@link samParameters}); one EventBridge Scheduler event (`ScheduleV2`) per cron (translated with
 * {@link toAwsCron}; its input `{"skiff":"cron","cron":"<expression>",...}` is the Lambda adapter's
 * `scheduleInput()`); and the app's queues (see {@link samQueues}): named after the stack, with visibility
 * timeouts of at least 6 times the function timeout, redrive policies, `SKIFF_QUEUE_URL_<NAME>` variables, SQS
 * events with `FunctionResponseTypes: [ReportBatchItemFailures]` (without it AWS ignores partial batch failures),
 * and send and poll permissions. Long-form intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Sub`) keep the YAML free of
 * custom tags.
 *
 * @example
 * ```ts
 * const { yaml } = samTemplate(describeApp(app), { source: "examples/shop/app.ts", env: project.env });
 * writeFileSync(".skiff/build/lambda/template.yaml", yaml); // then: sam deploy -t .skiff/build/lambda/template.yaml --guided
 * ```
 */
export function samTemplate(manifest: AppManifest, options: SamOptions = {}): SamResult {
  const problems: Problem[] = [];
  const timeout = options.timeout ?? 30;
  const problem = (message: string) =>
    problems.push({ target: "lambda", message: `SAM template: ${message}` });
  const id = logicalIds(["SkiffFunction", "ServerlessHttpApi", "ApiUrl"]);

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
        Description:
          cron.expression === manifest.workflowTimerCron
            ? `skiff's workflow timer cron (workflows: ${manifest.workflows
                .filter((w) => w.implemented)
                .map((w) => w.name)
                .join(", ")})`
            : `app.cron("${cron.expression}")`,
      },
    };
  }

  const queues = samQueues(manifest.queues, id, timeout);
  const buckets = samBuckets(options.buckets ?? [], id);
  const env = samParameters(options.env ?? [], id, [
    ...Object.keys(queues.variables),
    ...Object.keys(buckets.variables),
  ]);
  for (const message of [...env.problems, ...queues.problems, ...buckets.problems]) problem(message);
  Object.assign(events, queues.events, buckets.events);
  const policies = [...queues.policies, ...buckets.policies];

  const template: Record<string, unknown> = {
    // Quoted in the YAML: a YAML 1.1 reader (CloudFormation's) would otherwise see a date.
    AWSTemplateFormatVersion: Object.assign(new Scalar("2010-09-09"), { type: Scalar.QUOTE_DOUBLE }),
    Transform: "AWS::Serverless-2016-10-31",
    Description: `skiff app${options.source ? ` ${options.source}` : ""} on AWS Lambda (generated by skiff build --target lambda)`,
    Parameters: env.parameters,
    Resources: {
      SkiffFunction: {
        Type: "AWS::Serverless::Function",
        Properties: {
          CodeUri: ".",
          Handler: options.handler ?? "index.handler",
          Runtime: LAMBDA_RUNTIME,
          Architectures: ["x86_64"],
          MemorySize: options.memorySize ?? 1024,
          Timeout: timeout,
          Environment: {
            Variables: {
              NODE_OPTIONS: "--enable-source-maps",
              ...env.variables,
              ...queues.variables,
              ...buckets.variables,
            },
          },
          ...(policies.length ? { Policies: policies } : {}),
          Events: events,
        },
      },
      ...queues.resources,
      ...buckets.resources,
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
