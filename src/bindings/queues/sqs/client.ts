// The two SQS calls skiff makes (SendMessageBatch, ChangeMessageVisibilityBatch) over the AWS JSON protocol, signed
// with SigV4 by aws4fetch. Used by the SQS transport (./transport.ts) and the Lambda adapter's SQS handling.
import { AwsClient } from "aws4fetch";
import { ConfigError, SkiffError } from "../../../errors.js";

/**
 * One failed entry of a batch result; SQS lists every entry in exactly one of `Successful` and `Failed`.
 *
 * @example
 * ```ts
 * const failed: SqsBatchResultEntry = { Id: "3", Code: "InternalError", SenderFault: false };
 * ```
 */
export interface SqsBatchResultEntry {
  Id: string;
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

/**
 * The answer of a `*Batch` action (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html).
 *
 * @example
 * ```ts
 * const result: SqsBatchResult = { Successful: [{ Id: "0" }], Failed: [] };
 * ```
 */
export interface SqsBatchResult {
  Successful?: Array<{ Id: string }>;
  Failed?: SqsBatchResultEntry[];
}

const stringIn = (env: Record<string, unknown>, name: string): string | undefined => {
  const value = env[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
};

/**
 * A minimal SQS client: credentials from the standard Lambda environment (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * read once, when the first call is made.
 *
 * @example
 * ```ts
 * const sqs = new SqsClient(process.env);
 * await sqs.call("SendMessageBatch", queueUrl, { Entries: [{ Id: "0", MessageBody: "{}" }] });
 * ```
 */
export class SqsClient {
  readonly #env: Record<string, unknown>;
  #aws: AwsClient | undefined;

  constructor(env: Record<string, unknown>) {
    this.#env = env;
  }

  #client(): AwsClient {
    if (this.#aws) return this.#aws;
    const accessKeyId = stringIn(this.#env, "AWS_ACCESS_KEY_ID");
    const secretAccessKey = stringIn(this.#env, "AWS_SECRET_ACCESS_KEY");
    for (const [variable, value] of [
      ["AWS_ACCESS_KEY_ID", accessKeyId],
      ["AWS_SECRET_ACCESS_KEY", secretAccessKey],
    ] as const) {
      if (!value) {
        throw new ConfigError(
          `${variable} is not set: SQS requests are signed with the function's credentials, which Lambda puts in the environment`,
          { variable },
        );
      }
    }
    // aws4fetch retries 5xx and 429 with jittered backoff; 10 tries (its default) could outlast a Lambda timeout.
    this.#aws = new AwsClient({
      accessKeyId: accessKeyId as string,
      secretAccessKey: secretAccessKey as string,
      sessionToken: stringIn(this.#env, "AWS_SESSION_TOKEN"),
      service: "sqs",
      retries: 3,
    });
    return this.#aws;
  }

  /**
   * Calls `AmazonSQS.<action>` for the queue at `queueUrl`. The request goes to the endpoint that hosts the queue
   * (`POST /` with `X-Amz-Target`,
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html);
   * an error answer throws a SkiffError with SQS's error code and message.
   */
  async call<T>(action: string, queueUrl: string, payload: Record<string, unknown>): Promise<T> {
    const url = new URL(queueUrl);
    const response = await this.#client().fetch(`${url.origin}/`, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
      body: JSON.stringify({ QueueUrl: queueUrl, ...payload }),
      aws: { service: "sqs", region: this.region(url) },
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = undefined;
    }
    if (!response.ok || typeof body !== "object" || body === null) {
      const error = (body ?? {}) as { __type?: string; message?: string; Message?: string };
      const code = error.__type?.split("#").pop() ?? `HTTP ${response.status}`;
      const detail = error.message ?? error.Message ?? text.slice(0, 200);
      throw new SkiffError(`SQS ${action} on ${queueUrl} failed: ${code}${detail ? `: ${detail}` : ""}`);
    }
    return body as T;
  }

  /** The region of a queue: from an `sqs.<region>.amazonaws.com` URL, else `AWS_REGION` (Lambda always sets it). */
  region(url: URL): string {
    const fromHost = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname)?.[1];
    const region = fromHost ?? stringIn(this.#env, "AWS_REGION") ?? stringIn(this.#env, "AWS_DEFAULT_REGION");
    if (!region) {
      throw new ConfigError(`AWS_REGION is not set and the queue URL ${url.href} does not name a region`, {
        variable: "AWS_REGION",
      });
    }
    return region;
  }
}

/**
 * Throws unless every entry of a batch call succeeded, naming each failure; SQS answers 200 even when some entries
 * failed, so a partial failure would otherwise pass silently.
 *
 * @example
 * ```ts
 * assertAllSucceeded("SendMessageBatch", "orders", ["0", "1"], result); // throws if "0" or "1" failed or is missing
 * ```
 */
export function assertAllSucceeded(
  action: string,
  queue: string,
  ids: readonly string[],
  result: SqsBatchResult,
): void {
  const ok = new Set((result.Successful ?? []).map((entry) => entry.Id));
  const failed = (result.Failed ?? []).filter((entry) => ids.includes(entry.Id));
  const missing = ids.filter((id) => !ok.has(id) && !failed.some((entry) => entry.Id === id));
  if (failed.length === 0 && missing.length === 0) return;
  const reasons = [
    ...failed.map((f) => `entry ${f.Id}: ${f.Code ?? "error"}${f.Message ? ` (${f.Message})` : ""}`),
    ...missing.map((id) => `entry ${id}: not in SQS's answer`),
  ];
  throw new SkiffError(
    `${action} to queue "${queue}": ${failed.length + missing.length} of ${ids.length} entries failed: ${reasons.join("; ")}`,
  );
}
