import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { createTestRuntime } from "skiff/testing";
import type { Bucket, BucketObject, BucketObjectInfo } from "../../../src/bindings/buckets/types.js";
import type { StorageEvent } from "../../../src/triggers/storage/types.js";

// Bucket names are inferred from `new Skiff({ buckets })` like workflows, folded into the env's Variables, so routes
// (`c.var.buckets`), storage handlers and every other trigger (`ctx.buckets`) see the same typed bindings.
interface Env {
  API_KEY: string;
}

describe("bucket types", () => {
  it("types c.var.buckets and ctx.buckets by the declared names, and app.storage() by them", async () => {
    const app = new Skiff({
      buckets: { uploads: {}, exports: { name: "acme-exports" } },
      queues: { jobs: z.object({ n: z.number() }) },
    });
    app.get("/a", async (c) => {
      expectTypeOf(c.var.buckets.uploads).toEqualTypeOf<Bucket>();
      expectTypeOf(c.var.buckets.uploads.get).returns.toEqualTypeOf<Promise<BucketObject | null>>();
      expectTypeOf(c.var.buckets.exports.head).returns.toEqualTypeOf<Promise<BucketObjectInfo | null>>();
      // @ts-expect-error no bucket "photos" is declared
      void c.var.buckets.photos;
      return c.text("ok");
    });
    app.storage(
      "uploads",
      async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<StorageEvent>();
        expectTypeOf(event.size).toEqualTypeOf<number | null>();
        expectTypeOf(ctx.buckets.exports).toEqualTypeOf<Bucket>();
        // @ts-expect-error no bucket "photos" is declared
        void ctx.buckets.photos;
      },
      { events: ["created"], prefix: "p/" },
    );
    app.queue("jobs", async (_message, ctx) => {
      expectTypeOf(ctx.buckets.uploads).toEqualTypeOf<Bucket>();
    });
    // @ts-expect-error "photos" is not a declared bucket
    expect(() => app.storage("photos", () => undefined)).toThrow(/does not declare/);
    // @ts-expect-error events are "created" and "deleted"
    expect(() => app.storage("uploads", () => undefined, { events: ["updated"] })).toThrow(/events must be/);
    const t = createTestRuntime(app);
    expect(Object.keys(t.runtime.buckets)).toEqual(["uploads", "exports"]);
    await t.close();
  });

  it("has no buckets without a declaration, and keeps the env typed through withEnv", () => {
    const plain = new Skiff();
    plain.get("/", (c) => {
      // @ts-expect-error no bucket is declared
      void c.var.buckets.uploads;
      return c.text("ok");
    });
    const typed = Skiff.withEnv<{ Bindings: Env }>()({ buckets: { uploads: {} } });
    typed.get("/", (c) => {
      expectTypeOf(c.env.API_KEY).toEqualTypeOf<string>();
      expectTypeOf(c.var.buckets.uploads).toEqualTypeOf<Bucket>();
      return c.text("ok");
    });
    // @ts-expect-error bucket names are inferred only without type arguments
    new Skiff<{ Bindings: Env }>({ buckets: { uploads: {} } });
  });

  it("checks declarations at start-up: names, platform names, and one set of queue options per bucket", () => {
    expect(() => new Skiff({ buckets: { "bad name": {} } })).toThrow(/bucket name "bad name"/);
    expect(() => new Skiff({ buckets: { uploads: { name: "Not_A_Bucket" } } })).toThrow(
      /platform bucket name/,
    );
    const app = new Skiff({ buckets: { uploads: {} } });
    app.storage("uploads", () => undefined, { maxRetries: 2 });
    app.storage("uploads", () => undefined, { prefix: "a/" }); // no options: shares the first's
    expect(() => app.storage("uploads", () => undefined, { maxRetries: 5 })).toThrow(
      /give its queue options/,
    );
    expect(app.triggers.queues.get("skiff-storage-uploads")?.options.maxRetries).toBe(2);
  });

  it("adopts a mounted sub-app's buckets and storage handlers, with its own consumer", async () => {
    const seen: string[] = [];
    const sub = new Skiff({ buckets: { uploads: {} } });
    sub.storage("uploads", (event) => void seen.push(event.key), { maxRetries: 1 });
    const app = new Skiff().route("/", sub);
    expect([...app.triggers.buckets.keys()]).toEqual(["uploads"]);
    expect(app.triggers.queues.get("skiff-storage-uploads")?.options.maxRetries).toBe(1);
    const t = createTestRuntime(app);
    await t.runtime.buckets.uploads!.put("k", "v");
    await t.drainQueues();
    expect(seen).toEqual(["k"]);
    await t.close();
  });
});
