import { describe, expect, it } from "vitest";
import { Skiff, SkiffError } from "skiff";
import { z } from "zod";
import { resolveBindingNames } from "../../src/adapters/cloudflare/options.js";
import { queueNameMap } from "../../src/bindings/queues/names.js";

const declared = new Set(["orders", "orders-dlq"]);

describe("a platform queue name maps to the app's queue by one checked rule", () => {
  it("uses the override, then the fallback, then the same name", () => {
    const appQueue = queueNameMap(declared, { "orders-prod": "orders" }, "opt", (name) =>
      name === "stack-orders-dlq" ? "orders-dlq" : undefined,
    );
    expect(appQueue("orders-prod")).toBe("orders");
    expect(appQueue("stack-orders-dlq")).toBe("orders-dlq");
    expect(appQueue("orders")).toBe("orders");
    expect(appQueue("elsewhere")).toBe("elsewhere");
  });

  it("refuses, at setup, an override naming a queue the app does not declare", () => {
    expect(() => queueNameMap(declared, { x: "nope" }, "toLambda: queueNames")).toThrow(SkiffError);
    expect(() => queueNameMap(new Set(), { x: "nope" }, "toLambda: queueNames")).toThrow(
      '[skiff] toLambda: queueNames["x"] is "nope", which the app does not declare (declared: none)',
    );
  });

  it("is what toCloudflare's queueNames use, with the same message", () => {
    const app = new Skiff({ queues: { orders: z.object({ id: z.string() }) } });
    expect(
      resolveBindingNames(app.triggers, { queueNames: { "orders-prod": "orders" } }).appQueue("orders-prod"),
    ).toBe("orders");
    expect(resolveBindingNames(app.triggers).appQueue("orders")).toBe("orders");
    expect(() => resolveBindingNames(app.triggers, { queueNames: { "orders-prod": "nope" } })).toThrow(
      '[skiff] toCloudflare: queueNames["orders-prod"] is "nope", which the app does not declare (declared: "orders")',
    );
  });
});
