import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { createTestRuntime, type TestRuntime } from "skiff/testing";
import { z } from "zod";
import type { StorageEvent } from "../../../src/triggers/storage/types.js";

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function appWith(options: { fail?: (event: StorageEvent) => boolean } = {}) {
  const seen: StorageEvent[] = [];
  const app = new Skiff({ buckets: { uploads: {} }, queues: { "uploads-dlq": z.unknown() } });
  app.storage(
    "uploads",
    async (event) => {
      seen.push(event);
      if (options.fail?.(event)) throw new Error("handler failed");
    },
    { events: ["created", "deleted"], prefix: "photos/", maxRetries: 1, deadLetter: "uploads-dlq" },
  );
  app.storage("uploads", async (event) => void seen.push({ ...event, bucket: "second" }), {
    events: "deleted",
    suffix: ".txt",
  });
  return { app, seen };
}

describe("local buckets fire storage events through the local queue", () => {
  it("delivers created and deleted events, filtered by kind, prefix and suffix, in one shape", async () => {
    const { app, seen } = appWith();
    t = createTestRuntime(app);
    const uploads = t.runtime.buckets.uploads!;
    const info = await uploads.put("photos/cat one.png", new Uint8Array([1, 2, 3]), {
      contentType: "image/png",
    });
    await uploads.put("docs/readme.txt", "hello");
    await t.drainQueues();
    expect(seen).toEqual([
      {
        bucket: "uploads",
        key: "photos/cat one.png",
        size: 3,
        etag: info.etag,
        event: "created",
        time: info.uploaded,
      },
    ]);
    expect(existsSync(join(t.bucketsDir, "uploads", "photos", "cat one.png"))).toBe(true);
    expect(readFileSync(join(t.bucketsDir, "uploads", "docs", "readme.txt"), "utf8")).toBe("hello");

    await uploads.delete(["photos/cat one.png", "docs/readme.txt", "docs/never-existed.txt"]);
    await t.drainQueues();
    expect(seen.slice(1).map((e) => [e.bucket, e.key, e.event, e.size, e.etag])).toEqual([
      ["uploads", "photos/cat one.png", "deleted", null, null],
      ["second", "docs/readme.txt", "deleted", null, null],
    ]);
  });

  it("retries a failing handler with the queue contract, then dead-letters the event", async () => {
    const { app, seen } = appWith({ fail: () => true });
    t = createTestRuntime(app);
    await t.runtime.buckets.uploads!.put("photos/x.png", "x");
    await t.drainQueues();
    // maxRetries: 1 → two attempts, then the dead-letter queue holds skiff's event.
    expect(seen.map((e) => e.key)).toEqual(["photos/x.png", "photos/x.png"]);
    const dead = await t.queueStore.peek("uploads-dlq");
    expect(dead).toHaveLength(1);
    expect(dead[0]?.body).toMatchObject({
      skiff: "storage",
      bucket: "uploads",
      key: "photos/x.png",
      event: "created",
    });
  });

  it("makes ctx.buckets and c.var.buckets the same typed bindings", async () => {
    const app = new Skiff({ buckets: { uploads: {} } });
    app.put("/files/:key", async (c) => {
      const info = await c.var.buckets.uploads.put(c.req.param("key"), await c.req.arrayBuffer());
      return c.json({ etag: info.etag, size: info.size });
    });
    app.get("/files/:key", async (c) => {
      const object = await c.var.buckets.uploads.get(c.req.param("key"));
      return object ? new Response(object.body) : c.notFound();
    });
    t = createTestRuntime(app);
    const put = await t.fetch(new Request("http://test/files/a.bin", { method: "PUT", body: "abc" }));
    expect(await put.json()).toMatchObject({ size: 3 });
    expect(await (await t.fetch(new Request("http://test/files/a.bin"))).text()).toBe("abc");
    expect((await t.fetch(new Request("http://test/files/b.bin"))).status).toBe(404);
  });
});
