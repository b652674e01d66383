import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { toLambda } from "skiff/lambda";
import { z } from "zod";
import type { StorageEvent } from "../../../src/triggers/storage/types.js";
import { readFileSync } from "node:fs";
import { fixture, sqsEvent } from "./support/events.js";
import { type SqsStandIn, startSqsStandIn, TEST_CREDENTIALS } from "./support/sqs-stand-in.js";

// Real S3 shapes: the S3 and SNS fixtures of aws-lambda-go, the EventBridge and test-event examples of the AWS docs
// (test/fixtures), and an S3 event JSON in an SQS body and in an SNS envelope built from the AWS docs' structure.
const docs = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../fixtures/aws-events-docs/${name}`, import.meta.url), "utf8")) as T;

let standIn: SqsStandIn;
beforeAll(async () => {
  standIn = await startSqsStandIn();
});
afterAll(async () => {
  await standIn.close();
});

const seen: StorageEvent[] = [];
let failing = false;
beforeEach(() => {
  seen.length = 0;
  failing = false;
  standIn.failEntries(undefined);
});

const app = new Skiff({
  buckets: { uploads: {}, exports: { name: "acme-exports" } },
  queues: { dlq: z.unknown() },
});
app.storage(
  "uploads",
  async (event) => {
    seen.push(event);
    if (failing) throw new Error("thumbnailer down");
  },
  { maxRetries: 2, deadLetter: "dlq" },
);

const QUEUE = "stack-skiff-storage-uploads";
// The stand-in's URL is known only once it listens: build the handler per test.
const lambda = () =>
  toLambda(app, {
    env: {
      ...TEST_CREDENTIALS,
      SKIFF_QUEUE_URL_SKIFF_STORAGE_UPLOADS: standIn.queueUrl(QUEUE),
      SKIFF_QUEUE_URL_DLQ: standIn.queueUrl("stack-dlq"),
      SKIFF_BUCKET_UPLOADS: "sourcebucket",
    },
    buckets: { exports: "acme-exports" },
  });

const s3Record = (key: string, eventName = "ObjectCreated:Put") => ({
  eventVersion: "2.1",
  eventSource: "aws:s3",
  awsRegion: "us-east-1",
  eventTime: "2026-03-01T10:00:00.000Z",
  eventName,
  s3: {
    s3SchemaVersion: "1.0",
    configurationId: "skiff-uploads",
    bucket: { name: "sourcebucket", arn: "arn:aws:s3:::sourcebucket" },
    object: eventName.startsWith("ObjectCreated")
      ? { key, size: 42, eTag: "0123456789abcdef0123456789abcdef", sequencer: "0A1B2C3D4E5F678901" }
      : { key, sequencer: "0A1B2C3D4E5F678902" },
  },
});

describe("S3 events on Lambda reach app.storage() through the bucket's queue", () => {
  it("forwards a direct S3 notification (the fixture) to the queue, and the SQS delivery runs the handler with the decoded key", async () => {
    const h = lambda();
    expect(await h(fixture("s3-event.json"))).toBeUndefined();
    const sent = standIn.sent(QUEUE);
    expect(sent.at(-1)).toMatchObject({
      skiff: "storage",
      bucket: "uploads",
      key: "Happy Face.jpg",
      size: 1024,
    });
    expect(seen).toEqual([]); // not run inline: the queue carries it, with its retry contract

    const result = await h(sqsEvent(QUEUE, [{ id: "m1", body: sent.at(-1) }]));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      {
        bucket: "uploads",
        key: "Happy Face.jpg",
        size: 1024,
        etag: "d41d8cd98f00b204e9800998ecf8427e",
        event: "created",
        time: new Date("1970-01-01T00:00:00.123Z"),
      },
    ]);
  });

  it("reads S3 event JSON in SQS bodies: '+' and %XX keys decoded, deletions without size, the s3:TestEvent acknowledged", async () => {
    const result = await lambda()(
      sqsEvent(QUEUE, [
        { id: "t", body: docs("s3-test-event.json") },
        { id: "c", body: { Records: [s3Record("photos/my+cat%2B1.png")] } },
        { id: "d", body: { Records: [s3Record("photos/old.png", "ObjectRemoved:Delete")] } },
        { id: "r", body: { Records: [s3Record("photos/cold.png", "ObjectRestore:Completed")] } },
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen.map((e) => [e.key, e.event, e.size, e.etag])).toEqual([
      ["photos/my cat+1.png", "created", 42, "0123456789abcdef0123456789abcdef"],
      ["photos/old.png", "deleted", null, null],
    ]);
  });

  it("unwraps an S3 event in an SNS envelope (S3 → SNS → SQS)", async () => {
    const envelope = {
      Type: "Notification",
      MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      TopicArn: "arn:aws:sns:us-east-1:123456789012:uploads",
      Subject: "Amazon S3 Notification",
      Message: JSON.stringify({ Records: [s3Record("a+b.txt")] }),
      Timestamp: "2026-03-01T10:00:00.100Z",
    };
    expect(await lambda()(sqsEvent(QUEUE, [{ id: "s", body: envelope }]))).toEqual({ batchItemFailures: [] });
    expect(seen.map((e) => e.key)).toEqual(["a b.txt"]);
  });

  it("forwards an EventBridge 'Object Created' event (the AWS docs example) of a mapped bucket", async () => {
    const event = docs<Record<string, unknown>>("eventbridge-s3-object-created.json");
    const h = toLambda(app, {
      env: { ...TEST_CREDENTIALS, SKIFF_QUEUE_URL_SKIFF_STORAGE_UPLOADS: standIn.queueUrl(QUEUE) },
      buckets: { uploads: "amzn-s3-demo-bucket1" },
    });
    await h(event);
    expect(standIn.sent(QUEUE).at(-1)).toMatchObject({
      skiff: "storage",
      bucket: "uploads",
      key: "example-key",
      size: 5,
      etag: "b1946ac92492d2347c6235b4d2611184",
      event: "created",
      time: "2021-11-12T00:00:00.000Z",
    });
  });

  it("retries a failing handler with batchItemFailures, then dead-letters after maxRetries", async () => {
    failing = true;
    const body = { Records: [s3Record("x.png")] };
    expect(await lambda()(sqsEvent(QUEUE, [{ id: "f1", body, attempts: 1 }]))).toEqual({
      batchItemFailures: [{ itemIdentifier: "f1" }],
    });
    expect(await lambda()(sqsEvent(QUEUE, [{ id: "f1", body, attempts: 3 }]))).toEqual({
      batchItemFailures: [],
    });
    expect(standIn.sent("stack-dlq").at(-1)).toEqual(body);
  });

  it("dead-letters a body that is no storage event instead of retrying it forever", async () => {
    expect(await lambda()(sqsEvent(QUEUE, [{ id: "junk", body: { hello: "world" } }]))).toEqual({
      batchItemFailures: [],
    });
    expect(standIn.sent("stack-dlq").at(-1)).toEqual({ hello: "world" });
    expect(seen).toEqual([]);
  });

  it("refuses an event of a bucket the app does not know, naming the mapping to set", async () => {
    const event = fixture<{ Records: Array<{ s3: { bucket: { name: string } } }> }>("s3-event.json");
    event.Records[0]!.s3.bucket.name = "someone-elses-bucket";
    await expect(lambda()(event)).rejects.toThrow(
      /S3 bucket "someone-elses-bucket", which is none of the app's buckets/,
    );
  });

  it("still refuses S3 events in an app without storage handlers", async () => {
    const plain = toLambda(new Skiff({ buckets: { uploads: {} } }), { env: {} });
    await expect(plain(fixture("s3-event.json"))).rejects.toThrow("which skiff does not route");
  });
});
