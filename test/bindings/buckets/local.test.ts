import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createBucket } from "../../../src/bindings/buckets/bucket.js";
import { BUCKET_LIMITS } from "../../../src/bindings/buckets/limits.js";
import { localStore } from "../../../src/bindings/buckets/local.js";
import type { BucketChange } from "../../../src/bindings/buckets/types.js";
import { nodeObjectFiles } from "../../../src/adapters/node/bucket-files.js";

const root = mkdtempSync(join(tmpdir(), "skiff-local-bucket-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const changes: BucketChange[] = [];
const bucket = createBucket(
  "uploads",
  () => localStore("uploads", nodeObjectFiles(root)),
  async (c) => {
    changes.push(c);
  },
);

describe("local buckets: files under <root>/<bucket>/, metadata in a sidecar", () => {
  it("stores the object as the exact file, with content type, metadata and a stable etag", async () => {
    const info = await bucket.put("photos/a.txt", "hello", {
      contentType: "text/plain",
      metadata: { owner: "u1" },
    });
    expect(readdirSync(join(root, "uploads", "photos"))).toEqual(["a.txt"]);
    const head = await bucket.head("photos/a.txt");
    expect(head).toEqual(info);
    const object = await bucket.get("photos/a.txt");
    expect(await object?.text()).toBe("hello");
    expect(object).toMatchObject({ size: 5, contentType: "text/plain", metadata: { owner: "u1" } });
    const again = await bucket.put("photos/b.txt", "hello");
    expect(again.etag).toBe(info.etag); // same bytes, same tag
    expect(changes.at(-1)).toMatchObject({ key: "photos/b.txt", event: "created", size: 5 });
  });

  it("never shows a new object without its content type: the sidecar is written first and read after the object", async () => {
    const orderedRoot = mkdtempSync(join(tmpdir(), "skiff-local-bucket-order-"));
    const files = nodeObjectFiles(orderedRoot);
    const order: string[] = [];
    const traced = {
      ...files,
      read: (path: string) => (order.push(`read ${path}`), files.read(path)),
      write: (path: string, data: Uint8Array) => (order.push(`write ${path}`), files.write(path, data)),
    };
    const store = localStore("uploads", traced);
    await store.put("a.png", new Uint8Array([1, 2, 3]), { contentType: "image/png", metadata: {} });
    expect((await store.head("a.png"))?.contentType).toBe("image/png");
    expect(order).toEqual([
      "write .meta/uploads/a.png.json",
      "write uploads/a.png",
      "read uploads/a.png",
      "read .meta/uploads/a.png.json",
    ]);
    rmSync(orderedRoot, { recursive: true, force: true });
  });

  it("never lets a key leave the bucket's folder", async () => {
    for (const key of ["../escape", "a/../../escape", "/abs", "a//b", "a/./b", "a\\..\\b", "trailing/"])
      await expect(bucket.put(key, "x"), key).rejects.toThrow(/cannot be a local file/);
    await expect(bucket.get("../../etc/passwd")).rejects.toThrow(/cannot be a local file/);
    expect(readdirSync(root).sort()).toEqual([".meta", "uploads"]);
  });

  it("lists in key order with prefix, limit and cursor, skipping nothing a user stored", async () => {
    for (const key of ["l/3.tmp", "l/1", "l/2"]) await bucket.put(key, key);
    const first = await bucket.list({ prefix: "l/", limit: 2 });
    expect(first.objects.map((o) => o.key)).toEqual(["l/1", "l/2"]);
    const second = await bucket.list({ prefix: "l/", limit: 2, cursor: first.cursor });
    expect(second.objects.map((o) => o.key)).toEqual(["l/3.tmp"]);
    expect(second.truncated).toBe(false);
  });

  it("reads a file copied in by hand, and deletes reporting only keys that existed", async () => {
    mkdirSync(join(root, "uploads", "hand"), { recursive: true });
    writeFileSync(join(root, "uploads", "hand", "made.bin"), "xyz");
    expect(await bucket.head("hand/made.bin")).toMatchObject({ size: 3, metadata: {} });
    changes.length = 0;
    await bucket.delete(["hand/made.bin", "hand/never"]);
    expect(changes.map((c) => [c.key, c.event])).toEqual([["hand/made.bin", "deleted"]]);
    expect(await bucket.get("hand/made.bin")).toBeNull();
  });

  it("applies the S3/R2 limits on every backend, with [skiff] errors", async () => {
    await expect(bucket.put("k".repeat(BUCKET_LIMITS.maxKeyBytes + 1), "x")).rejects.toThrow(
      /over the 1024-byte limit/,
    );
    await expect(bucket.put("", "x")).rejects.toThrow(/non-empty string/);
    await expect(bucket.put("a", "x", { metadata: { Owner: "u" } })).rejects.toThrow(/lower-case/);
    await expect(bucket.put("a", "x", { metadata: { big: "v".repeat(2100) } })).rejects.toThrow(
      /2048-byte limit/,
    );
    await expect(bucket.list({ limit: 1001 })).rejects.toThrow(/from 1 to 1000/);
    await expect(bucket.delete(Array.from({ length: 1001 }, (_, i) => `k${i}`))).rejects.toThrow(
      /at most 1000 keys/,
    );
  });
});
