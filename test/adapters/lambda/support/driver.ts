import { expect } from "vitest";
import {
  type HttpEventKind,
  type HttpResult,
  type LambdaHandler,
  type SqsBatchResponse,
  scheduleInput,
  scheduleRuleName,
  toLambda,
} from "skiff/lambda";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { httpEvent, ruleEvent, sqsEvent, toResponse } from "./events.js";
import { type SqsStandIn, startSqsStandIn, TEST_CREDENTIALS } from "./sqs-stand-in.js";

/** The environment Lambda would give the shop: a database URL, credentials, and a URL per queue. */
export function lambdaEnv(standIn: SqsStandIn, name = "skiff-lambda"): Record<string, string> {
  return {
    ...TEST_CREDENTIALS,
    TURSO_DATABASE_URL: tempDbUrl(name),
    SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
    SKIFF_QUEUE_URL_ORDERS: standIn.queueUrl("orders"),
    SKIFF_QUEUE_URL_ORDERS_DLQ: standIn.queueUrl("orders-dlq"),
  };
}

/**
 * Drives the shop through `toLambda(app)` with the events Lambda would send: each HTTP request as an event of
 * `http` kind, each queue batch as an SQS event (settlement read from `batchItemFailures`), each cron firing as an
 * EventBridge rule's Scheduled Event or as a Scheduler input. Producers send to the SQS stand-in.
 */
export async function lambdaDriver(
  http: HttpEventKind,
  schedule: "rule" | "scheduler",
): Promise<ContractDriver & { handler: LambdaHandler; standIn: SqsStandIn }> {
  const standIn = await startSqsStandIn();
  const handler = toLambda(app, { env: lambdaEnv(standIn) });
  return {
    platform: "lambda",
    handler,
    standIn,
    fetch: async (request) => toResponse((await handler(await httpEvent(request, http))) as HttpResult, http),
    async fireCron(expression, scheduledTime) {
      const event =
        schedule === "rule"
          ? ruleEvent(scheduleRuleName(expression, "shop"), scheduledTime)
          : {
              ...scheduleInput(expression),
              scheduledTime: new Date(scheduledTime).toISOString(),
              executionId: "exec-1",
            };
      await handler(event);
    },
    async deliver(queue, messages) {
      const result = (await handler(sqsEvent(queue, messages))) as SqsBatchResponse;
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      const out: Record<string, Settlement> = {};
      for (const m of messages) out[m.id] = failed.has(m.id) ? "retry" : "ack";
      return out;
    },
    sent: async (queue) => standIn.sent(queue),
    close: async () => {
      expect(standIn.badSignatures).toEqual([]);
      await standIn.close();
    },
  };
}
