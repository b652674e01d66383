import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Producers } from "skiff";
import { type SqsEvent, toLambda } from "skiff/lambda";
import { z } from "zod";
import type { LambdaBindingsOptions } from "../../../src/adapters/lambda/options.js";
import { lambdaBindings } from "../../../src/adapters/lambda/runtime.js";
import { app, Job, recorded, resetRecorded, testEnv, testHandler } from "./support/app.js";
import { fixture, sqsEvent } from "./support/events.js";
import { type SqsStandIn, startSqsStandIn } from "./support/sqs-stand-in.js";

let standIn: SqsStandIn;
beforeAll(async () => {
  standIn = await startSqsStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  resetRecorded();
  standIn.failEntries(undefined);
  standIn.visibilityChanges.length = 0;
  standIn.calls.length = 0;
  standIn.badSignatures.length = 0;
});

describe("SQS batches: batchItemFailures names exactly the messages to retry", () => {
  it("reports only the failed messages of a standard queue, in order, after running every message", async () => {
    const result = await testHandler(standIn)(
      sqsEvent("jobs", [
        { id: "j1", body: { n: 1 } },
        { id: "j2", body: { n: -1 } },
        { id: "j3", body: { n: 2 } },
        { id: "j4", body: { n: -2 } },
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "j2" }, { itemIdentifier: "j4" }] });
    expect(recorded.jobs.map((j) => j.id)).toEqual(["j1", "j2", "j3", "j4"]);
  });

  it("handles the SQS fixture: a non-JSON body fails the schema and is dead-lettered, not retried", async () => {
    const event = fixture<SqsEvent>("sqs-event.json");
    const handler = testHandler(standIn, { queueNames: { SQSQueue: "jobs" } });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(recorded.jobs).toEqual([]);
    expect(standIn.sent("jobs-dlq").at(-1)).toBe("Message Body");
  });

  it("maps the fixture's ARN, ApproximateReceiveCount and SentTimestamp onto the message", async () => {
    const event = fixture<SqsEvent>("sqs-event.json");
    for (const record of event.Records) record.body = JSON.stringify({ n: 5 });
    expect(await testHandler(standIn, { queueNames: { SQSQueue: "jobs" } })(event)).toEqual({
      batchItemFailures: [],
    });
    expect(recorded.jobs).toEqual([{ id: "MessageID_1", n: 5, attempts: 2, timestamp: 1520621625029 }]);
  });

  it("dead-letters a message past maxRetries instead of retrying it", async () => {
    const result = await testHandler(standIn)(
      sqsEvent("jobs", [{ id: "tired", body: { n: -9 }, attempts: 4 }]),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(standIn.sent("jobs-dlq").at(-1)).toEqual({ n: -9 });
  });

  it("retries rather than loses a message whose dead-letter send fails", async () => {
    standIn.failEntries((entry) => entry.MessageBody === '{"n":-10}');
    const result = await testHandler(standIn)(
      sqsEvent("jobs", [{ id: "dl", body: { n: -10 }, attempts: 4 }]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "dl" }] });
  });

  it("stops a FIFO queue at the first failure and reports it and every later message", async () => {
    const result = await testHandler(standIn)(
      sqsEvent("steps.fifo", [
        { id: "s1", body: { n: 1 } },
        { id: "s2", body: { n: 2 } },
        { id: "s3", body: { n: 3 } },
        { id: "s4", body: { n: 4 } },
      ]),
    );
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: "s2" }, { itemIdentifier: "s3" }, { itemIdentifier: "s4" }],
    });
    expect(recorded.steps).toEqual([1, 2]);
  });

  it("fails the whole invocation for a queue the app does not consume (Lambda then retries the batch)", async () => {
    await expect(testHandler(standIn)(sqsEvent("unknown", [{ id: "u1", body: { n: 1 } }]))).rejects.toThrow(
      'a batch arrived for queue "unknown", which has no consumer in this app',
    );
  });
});

describe("retry delays on SQS", () => {
  it("delays a retry({ delaySeconds }) with ChangeMessageVisibilityBatch on the message's receipt handle", async () => {
    const result = await testHandler(standIn)(
      sqsEvent("jobs", [
        { id: "d1", body: { n: 7 } },
        { id: "d2", body: { n: -1 } },
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "d1" }, { itemIdentifier: "d2" }] });
    // Only the delayed one: a plain failure comes back after the queue's own visibility timeout.
    expect(standIn.visibilityChanges).toEqual([
      { queue: "jobs", ReceiptHandle: "rh-d1", VisibilityTimeout: 60 },
    ]);
    expect(standIn.badSignatures).toEqual([]);
  });

  it("leaves delays to the queue with retryDelay: 'ignore'", async () => {
    await testHandler(standIn, { retryDelay: "ignore" })(sqsEvent("jobs", [{ id: "d3", body: { n: 7 } }]));
    expect(standIn.visibilityChanges).toEqual([]);
  });

  it("still reports the retry, and logs why, when the visibility change fails", async () => {
    standIn.removeQueue("jobs-gone");
    const handler = toLambda(app, {
      env: { ...testEnv(standIn), SKIFF_QUEUE_URL_JOBS: standIn.queueUrl("jobs-gone") },
    });
    expect(await handler(sqsEvent("jobs", [{ id: "d4", body: { n: 7 } }]))).toEqual({
      batchItemFailures: [{ itemIdentifier: "d4" }],
    });
    const warning = recorded.logs.find((r) => r.msg.startsWith("could not delay retried messages"));
    expect(warning).toMatchObject({ level: "warn", queue: "jobs", messageIds: ["d4"] });
    expect((warning?.error as Error).message).toContain("QueueDoesNotExist");
  });
});

describe("queue producers on SQS", () => {
  // The app's typed producers, as handlers see them on c.var.queues / ctx.queues.
  type Queues = Producers<{ jobs: typeof Job; steps: typeof Job; "jobs-dlq": z.ZodUnknown }>;
  const producersWith = (options: LambdaBindingsOptions) =>
    lambdaBindings(app, options).runtime.queues as Queues;
  const producers = () => producersWith({ env: testEnv(standIn) });

  it("sends a batch with SendMessageBatch in chunks of 10, in order, signed with SigV4", async () => {
    const messages = Array.from({ length: 23 }, (_, n) => ({ body: { n } }));
    await producers().jobs.sendBatch(messages);
    expect(standIn.calls.filter((c) => c.action === "SendMessageBatch").map((c) => c.entries)).toEqual([
      10, 10, 3,
    ]);
    expect(standIn.sent("jobs").slice(-23)).toEqual(messages.map((m) => m.body));
    expect(standIn.badSignatures).toEqual([]);
  });

  it("passes delays up to SQS's 900 s and refuses a longer one before sending anything", async () => {
    await producers().jobs.send({ n: 1 }, { delaySeconds: 900 });
    expect(standIn.entries("jobs").at(-1)).toMatchObject({ DelaySeconds: 900 });
    const before = standIn.calls.length;
    await expect(
      producers().jobs.sendBatch([{ body: { n: 2 } }, { body: { n: 3 }, delaySeconds: 901 }]),
    ).rejects.toThrow(
      'queue "jobs": SQS delays a message by at most 900 seconds (15 minutes), got 901; nothing was sent',
    );
    expect(standIn.calls.length).toBe(before);
  });

  it("throws on a partial batch failure, naming the failed entries and what was already sent", async () => {
    standIn.failEntries((entry) => entry.MessageBody === '{"n":12}');
    const messages = Array.from({ length: 15 }, (_, n) => ({ body: { n } }));
    await expect(producers().jobs.sendBatch(messages)).rejects.toThrow(
      'SendMessageBatch to queue "jobs": 1 of 5 entries failed: entry 12: InternalError (injected failure) (the first 10 of 15 messages had been sent)',
    );
  });

  it("reports SQS's own error code", async () => {
    standIn.removeQueue("gone");
    const queues = producersWith({
      env: { ...testEnv(standIn), SKIFF_QUEUE_URL_JOBS: standIn.queueUrl("gone") },
    });
    await expect(queues.jobs.send({ n: 1 })).rejects.toThrow(
      `SQS SendMessageBatch on ${standIn.queueUrl("gone")} failed: QueueDoesNotExist: The specified queue does not exist.`,
    );
  });

  it("gives FIFO queues one message group per app queue and a fresh deduplication id, and no per-message delay", async () => {
    await producers().steps.sendBatch([{ body: { n: 1 } }, { body: { n: 2 } }]);
    const [a, b] = standIn.entries("steps.fifo").slice(-2);
    expect(a).toMatchObject({ MessageGroupId: "steps", MessageBody: '{"n":1}' });
    expect(b).toMatchObject({ MessageGroupId: "steps", MessageBody: '{"n":2}' });
    expect(a?.MessageDeduplicationId).not.toBe(b?.MessageDeduplicationId);
    await expect(producers().steps.send({ n: 3 }, { delaySeconds: 5 })).rejects.toThrow(
      "is a FIFO queue, where SQS has no per-message delay",
    );
  });

  it("is refused by the stand-in when the signature is wrong (the check is real)", async () => {
    const queues = producersWith({ env: { ...testEnv(standIn), AWS_SECRET_ACCESS_KEY: "wrong" } });
    await expect(queues.jobs.send({ n: 1 })).rejects.toThrow("InvalidSignatureException");
    expect(standIn.badSignatures).toHaveLength(1);
  });
});
