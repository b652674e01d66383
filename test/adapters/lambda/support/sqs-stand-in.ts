import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsV4Signer } from "aws4fetch";

/**
 * A stand-in for Amazon SQS, which cannot run here: a small node:http server on 127.0.0.1 that speaks the two
 * actions skiff uses over the AWS JSON protocol (SendMessageBatch, ChangeMessageVisibilityBatch). It records what
 * it receives and checks every request's SigV4 signature by signing the same request again with the test
 * credentials, so an unsigned or badly signed request fails the test instead of passing quietly.
 */

/** The credentials the stand-in accepts; put them in the handler's env. */
export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIDSKIFFTEST",
  AWS_SECRET_ACCESS_KEY: "skiff-test-secret",
  AWS_SESSION_TOKEN: "skiff-test-session",
  AWS_REGION: "us-east-1",
} as const;

export interface SendEntry {
  Id: string;
  MessageBody: string;
  DelaySeconds?: number;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export interface VisibilityChange {
  queue: string;
  ReceiptHandle: string;
  VisibilityTimeout: number;
}

export interface SqsStandIn {
  readonly origin: string;
  queueUrl(name: string): string;
  /** Parsed bodies sent to a queue, oldest first. */
  sent(name: string): unknown[];
  /** Raw entries sent to a queue, oldest first. */
  entries(name: string): SendEntry[];
  readonly visibilityChanges: VisibilityChange[];
  /** Each request: action, queue name, and how many entries it carried. */
  readonly calls: Array<{ action: string; queue: string; entries: number }>;
  /** Requests whose signature did not verify (they were refused with 403). */
  readonly badSignatures: string[];
  /** Answer entries for which `predicate` is true as failed (SQS's partial failure). */
  failEntries(predicate: ((entry: SendEntry) => boolean) | undefined): void;
  /** Answer every request for this queue with QueueDoesNotExist. */
  removeQueue(name: string): void;
  close(): Promise<void>;
}

const ACCOUNT = "123456789012";

export async function startSqsStandIn(): Promise<SqsStandIn> {
  const sent = new Map<string, SendEntry[]>();
  const visibilityChanges: VisibilityChange[] = [];
  const calls: SqsStandIn["calls"] = [];
  const badSignatures: string[] = [];
  const removed = new Set<string>();
  let failing: ((entry: SendEntry) => boolean) | undefined;

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const problem = await verifySignature(req, body);
    if (problem) {
      badSignatures.push(problem);
      return reply(res, 403, {
        __type: "com.amazon.coral.service#InvalidSignatureException",
        message: problem,
      });
    }
    const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "");
    const payload = JSON.parse(body) as { QueueUrl: string; Entries: Array<Record<string, unknown>> };
    const queue = payload.QueueUrl.slice(payload.QueueUrl.lastIndexOf("/") + 1);
    calls.push({ action, queue, entries: payload.Entries?.length ?? 0 });
    if (removed.has(queue)) {
      return reply(res, 400, {
        __type: "com.amazonaws.sqs#QueueDoesNotExist",
        message: "The specified queue does not exist.",
      });
    }
    if (action === "SendMessageBatch") {
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of payload.Entries as unknown as SendEntry[]) {
        if (failing?.(entry)) {
          Failed.push({
            Id: entry.Id,
            Code: "InternalError",
            SenderFault: false,
            Message: "injected failure",
          });
        } else {
          sent.set(queue, [...(sent.get(queue) ?? []), entry]);
          Successful.push({ Id: entry.Id, MessageId: randomUUID(), MD5OfMessageBody: "" });
        }
      }
      return reply(res, 200, { Successful, Failed });
    }
    if (action === "ChangeMessageVisibilityBatch") {
      for (const entry of payload.Entries as unknown as Array<{
        ReceiptHandle: string;
        VisibilityTimeout: number;
      }>) {
        visibilityChanges.push({
          queue,
          ReceiptHandle: entry.ReceiptHandle,
          VisibilityTimeout: entry.VisibilityTimeout,
        });
      }
      return reply(res, 200, { Successful: payload.Entries.map((e) => ({ Id: e.Id })), Failed: [] });
    }
    return reply(res, 400, {
      __type: "com.amazonaws.sqs#UnsupportedOperation",
      message: `not simulated: ${action}`,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      reply(res, 500, { __type: "InternalFailure", message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    queueUrl: (name) => `${origin}/${ACCOUNT}/${name}`,
    sent: (name) => (sent.get(name) ?? []).map((e) => JSON.parse(e.MessageBody) as unknown),
    entries: (name) => sent.get(name) ?? [],
    visibilityChanges,
    calls,
    badSignatures,
    failEntries: (predicate) => {
      failing = predicate;
    },
    removeQueue: (name) => removed.add(name),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Re-sign the request with the expected credentials, over exactly the headers it says it signed, and compare.
async function verifySignature(req: IncomingMessage, body: string): Promise<string | undefined> {
  const authorization = req.headers.authorization;
  if (!authorization) return "no Authorization header";
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  if (!signedHeaders.includes("x-amz-target") || !signedHeaders.includes("x-amz-date"))
    return `unexpected SignedHeaders in ${authorization}`;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) if (name !== "host") headers[name] = String(req.headers[name] ?? "");
  const signer = new AwsV4Signer({
    method: req.method ?? "POST",
    url: `http://${req.headers.host}${req.url ?? "/"}`,
    headers,
    body,
    accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID,
    secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN,
    service: "sqs",
    region: TEST_CREDENTIALS.AWS_REGION,
    datetime: headers["x-amz-date"],
  });
  const expected = (await signer.sign()).headers.get("authorization");
  return expected === authorization
    ? undefined
    : `signature mismatch: got ${authorization}, expected ${expected}`;
}
