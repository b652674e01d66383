import { Database } from "skiff/adapter";
import { createClient } from "@libsql/client";
import { type LambdaHandler, scheduleRuleName, type SqsBatchResponse, toLambda } from "skiff/lambda";
import { ruleEvent, sqsEvent, toResponse, httpEvent } from "../../adapters/lambda/support/events.js";
import {
  type SqsStandIn,
  startSqsStandIn,
  TEST_CREDENTIALS,
} from "../../adapters/lambda/support/sqs-stand-in.js";
import type { HttpResult } from "skiff/lambda";
import { workflowDb } from "./temp-db.js";
import { app } from "./app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "./driver.js";

/** The event source mapping's batch size (Lambda's default for SQS). */
const BATCH_SIZE = 10;
/**
 * The queue's visibility timeout, after which a failed message that asked for no delay is received again. SQS's
 * default is 30 s; a queue may set anything from 0 s, and one second keeps the suite quick.
 */
const VISIBILITY_TIMEOUT_S = 1;

interface Held {
  id: string;
  body: string;
  visibleAt: number;
  receives: number;
}

/**
 * What Amazon SQS and the event source mapping do between a producer and the function: every message the app sent to
 * the stand-in becomes receivable after its `DelaySeconds`, is delivered in an SQS event of up to 10 records with
 * `ApproximateReceiveCount`, is deleted unless the response lists it in `batchItemFailures` (or the invocation
 * throws), and a failed one is received again after the visibility timeout the function set for it with
 * ChangeMessageVisibility, else after the queue's.
 */
class SqsQueue {
  readonly #held: Held[] = [];
  #seenSends = 0;
  #seenVisibility = 0;

  constructor(
    private readonly standIn: SqsStandIn,
    private readonly name: string,
  ) {}

  /** Takes in what producers sent since the last look, each visible after its DelaySeconds from now. */
  #collect(now: number): void {
    const entries = this.standIn.entries(this.name);
    for (; this.#seenSends < entries.length; this.#seenSends++) {
      const entry = entries[this.#seenSends];
      if (!entry) continue;
      this.#held.push({
        id: crypto.randomUUID(),
        body: entry.MessageBody,
        visibleAt: now + (entry.DelaySeconds ?? 0) * 1_000,
        receives: 0,
      });
    }
  }

  /** Receives up to one batch of visible messages, oldest visible first. */
  receive(now = Date.now()): Held[] {
    this.#collect(now);
    return this.#held
      .filter((m) => m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt)
      .slice(0, BATCH_SIZE);
  }

  /** Settles a delivered batch: deletes what succeeded, hides what failed for its visibility timeout. */
  settle(batch: Held[], failed: ReadonlySet<string>, now = Date.now()): void {
    const visibility = new Map<string, number>();
    const changes = this.standIn.visibilityChanges;
    for (; this.#seenVisibility < changes.length; this.#seenVisibility++) {
      const change = changes[this.#seenVisibility];
      if (change?.queue === this.name) visibility.set(change.ReceiptHandle, change.VisibilityTimeout);
    }
    for (const m of batch) {
      if (failed.has(m.id)) {
        m.visibleAt = now + (visibility.get(`rh-${m.id}`) ?? VISIBILITY_TIMEOUT_S) * 1_000;
      } else {
        this.#held.splice(this.#held.indexOf(m), 1);
      }
    }
  }
}

/**
 * Drives the workflow app through `toLambda(app)` with the events Lambda would send: HTTP as API Gateway HTTP API
 * (v2) events, the timer cron as an EventBridge rule's Scheduled Event, and the workflow queue as SQS events built
 * from what the app sent to the SQS stand-in, honouring DelaySeconds and batchItemFailures.
 */
export async function lambdaWorkflowDriver(): Promise<WorkflowDriver> {
  const standIn = await startSqsStandIn();
  const file = workflowDb("skiff-workflows-lambda");
  const url = file.url;
  const handler: LambdaHandler = toLambda(app, {
    env: {
      ...TEST_CREDENTIALS,
      TURSO_DATABASE_URL: url,
      SKIFF_QUEUE_URL_SKIFF_WORKFLOWS: standIn.queueUrl(WORKFLOW_QUEUE),
    },
  });
  const queue = new SqsQueue(standIn, WORKFLOW_QUEUE);
  const db = new Database(() => createClient({ url, intMode: "number", timeout: 5_000 }));
  return {
    platform: "lambda",
    db,
    fetch: async (request) =>
      toResponse((await handler(await httpEvent(request, "apigw-v2"))) as HttpResult, "apigw-v2"),
    async fireCron(expression, scheduledTime) {
      await handler(ruleEvent(scheduleRuleName(expression, "workflows"), scheduledTime));
    },
    async pump() {
      let delivered = 0;
      // A few batches per round, one invocation at a time, as one execution environment takes them.
      for (let i = 0; i < 10; i++) {
        const batch = queue.receive();
        if (batch.length === 0) break;
        for (const m of batch) m.receives++;
        const event = sqsEvent(
          WORKFLOW_QUEUE,
          batch.map((m) => ({ id: m.id, body: m.body, attempts: m.receives, raw: true })),
        );
        let failed: Set<string>;
        try {
          const result = (await handler(event)) as SqsBatchResponse;
          failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        } catch {
          failed = new Set(batch.map((m) => m.id)); // a throw fails the whole batch
        }
        queue.settle(batch, failed);
        delivered += batch.length;
      }
      return delivered;
    },
    async close() {
      const bad = standIn.badSignatures;
      db.close();
      await standIn.close();
      file.remove();
      if (bad.length > 0) throw new Error(`requests with bad SigV4 signatures: ${bad.join("; ")}`);
    },
  };
}
