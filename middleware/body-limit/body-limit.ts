import type { MiddlewareHandler } from "hono";
import { problem } from "../_problem.js";
import { type BodyLimitPlatform, PLATFORM_BODY_LIMITS } from "./platforms.js";
import { withOpenApi } from "../../src/openapi/_meta.js";

/**
 * Options of {@link bodyLimit}: a byte count, or a platform whose limit to mirror.
 *
 * @example
 * ```ts
 * const options: BodyLimitOptions = { platform: "lambda" }; // or { maxBytes: 64 * 1024 }
 * ```
 */
export interface BodyLimitOptions {
  /** Largest accepted body in bytes. Overrides `platform`. */
  maxBytes?: number;
  /** Use this platform's limit from {@link PLATFORM_BODY_LIMITS}. Default `"node"` (1 MiB). */
  platform?: BodyLimitPlatform;
}

const tooLarge = (maxBytes: number) =>
  problem(413, "Content Too Large", `The request body exceeds the limit of ${maxBytes} bytes`, { maxBytes });

/**
 * Rejects request bodies larger than `maxBytes` (or the `platform`'s limit) with a 413 problem, without ever
 * holding more than the limit. A declared `Content-Length` over the limit is refused before any handler runs.
 * Every body is then counted as it streams to the handler, so a chunked body, or one whose `Content-Length`
 * understates it, errors the moment it passes the limit; that chunk is never delivered, the rest of the upload is
 * cancelled, and the response becomes the 413 whatever the handler made of the read error. Bodies are not read
 * ahead: a handler that streams keeps streaming. Register it before anything that reads the body.
 *
 * Not built on `hono/body-limit`: that one reads a chunked body completely into memory before the handler runs
 * (the handler cannot stream), and trusts `Content-Length` without counting, so a request whose header understates
 * its body is never limited.
 *
 * @example
 * ```ts
 * app.post("/upload", bodyLimit({ platform: "vercel" }), async (c) => c.json({ size: (await c.req.arrayBuffer()).byteLength }));
 * ```
 */
export const bodyLimit = (options: BodyLimitOptions = {}): MiddlewareHandler => {
  const { platform = "node" } = options;
  if (!Object.hasOwn(PLATFORM_BODY_LIMITS, platform)) {
    const known = Object.keys(PLATFORM_BODY_LIMITS).join(", ");
    throw new TypeError(`[skiff] bodyLimit: platform ${JSON.stringify(platform)} is not one of ${known}`);
  }
  const maxBytes = options.maxBytes ?? PLATFORM_BODY_LIMITS[platform];
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new TypeError(`[skiff] bodyLimit: maxBytes must be a whole number of bytes >= 0 (got ${maxBytes})`);
  }

  const middleware: MiddlewareHandler = async function bodyLimit(c, next) {
    const raw = c.req.raw;
    // Nothing to limit, or already read by earlier middleware (too late to limit; register bodyLimit first).
    if (raw.body === null || raw.bodyUsed) return next();

    // RFC 9112 §6.3: with Transfer-Encoding present, Content-Length is to be ignored.
    const declared = raw.headers.has("transfer-encoding") ? null : raw.headers.get("content-length");
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes);

    let seen = 0;
    let exceeded = false;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) {
            exceeded = true;
            controller.error(tooLarge(maxBytes)); // also cancels the source: the rest is never pulled
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    // `duplex` is required by Node's fetch for stream bodies and ignored elsewhere; lib.dom does not know it yet.
    c.req.raw = new Request(raw, { body: counted, duplex: "half" } as RequestInit);

    await next();
    // The handler saw a read error and may have turned it into a 400 or 500, or swallowed it; the truth is 413.
    if (exceeded) throw tooLarge(maxBytes);
  };
  // What the OpenAPI document says of every route behind this middleware (src/openapi).
  return withOpenApi(middleware, {
    kind: "describe",
    description: {
      responses: { 413: { description: "The request body is larger than this endpoint accepts" } },
    },
  });
};
