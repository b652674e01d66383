import { toGcp } from "skiff/gcp";
import { app } from "../../../../examples/shop/app.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver, type Settlement } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { postPubSubEvent, serveFunction } from "./framework.js";
import { startPubSubStandIn } from "./pubsub-server.js";
import { forwardTo } from "../../../support/net.js";

/**
 * Drives the shop through `toGcp` on the Functions Framework's own servers, one per function as Cloud Run runs
 * them: HTTP over the loopback to the HTTP function; queue messages and cron firings as Eventarc's Pub/Sub
 * CloudEvents to the event function (one message per request, as a push delivers; binary and structured content
 * mode in turn); producers publishing over Pub/Sub REST to a stand-in reached through `PUBSUB_EMULATOR_HOST`.
 */
export async function gcpDriver(): Promise<ContractDriver> {
  const pubsub = await startPubSubStandIn();
  toGcp(app, {
    env: {
      TURSO_DATABASE_URL: tempDbUrl("skiff-gcp"),
      SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      GOOGLE_CLOUD_PROJECT: "test-project",
    },
    functions: { http: "shop", event: "shopEvent" },
  });
  const http = await serveFunction("shop");
  const events = await serveFunction("shopEvent");
  let posted = 0;
  const mode = () => (posted++ % 2 === 0 ? "binary" : "structured");
  return {
    platform: "gcp",
    fetch: forwardTo(http.url),
    async fireCron(expression, scheduledTime) {
      // Cloud Scheduler publishes the job's body to the cron topic at the scheduled minute (a second or two after).
      const res = await postPubSubEvent(
        events.url,
        {
          topic: "skiff-cron",
          data: JSON.stringify({ cron: expression }),
          messageId: crypto.randomUUID(),
          publishTime: new Date(scheduledTime + 1_500),
        },
        mode(),
      );
      if (!res.ok) throw new Error(`cron "${expression}" answered ${res.status}: ${await res.text()}`);
    },
    async deliver(queue, messages) {
      const out: Record<string, Settlement> = {};
      for (const m of messages) {
        const res = await postPubSubEvent(
          events.url,
          {
            topic: queue,
            data: JSON.stringify(m.body),
            messageId: m.id,
            publishTime: new Date(),
            attributes: { "skiff-queue": queue },
            deliveryAttempt: m.attempts,
          },
          mode(),
        );
        await res.arrayBuffer();
        out[m.id] = res.ok ? "ack" : "retry";
      }
      return out;
    },
    sent: async (queue) => pubsub.bodies(queue),
    async close() {
      await http.close();
      await events.close();
      await pubsub.close();
    },
  };
}
