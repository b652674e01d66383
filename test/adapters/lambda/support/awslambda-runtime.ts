import { Writable } from "node:stream";
import type { LambdaResponseStream, LambdaStreamingHandler } from "skiff/lambda";

/**
 * The `awslambda` global of Lambda's Node.js runtime, which exists only inside Lambda, rebuilt from AWS's documented
 * contract (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html) and the runtime interface
 * client it ships (aws-lambda-nodejs-runtime-interface-client, src/stream/http-response-stream.ts and
 * response-stream.ts):
 * - `streamifyResponse(handler)` marks the handler as streaming and returns it; the runtime then calls it with
 *   `(event, responseStream, context)`, ignores what it resolves with, and fails the invocation when the stream is
 *   not finished once it has resolved.
 * - the response stream is a Node `Writable` with `setContentType()`, which throws once something was written
 *   (default type `application/octet-stream`).
 * - `HttpResponseStream.from(stream, metadata)` sets the type to `application/vnd.awslambda.http-integration-response`
 *   and, right before the first write, writes `JSON.stringify(metadata)` and then 8 NUL bytes.
 * Every chunk is recorded with the time it reached the stream, so tests can check what arrived before what.
 */
export const PRELUDE_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
const DELIMITER_LEN = 8;
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

export interface RecordedStream extends LambdaResponseStream {
  readonly chunks: Array<{ at: number; bytes: Uint8Array }>;
  readonly contentType: string;
  readonly writableFinished: boolean;
  onChunk?: (bytes: Uint8Array) => void;
  _onBeforeFirstWrite?: (write: (chunk: Uint8Array | string) => void) => void;
}

/** A response stream as the runtime creates it: `highWaterMark` and a per-chunk delay model a slow client. */
export function createResponseStream(
  options: { highWaterMark?: number; delayMs?: number } = {},
): RecordedStream {
  const chunks: Array<{ at: number; bytes: Uint8Array }> = [];
  let contentType = "application/octet-stream";
  let written = false;
  const inner = new Writable({
    highWaterMark: options.highWaterMark ?? 16_384,
    write(chunk: Buffer, _encoding, callback) {
      const bytes = new Uint8Array(chunk);
      chunks.push({ at: performance.now(), bytes });
      stream.onChunk?.(bytes);
      if (options.delayMs) setTimeout(callback, options.delayMs);
      else callback();
    },
  });
  const rawWrite = inner.write.bind(inner);
  const stream = inner as unknown as RecordedStream & Writable;
  Object.defineProperty(stream, "chunks", { value: chunks });
  Object.defineProperty(stream, "contentType", { get: () => contentType });
  stream.setContentType = (type: string) => {
    if (written) throw new Error("Cannot set content-type, too late.");
    contentType = type;
  };
  stream.write = ((chunk: unknown) => {
    const data = typeof chunk === "string" || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!written && typeof stream._onBeforeFirstWrite === "function")
      stream._onBeforeFirstWrite((c) => rawWrite(c));
    written = true;
    return rawWrite(data);
  }) as typeof stream.write;
  return stream;
}

/** Installs the global as Lambda's runtime does before it loads the handler module; returns how to remove it. */
export function installAwsLambdaGlobal(): () => void {
  const target = globalThis as { awslambda?: unknown };
  const previous = target.awslambda;
  target.awslambda = {
    streamifyResponse: (handler: LambdaStreamingHandler) => {
      (handler as unknown as Record<symbol, string>)[STREAMING] = "response";
      return handler;
    },
    HttpResponseStream: {
      from(underlying: RecordedStream, prelude: Record<string, unknown>) {
        underlying.setContentType(PRELUDE_CONTENT_TYPE);
        const metadata = JSON.stringify(prelude);
        underlying._onBeforeFirstWrite = (write) => {
          write(metadata);
          write(new Uint8Array(DELIMITER_LEN));
        };
        return underlying;
      },
    },
  };
  return () => {
    if (previous === undefined) delete target.awslambda;
    else target.awslambda = previous;
  };
}

/** Whether `streamifyResponse` marked the handler, as the runtime checks when it loads it. */
export const isStreamingHandler = (handler: unknown): boolean =>
  (handler as Record<symbol, unknown>)[STREAMING] === "response";

/** Invokes a streaming handler as the runtime does; resolves when it has settled and the stream finished. */
export async function invokeStreaming(
  handler: LambdaStreamingHandler,
  event: unknown,
  stream: RecordedStream = createResponseStream(),
): Promise<{ stream: RecordedStream; resolvedAt: number }> {
  const result: unknown = await handler(event, stream, { awsRequestId: "req-stream" });
  const resolvedAt = performance.now();
  if (result !== undefined) throw new Error("Streaming handlers ignore return values.");
  if (!stream.writableFinished) throw new Error("Response stream is not finished.");
  return { stream, resolvedAt };
}

/** All bytes written, in order. */
export const bytesOf = (stream: RecordedStream): Uint8Array =>
  Buffer.concat(stream.chunks.map((c) => c.bytes));

/** Splits an http-integration-response into its metadata prelude and body, at the first 8 NUL bytes. */
export function splitPrelude(bytes: Uint8Array): { prelude: Record<string, unknown>; body: Uint8Array } {
  const buffer = Buffer.from(bytes);
  const at = buffer.indexOf(Buffer.alloc(DELIMITER_LEN));
  if (at < 0) throw new Error("no prelude delimiter in the stream");
  return {
    prelude: JSON.parse(buffer.subarray(0, at).toString("utf8")) as Record<string, unknown>,
    body: buffer.subarray(at + DELIMITER_LEN),
  };
}
