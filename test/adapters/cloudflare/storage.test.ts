import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_API_KEY, DEV_API_KEY_SHA256 } from "../../../examples/shop/auth.js";
import { decodePng, encodePng } from "../../../examples/shop/thumbnails.js";
import { bundleWorker } from "./support/bundle-worker.js";

// The thumbnail example on workerd: the bucket is Miniflare's real R2 simulation behind the Worker's R2 binding,
// and storage events arrive as R2 event notification messages (the documented shape) on the bucket's queue,
// consumed by the Worker's queue handler.
const FIXTURE = join("test", "adapters", "cloudflare", "storage-fixture", "worker.ts");
const BASE = "http://storage.test";
let mf: Miniflare;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: await bundleWorker(FIXTURE),
    compatibilityDate: "2026-04-20",
    host: "127.0.0.1",
    kvNamespaces: ["KV"],
    r2Buckets: ["UPLOADS"],
    bindings: { SHOP_API_KEY_SHA256: DEV_API_KEY_SHA256 },
    queueProducers: {
      SKIFF_STORAGE_UPLOADS: { queueName: "skiff-storage-uploads" },
      THUMBNAILS_DLQ: { queueName: "thumbnails-dlq" },
    },
    queueConsumers: { "skiff-storage-uploads": { maxBatchTimeout: 0, maxRetries: 3 } },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      if (!process.env.SKIFF_TEST_LOGS) return;
      stdout.pipe(process.stdout);
      stderr.pipe(process.stderr);
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

/** Polls for `key` at most 100 times over at most 10 s. */
async function eventually(key: string): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    const res = await mf.dispatchFetch(`${BASE}/api/uploads/${key}`);
    if (res.status === 200) return res as unknown as Response;
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${key} never appeared`);
}

describe("storage triggers on Cloudflare: R2 binding and R2 event notifications through a queue", () => {
  it("stores the upload in R2 and writes the thumbnail when R2's PutObject notification arrives", async () => {
    const pixels = new Uint8Array(400 * 400 * 4).fill(200);
    const photo = await encodePng({ width: 400, height: 400, channels: 4, pixels });
    const put = await mf.dispatchFetch(`${BASE}/api/uploads/photos/square.png`, {
      method: "PUT",
      headers: { "x-api-key": DEV_API_KEY, "content-type": "image/png" },
      body: photo,
    });
    expect(put.status, await put.clone().text()).toBe(201);
    const { etag } = (await put.json()) as { etag: string };
    const r2 = await mf.getR2Bucket("UPLOADS");
    const stored = await r2.head("photos/square.png");
    expect(stored?.size).toBe(photo.byteLength);
    expect(stored?.httpMetadata?.contentType).toBe("image/png");

    // https://developers.cloudflare.com/r2/buckets/event-notifications/#message-format
    const notify = await mf.dispatchFetch(`${BASE}/__r2-notify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        account: "3f4b7e3dcab231cbfdaa90a6a28bd548",
        action: "PutObject",
        bucket: "uploads",
        object: { key: "photos/square.png", size: photo.byteLength, eTag: etag },
        eventTime: "2026-03-01T10:00:00.000Z",
      }),
    });
    expect(notify.status).toBe(204);

    const thumb = await eventually("thumbnails/photos/square.png");
    const image = await decodePng(new Uint8Array(await thumb.arrayBuffer()));
    expect([image.width, image.height, image.channels, image.pixels[0]]).toEqual([200, 200, 4, 200]);
    const meta = await r2.head("thumbnails/photos/square.png");
    expect(meta?.customMetadata).toEqual({ source: "photos/square.png", "source-etag": etag });
  });
});
