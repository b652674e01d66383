import { ProblemError, Skiff } from "skiff";
import { apiKeyAuth, bodyLimit } from "skiff/middleware";
import { z } from "zod";
import { shopKeys } from "./auth.js";

/**
 * Product photos and their thumbnails: the seed's storage trigger ("react to file uploads"), on every platform. A
 * PNG put under `photos/` in the `uploads` bucket (R2 on Workers, S3 on Lambda, `.skiff/buckets/uploads/` with
 * `npm start`) fires `app.storage()`, which writes a thumbnail of at most 200×200 pixels to `thumbnails/<key>`.
 * Mount it in the shop with `app.route("/", thumbnails)`.
 *
 *   curl -X PUT -H "x-api-key: dev-key" -H "content-type: image/png" --data-binary @cat.png \
 *     localhost:8787/api/uploads/photos/cat.png
 *   curl localhost:8787/api/uploads/thumbnails/photos/cat.png > thumb.png
 */
export const thumbnails = new Skiff({
  buckets: { uploads: {} },
  // Events that failed every retry (a corrupt PNG, say) land here, for a human to look at.
  queues: { "thumbnails-dlq": z.unknown() },
});

/** The largest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 200;

const writer = apiKeyAuth({ keys: shopKeys });
// Photos only, and small enough for every platform's request limit (Vercel: 4.5 MB).
const photoKey = (key: string) => /^photos\/[\w./-]{1,200}\.png$/.test(key) && !key.includes("..");

thumbnails.put("/api/uploads/:key{.+}", writer, bodyLimit({ maxBytes: 4 * 1024 * 1024 }), async (c) => {
  const key = c.req.param("key");
  if (!photoKey(key))
    throw new ProblemError(422, {
      detail: "upload PNG photos as photos/<name>.png (letters, digits, . _ - /)",
    });
  const info = await c.var.buckets.uploads.put(key, await c.req.arrayBuffer(), { contentType: "image/png" });
  return c.json({ key, size: info.size, etag: info.etag, thumbnail: `thumbnails/${key}` }, 201);
});

thumbnails.get("/api/uploads/:key{.+}", async (c) => {
  const object = await c.var.buckets.uploads.get(c.req.param("key"));
  if (!object)
    throw new ProblemError(404, { detail: "no such upload (a thumbnail appears shortly after its photo)" });
  return new Response(object.body, {
    headers: { "content-type": object.contentType ?? "application/octet-stream", etag: `"${object.etag}"` },
  });
});

// Idempotent, so at-least-once delivery is harmless: the same photo always gives the same thumbnail.
thumbnails.storage(
  "uploads",
  async (event, ctx) => {
    const photo = await ctx.buckets.uploads.get(event.key);
    if (!photo) return; // deleted since: nothing to do
    const thumbnail = await shrinkPng(new Uint8Array(await photo.arrayBuffer()), THUMBNAIL_SIZE);
    await ctx.buckets.uploads.put(`thumbnails/${event.key}`, thumbnail, {
      contentType: "image/png",
      metadata: { source: event.key, "source-etag": event.etag ?? "" },
    });
    ctx.log.info("thumbnail written", { key: event.key, bytes: thumbnail.byteLength });
  },
  { events: ["created"], prefix: "photos/", suffix: ".png", maxRetries: 3, deadLetter: "thumbnails-dlq" },
);

/**
 * Scales an 8-bit RGB or RGBA PNG down to fit `max`×`max` (box filter), as a PNG; smaller images keep their size.
 * Pure TypeScript on the web's CompressionStream, so it runs unchanged on Workers, Lambda, Vercel and Node.
 *
 * @example
 * ```ts
 * const thumb = await shrinkPng(pngBytes, 200);
 * ```
 */
export async function shrinkPng(png: Uint8Array, max: number): Promise<Uint8Array> {
  const image = await decodePng(png);
  const scale = Math.max(image.width / max, image.height / max, 1);
  const width = Math.max(1, Math.round(image.width / scale));
  const height = Math.max(1, Math.round(image.height / scale));
  const { channels } = image;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * scale);
    const y1 = Math.max(y0 + 1, Math.min(image.height, Math.floor((y + 1) * scale)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * scale);
      const x1 = Math.max(x0 + 1, Math.min(image.width, Math.floor((x + 1) * scale)));
      for (let ch = 0; ch < channels; ch++) {
        let sum = 0;
        for (let sy = y0; sy < y1; sy++)
          for (let sx = x0; sx < x1; sx++) sum += image.pixels[(sy * image.width + sx) * channels + ch] ?? 0;
        out[(y * width + x) * channels + ch] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return encodePng({ width, height, channels, pixels: out });
}

interface Image {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * Decodes a non-interlaced 8-bit RGB or RGBA PNG (https://www.w3.org/TR/png-3/); anything else throws, which
 * retries and then dead-letters the event.
 *
 * @example
 * ```ts
 * const { width, height } = await decodePng(bytes);
 * ```
 */
export async function decodePng(png: Uint8Array): Promise<Image> {
  if (SIGNATURE.some((b, i) => png[i] !== b)) throw new Error("not a PNG");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let channels: 3 | 4 = 3;
  for (let at = 8; at + 8 <= png.byteLength;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, color, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || (color !== 2 && color !== 6) || interlace !== 0)
        throw new Error("only 8-bit, non-interlaced RGB and RGBA PNGs are supported");
      channels = color === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (!width || !height || width * height > 40_000_000) throw new Error("PNG has no usable header");
  const raw = await pipe(concat(idat), new DecompressionStream("deflate"));
  const stride = width * channels;
  if (raw.byteLength < height * (stride + 1)) throw new Error("PNG data is truncated");
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (pixels[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (pixels[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] ?? 0) : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter ?? 0];
      if (predictor === undefined) throw new Error(`PNG filter ${String(filter)} is not a PNG filter`);
      pixels[y * stride + i] = ((row[i] ?? 0) + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Encodes pixels as an 8-bit RGB or RGBA PNG (every row filter 0, zlib-compressed).
 *
 * @example
 * ```ts
 * const png = await encodePng({ width: 1, height: 1, channels: 3, pixels: new Uint8Array([255, 0, 0]) });
 * ```
 */
export async function encodePng(image: Image): Promise<Uint8Array> {
  const stride = image.width * image.channels;
  const raw = new Uint8Array(image.height * (stride + 1));
  for (let y = 0; y < image.height; y++)
    raw.set(image.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, image.width);
  view.setUint32(4, image.height);
  header.set([8, image.channels === 4 ? 6 : 2, 0, 0, 0], 8);
  const idat = await pipe(raw, new CompressionStream("deflate"));
  return concat([
    new Uint8Array(SIGNATURE),
    chunk("IHDR", header),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(
    [...type].map((ch) => ch.charCodeAt(0)),
    4,
  );
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
