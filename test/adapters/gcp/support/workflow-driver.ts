import { createClient } from "@libsql/client";
import { Database } from "skiff/adapter";
import { toGcp } from "skiff/gcp";
import { app } from "../../../contract/workflows/app.js";
import { WORKFLOW_QUEUE, type WorkflowDriver } from "../../../contract/workflows/driver.js";
import { workflowDb } from "../../../contract/workflows/temp-db.js";
import { postPubSubEvent, serveFunction } from "./framework.js";
import { startPubSubStandIn } from "./pubsub-server.js";
import { forwardTo } from "../../../support/net.js";

/** The subscription's minimum retry backoff (Pub/Sub allows 0-600 s; a fraction keeps the suite quick). */
const RETRY_BACKOFF_MS = 100;
/** Pushes in flight at once, as Pub/Sub pushes to a function concurrently. */
const CONCURRENCY = 50;
/** The timer cron, which carries every delayed wake on Pub/Sub (no delayed delivery; see docs/gcp.md). */
const TIMER_CRON = app.triggers.workflowTimerCron;

interface Held {
  id: string;
  data: string;
  visibleAt: number;
  attempts: number;
}

/**
 * Drives the workflow app through `toGcp(app)` on the Functions Framework's servers: wake-ups are published over
 * Pub/Sub REST to the stand-in, and come back as Eventarc CloudEvents pushed to the event function, one message
 * per request with `deliveryAttempt` (a subscription with a dead-letter policy), a 500 making the message come
 * back after the retry backoff; the timer cron arrives as Cloud Scheduler's message on the cron topic.
 */
export async function gcpWorkflowDriver(): Promise<WorkflowDriver> {
  const pubsub = await startPubSubStandIn();
  const file = workflowDb("skiff-workflows-gcp");
  toGcp(app, {
    env: { TURSO_DATABASE_URL: file.url, PUBSUB_EMULATOR_HOST: pubsub.host, GOOGLE_CLOUD_PROJECT: "wf" },
    functions: { http: "wfHttp", event: "wfEvent" },
  });
  const http = await serveFunction("wfHttp");
  const events = await serveFunction("wfEvent");
  const db = new Database(() => createClient({ url: file.url, intMode: "number", timeout: 5_000 }));
  const held: Held[] = [];
  let seen = 0;
  const collect = () => {
    const calls = pubsub.calls.filter((c) => c.topic === WORKFLOW_QUEUE);
    for (; seen < calls.length; seen++)
      for (const m of calls[seen]?.messages ?? [])
        held.push({
          id: crypto.randomUUID(),
          data: Buffer.from(m.data, "base64").toString("utf8"),
          visibleAt: 0,
          attempts: 0,
        });
  };
  const push = async (m: Held): Promise<void> => {
    m.attempts++;
    const res = await postPubSubEvent(events.url, {
      project: "wf",
      topic: WORKFLOW_QUEUE,
      data: m.data,
      messageId: m.id,
      publishTime: new Date(),
      deliveryAttempt: m.attempts,
    });
    await res.arrayBuffer();
    if (res.ok) held.splice(held.indexOf(m), 1);
    else m.visibleAt = Date.now() + RETRY_BACKOFF_MS;
  };
  return {
    platform: "gcp",
    db,
    fetch: forwardTo(http.url),
    async fireCron(expression, scheduledTime) {
      const res = await postPubSubEvent(events.url, {
        project: "wf",
        topic: "skiff-cron",
        data: JSON.stringify({ cron: expression }),
        messageId: crypto.randomUUID(),
        publishTime: new Date(scheduledTime),
      });
      if (!res.ok) throw new Error(`cron "${expression}" answered ${res.status}: ${await res.text()}`);
    },
    async pump(this: WorkflowDriver) {
      let delivered = 0;
      for (let round = 0; round < 20; round++) {
        collect();
        const now = Date.now();
        const due = held.filter((m) => m.visibleAt <= now).slice(0, CONCURRENCY);
        if (due.length === 0) {
          // Pub/Sub delays nothing, so a step's retry backoff or a short sleep waits in the timer table for the
          // timer cron: Cloud Scheduler firing it (every minute with workflowTimers "* * * * *"), here at once.
          if (round === 0) await this.fireCron(TIMER_CRON, Date.now());
          break;
        }
        await Promise.all(due.map(push));
        delivered += due.length;
      }
      return delivered;
    },
    async close() {
      db.close();
      await http.close();
      await events.close();
      await pubsub.close();
      file.remove();
    },
  };
}
