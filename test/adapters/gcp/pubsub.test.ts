import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PubSubClient } from "../../../src/bindings/queues/pubsub/client.js";
import { base64Utf8, pubsubTransport } from "../../../src/bindings/queues/pubsub/transport.js";
import { type PubSubStandIn, startPubSubStandIn } from "./support/pubsub-server.js";

let standIn: PubSubStandIn;
beforeAll(async () => {
  standIn = await startPubSubStandIn();
});
afterAll(() => standIn?.close());

// Google's endpoint, sent to the stand-in instead: the request is otherwise exactly what goes to pubsub.googleapis.com.
const toStandIn: typeof fetch = (input, init) =>
  fetch(String(input).replace("https://pubsub.googleapis.com", `http://${standIn.host}`), init);

describe("queue producers on Pub/Sub REST", () => {
  it("publishes a batch in one topics.publish call: JSON bodies as base64 UTF-8 data, the queue as an attribute", async () => {
    const client = new PubSubClient({
      env: { PUBSUB_EMULATOR_HOST: standIn.host, GOOGLE_CLOUD_PROJECT: "shop" },
    });
    const transport = pubsubTransport(client, "orders", "shop-orders");
    await transport.send([{ body: { sku: "thé", qty: 2 } }, { body: "plain" }]);
    const call = standIn.calls.at(-1);
    expect(call?.path).toBe("/v1/projects/shop/topics/shop-orders:publish");
    expect(call?.authorization).toBeUndefined(); // the emulator takes no token
    expect(call?.messages).toEqual([
      { data: base64Utf8('{"sku":"thé","qty":2}'), attributes: { "skiff-queue": "orders" } },
      { data: base64Utf8('"plain"'), attributes: { "skiff-queue": "orders" } },
    ]);
    expect(standIn.bodies("shop-orders").slice(-2)).toEqual([{ sku: "thé", qty: 2 }, "plain"]);
  });

  it("outside the emulator, asks the metadata server for the project and a token, once, and sends it as a bearer", async () => {
    const client = new PubSubClient({ env: { GCE_METADATA_HOST: standIn.host }, fetch: toStandIn });
    const before = standIn.tokenRequests;
    await client.publish("orders", [{ data: base64Utf8("1") }]);
    await client.publish("orders", [{ data: base64Utf8("2") }]);
    expect(standIn.tokenRequests - before).toBe(1);
    const [a, b] = standIn.calls.slice(-2);
    expect(a?.project).toBe("meta-project");
    expect(a?.authorization).toMatch(/^Bearer ya29\.token-\d+$/);
    expect(b?.authorization).toBe(a?.authorization);
  });

  it("takes the token from the option instead of the metadata server", async () => {
    const client = new PubSubClient({
      env: { GOOGLE_CLOUD_PROJECT: "shop" },
      accessToken: () => "given-token",
      fetch: toStandIn,
    });
    await client.publish("projects/other/topics/t1", [{ data: base64Utf8("{}") }]);
    expect(standIn.calls.at(-1)).toMatchObject({
      project: "other",
      topic: "t1",
      authorization: "Bearer given-token",
    });
  });

  it("refuses a delayed send before publishing anything, and reports no delay to workflows", async () => {
    const client = new PubSubClient({
      env: { PUBSUB_EMULATOR_HOST: standIn.host, GOOGLE_CLOUD_PROJECT: "shop" },
    });
    const transport = pubsubTransport(client, "orders", "delayed");
    expect(transport.maxDelaySeconds).toBe(0);
    await expect(transport.send([{ body: 1 }, { body: 2, delaySeconds: 60 }])).rejects.toThrow(
      /\[skiff\] queue "orders": Pub\/Sub has no delayed delivery/,
    );
    expect(standIn.bodies("delayed")).toEqual([]);
  });

  it("throws Google's status and message when a publish fails", async () => {
    standIn.failing.set("gone", 404);
    const client = new PubSubClient({
      env: { PUBSUB_EMULATOR_HOST: standIn.host, GOOGLE_CLOUD_PROJECT: "shop" },
    });
    await expect(pubsubTransport(client, "orders", "gone").send([{ body: 1 }])).rejects.toThrow(
      /\[skiff\] Pub\/Sub publish to projects\/shop\/topics\/gone failed: NOT_FOUND: Resource not found/,
    );
  });

  it("says what to set when neither the project nor the metadata server is there", async () => {
    const client = new PubSubClient({ env: { GCE_METADATA_HOST: "127.0.0.1:1" }, fetch: toStandIn });
    await expect(client.publish("orders", [{ data: "e30=" }])).rejects.toThrow(/GOOGLE_CLOUD_PROJECT/);
  });
});
