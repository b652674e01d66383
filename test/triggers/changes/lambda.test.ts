import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpResult, type SqsBatchResponse, toLambda } from "skiff/lambda";
import { httpEvent, sqsEvent, toResponse } from "../../adapters/lambda/support/events.js";
import {
  type SqsStandIn,
  startSqsStandIn,
  TEST_CREDENTIALS,
} from "../../adapters/lambda/support/sqs-stand-in.js";
import { json, tempDbUrl, usersApp } from "./support.js";

describe("app.onChange on Lambda, with the outbox relayed to SQS and delivered in SQS events", () => {
  let sqs: SqsStandIn;
  beforeAll(async () => void (sqs = await startSqsStandIn()));
  afterAll(() => sqs.close());

  it("runs a row's changes in order when SQS delivers them reversed and the first one fails once", async () => {
    const { app, seen } = usersApp({ fail: (c, attempt) => c.operation === "insert" && attempt === 1 });
    const handler = toLambda(app, {
      env: {
        ...TEST_CREDENTIALS,
        TURSO_DATABASE_URL: tempDbUrl(),
        SKIFF_QUEUE_URL_SKIFF_CHANGES: sqs.queueUrl("skiff-changes"),
        SKIFF_QUEUE_URL_CHANGES_DLQ: sqs.queueUrl("changes-dlq"),
      },
    });
    const call = async (request: Request) =>
      toResponse((await handler(await httpEvent(request, "apigw-v2"))) as HttpResult, "apigw-v2");
    expect((await call(json("POST", "/users", { id: 1, email: "one@x.test" }))).status).toBe(201);
    expect((await call(json("PATCH", "/users/1", { name: "b" }))).status).toBe(204);
    expect((await call(json("PATCH", "/users/1", { name: "c" }))).status).toBe(204);
    // Each request's relay sent its change before the invocation ended (Lambda awaits waitUntil work).
    const bodies = sqs.entries("skiff-changes").map((e) => e.MessageBody);
    expect(bodies).toHaveLength(3);

    const reversed = bodies.map((body, i) => ({ id: `m${i + 1}`, body, raw: true })).reverse();
    const first = (await handler(sqsEvent("skiff-changes", reversed))) as SqsBatchResponse;
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]); // the insert failed; the updates wait
    expect(seen).toHaveLength(0);

    const again = (await handler(
      sqsEvent("skiff-changes", [{ ...reversed[2]!, attempts: 2 }]),
    )) as SqsBatchResponse;
    expect(again.batchItemFailures).toEqual([]);
    expect(seen.map((c) => [c.operation, c.row?.name])).toEqual([
      ["insert", null],
      ["update", "b"],
      ["update", "c"],
    ]);
  });
});
