import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { DEV_API_KEY, DEV_API_KEY_SHA256 } from "../../../examples/shop/auth.js";
import { decodePng, encodePng, thumbnails } from "../../../examples/shop/thumbnails.js";

// The shop's thumbnail example end to end on a real Node server, as `npm start` runs it: a PNG PUT over HTTP lands in
// .skiff/buckets/uploads/, the local bucket sends the change through the durable local queue, and the storage
// handler writes the thumbnail next to it.
let dir: string;
let server: SkiffServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "skiff-thumbnails-"));
  const app = new Skiff().route("/", thumbnails); // as examples/shop/app.ts mounts it
  server = await serve(app, {
    port: 0,
    database: { url: `file:${join(dir, "dev.db")}` },
    bucketsDir: join(dir, "buckets"),
    env: { SHOP_API_KEY_SHA256: DEV_API_KEY_SHA256, NODE_ENV: "development" },
    handleSignals: false,
    scheduler: false,
    pollIntervalMs: 50,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (key: string, body: Uint8Array) =>
  fetch(`${server.url}/api/uploads/${key}`, {
    method: "PUT",
    headers: { "x-api-key": DEV_API_KEY, "content-type": "image/png" },
    body: body as Uint8Array<ArrayBuffer>,
  });

/** Polls for `key` at most 100 times over at most 5 s. */
async function eventually(key: string): Promise<Response> {
  const deadline = Date.now() + 5_000;
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    const res = await fetch(`${server.url}/api/uploads/${key}`);
    if (res.status === 200) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${key} never appeared`);
}

describe("the thumbnail example runs end to end on local buckets", () => {
  it("writes a 200×150 thumbnail of a 640×480 photo, through the storage trigger", async () => {
    const pixels = new Uint8Array(640 * 480 * 3);
    for (let i = 0; i < 640 * 480; i++) pixels.set([(i % 640) >> 2, (i / 640) >> 1, 128], i * 3);
    const photo = await encodePng({ width: 640, height: 480, channels: 3, pixels });
    const put = await upload("photos/gradient.png", photo);
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ key: "photos/gradient.png", size: photo.byteLength });

    const thumb = await eventually("thumbnails/photos/gradient.png");
    expect(thumb.headers.get("content-type")).toBe("image/png");
    const image = await decodePng(new Uint8Array(await thumb.arrayBuffer()));
    expect([image.width, image.height, image.channels]).toEqual([200, 150, 3]);
    // The box filter keeps the gradient: the right edge is brighter red than the left.
    expect(image.pixels[(75 * 200 + 199) * 3]).toBeGreaterThan(image.pixels[75 * 200 * 3]! + 100);
    expect(existsSync(join(dir, "buckets", "uploads", "thumbnails", "photos", "gradient.png"))).toBe(true);
  });

  it("dead-letters a corrupt photo after its retries, and writes no thumbnail", async () => {
    expect((await upload("photos/broken.png", new TextEncoder().encode("not a png"))).status).toBe(201);
    // The server's queue worker retries it (maxRetries: 3, no delay) and then dead-letters it: poll, bounded.
    let dead: unknown[] = [];
    for (let i = 0; i < 100 && !dead.length; i++) {
      await server.drainQueues();
      dead = (await server.queueStore.peek("thumbnails-dlq")).map((m) => (m.body as { key: string }).key);
      if (!dead.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(dead).toEqual(["photos/broken.png"]);
    expect((await fetch(`${server.url}/api/uploads/thumbnails/photos/broken.png`)).status).toBe(404);
  });

  it("refuses uploads without the API key and keys outside photos/", async () => {
    const png = await encodePng({ width: 1, height: 1, channels: 3, pixels: new Uint8Array(3) });
    const anonymous = await fetch(`${server.url}/api/uploads/photos/a.png`, {
      method: "PUT",
      body: png as Uint8Array<ArrayBuffer>,
    });
    expect(anonymous.status).toBe(401);
    expect((await upload("../etc/passwd.png", png)).status).not.toBe(201);
    expect((await upload("other/a.png", png)).status).toBe(422);
  });
});
