import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SkiffError } from "skiff";
import { toLambda } from "skiff/lambda";
import { app, recorded, resetRecorded, testEnv } from "./support/app.js";
import { sqsEvent } from "./support/events.js";
import { type SqsStandIn, startSqsStandIn } from "./support/sqs-stand-in.js";

// skiff's SAM template names each queue `${AWS::StackName}-<queue>`, so the ARN of a batch says `shop-prod-jobs`
// while the consumer is `jobs`: the configured queue URLs say which is which.
let standIn: SqsStandIn;
beforeAll(async () => {
  standIn = await startSqsStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => resetRecorded());

const stackEnv = () => ({
  ...testEnv(standIn),
  SKIFF_QUEUE_URL_JOBS: standIn.queueUrl("shop-prod-jobs"),
  SKIFF_QUEUE_URL_STEPS: standIn.queueUrl("shop-prod-steps.fifo"),
});

describe("SQS queue names map to the app's queues once, through overrides, queue URLs, then equal names", () => {
  it("delivers a batch from a stack-prefixed queue to the consumer whose SKIFF_QUEUE_URL_<NAME> names it", async () => {
    const handler = toLambda(app, { env: stackEnv() });
    expect(await handler(sqsEvent("shop-prod-jobs", [{ id: "s1", body: { n: 3 } }]))).toEqual({
      batchItemFailures: [],
    });
    expect(recorded.jobs.map((j) => [j.id, j.n])).toEqual([["s1", 3]]);
  });

  it("matches a FIFO queue's URL with its .fifo suffix, and keeps FIFO order", async () => {
    const handler = toLambda(app, { env: stackEnv() });
    const result = await handler(
      sqsEvent("shop-prod-steps.fifo", [
        { id: "f1", body: { n: 1 } },
        { id: "f2", body: { n: 2 } },
        { id: "f3", body: { n: 3 } },
      ]),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "f2" }, { itemIdentifier: "f3" }] });
    expect(recorded.steps).toEqual([1, 2]);
  });

  it("uses toLambda(app, { queueUrls }) the same way as the variables", async () => {
    const handler = toLambda(app, {
      env: testEnv(standIn),
      queueUrls: { jobs: standIn.queueUrl("staging-jobs") },
    });
    await handler(sqsEvent("staging-jobs", [{ id: "u1", body: { n: 4 } }]));
    expect(recorded.jobs.map((j) => j.id)).toEqual(["u1"]);
  });

  it("lets an override win over the queue URLs", async () => {
    const handler = toLambda(app, { env: stackEnv(), queueNames: { "shop-prod-jobs": "jobs-dlq" } });
    await handler(sqsEvent("shop-prod-jobs", [{ id: "o1", body: { n: 5 } }]));
    expect(recorded.jobs).toEqual([]);
  });

  it("still fails a batch from a queue no URL and no consumer names, with the message naming the consumers", async () => {
    const handler = toLambda(app, { env: stackEnv() });
    await expect(handler(sqsEvent("shop-prod-unknown", [{ id: "x1", body: { n: 1 } }]))).rejects.toThrow(
      'a batch arrived for queue "shop-prod-unknown", which has no consumer in this app (consumers: "jobs", "steps", "jobs-dlq")',
    );
  });

  it("refuses an override naming a queue the app does not declare, naming the option, at setup", () => {
    expect(() => toLambda(app, { env: stackEnv(), queueNames: { "shop-prod-jobs": "jobz" } })).toThrow(
      new SkiffError(
        'toLambda: queueNames["shop-prod-jobs"] is "jobz", which the app does not declare (declared: "jobs", "steps", "jobs-dlq")',
      ),
    );
    expect(recorded.jobs).toEqual([]);
  });
});
