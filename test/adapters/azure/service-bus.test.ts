import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServiceBusConnection, serviceBusTransport } from "skiff/azure";
import {
  BUS_KEY,
  BUS_KEY_NAME,
  type ServiceBusStandIn,
  startServiceBusStandIn,
} from "./support/service-bus-stand-in.js";

// Service Bus has no emulator here: the stand-in checks each request against what Azure's REST docs specify.
describe("the Service Bus producer", () => {
  let bus: ServiceBusStandIn;
  beforeAll(async () => {
    bus = await startServiceBusStandIn();
  });
  afterAll(() => bus?.close());
  const transport = (queue: string, connection = bus?.connectionString()) =>
    serviceBusTransport(queue, { namespace: () => parseServiceBusConnection(connection ?? "") });

  it("sends a batch with a verified SAS token, JSON bodies and ScheduledEnqueueTimeUtc for a delay", async () => {
    const before = Date.now();
    await transport("orders").send([{ body: { n: 1 } }, { body: { n: 2 }, delaySeconds: 120 }]);
    expect(bus.refused).toEqual([]);
    const [first, second] = bus.received("orders");
    expect(first).toEqual({ body: { n: 1 }, brokerProperties: { ContentType: "application/json" } });
    expect(second?.body).toEqual({ n: 2 });
    const at = Date.parse(String(second?.brokerProperties.ScheduledEnqueueTimeUtc));
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 119_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it("splits a batch larger than 250 KB into several requests, in order", async () => {
    const big = "x".repeat(100_000);
    await transport("big").send([1, 2, 3, 4].map((n) => ({ body: { n, big } })));
    expect(bus.received("big").map((m) => (m.body as { n: number }).n)).toEqual([1, 2, 3, 4]);
  });

  it("fails naming the status when Service Bus refuses the token", async () => {
    const before = bus.refused.length;
    await expect(
      transport("orders", bus.connectionString(BUS_KEY_NAME, `${BUS_KEY}x`)).send([{ body: 1 }]),
    ).rejects.toThrow(/\[skiff\] Service Bus send to "orders" failed: HTTP 401/);
    expect(bus.refused.slice(before)).toEqual(["sig does not verify"]);
  });

  it("reads the portal's connection string and names the setting when a part is missing", () => {
    expect(
      parseServiceBusConnection(
        "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=k=",
      ),
    ).toEqual({ endpoint: "https://shop.servicebus.windows.net", keyName: "send", key: "k=" });
    expect(() => parseServiceBusConnection("Endpoint=sb://shop.servicebus.windows.net/", "ShopBus")).toThrow(
      /ShopBus is not a Service Bus connection string/,
    );
  });
});
