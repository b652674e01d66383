import { SkiffError } from "../../errors.js";
import type { Invoke } from "./_invoke.js";
import { resultHeaders } from "./http/_response-headers.js";
import { handleHttpEvent } from "./http/handle.js";
import { toRequest } from "./http/to-request.js";
import type { ApiGatewayV2Event, HttpRequestOptions } from "./http/types.js";
import type { LambdaContext } from "./types.js";

/**
 * The response stream Lambda's Node.js runtime hands a streaming handler: a Node `Writable` plus `setContentType`
 * (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html). Only what skiff uses is named, so
 * a Node `Writable` with `setContentType` assigns.
 *
 * @example
 * ```ts
 * const handler: LambdaStreamingHandler = async (event, stream: LambdaResponseStream) => { stream.end() };
 * ```
 */
export interface LambdaResponseStream {
  write(chunk: Uint8Array | string): boolean;
  end(callback?: () => void): unknown;
  once(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
  removeListener(event: "drain" | "close" | "error", listener: (...args: unknown[]) => void): unknown;
  setContentType(contentType: string): void;
  readonly destroyed?: boolean;
}

/**
 * A handler wrapped by `awslambda.streamifyResponse`: the runtime calls it with the event, the response stream and
 * the context, and ignores what it resolves with.
 *
 * @example
 * ```ts
 * export const handler: LambdaStreamingHandler = toLambda(app, { stream: true });
 * ```
 */
export type LambdaStreamingHandler = (
  event: unknown,
  responseStream: LambdaResponseStream,
  context?: LambdaContext,
) => Promise<void>;

/** The HTTP response metadata `HttpResponseStream.from` sends ahead of the body. */
interface ResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/** The part of the `awslambda` global (Lambda's Node.js runtime only) that streaming uses. */
interface AwsLambdaGlobal {
  streamifyResponse(handler: LambdaStreamingHandler): LambdaStreamingHandler;
  HttpResponseStream: {
    from(stream: LambdaResponseStream, metadata: ResponseMetadata): LambdaResponseStream;
  };
}

function awsLambdaGlobal(): AwsLambdaGlobal {
  const candidate = (globalThis as { awslambda?: Partial<AwsLambdaGlobal> }).awslambda;
  if (
    typeof candidate?.streamifyResponse !== "function" ||
    typeof candidate.HttpResponseStream?.from !== "function"
  ) {
    throw new SkiffError(
      "toLambda(app, { stream: true }) needs the awslambda global that Lambda's Node.js runtime provides (awslambda.streamifyResponse and awslambda.HttpResponseStream), and it is missing here: outside Lambda, or with AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA set, build the handler without `stream`",
    );
  }
  return candidate as AwsLambdaGlobal;
}

/**
 * @internal The streaming form of toLambda's handler. A Function URL request (its `requestContext.domainName` is
 * `<id>.lambda-url.<region>.on.aws`) is answered on the stream: the metadata prelude as soon as the app has
 * answered, then each body chunk as the app produces it. Any other event (SQS, schedules, API Gateway, ALB; Lambda
 * invokes a streaming function with the plain Invoke API for them) gets its usual result, written as JSON.
 *
 * @example
 * ```ts
 * export const handler = streamingHandler(createInvoker(app, {}), undefined);
 * ```
 */
export function streamingHandler(
  invoke: Invoke,
  http: HttpRequestOptions | undefined,
): LambdaStreamingHandler {
  const awslambda = awsLambdaGlobal();
  return awslambda.streamifyResponse(async (event, responseStream, context) => {
    const result = await invoke(event, context, async (httpEvent, kind, fetch) => {
      if (kind !== "apigw-v2" || !isFunctionUrl(httpEvent)) return handleHttpEvent(httpEvent, fetch, http);
      const request = toRequest(httpEvent as ApiGatewayV2Event, kind, http);
      await writeResponse(awslambda, responseStream, await fetch(request), request.method === "HEAD");
      return STREAMED;
    });
    if (result === STREAMED) return;
    // A schedule resolves with nothing: the payload stays empty.
    if (result !== undefined) {
      responseStream.setContentType("application/json");
      responseStream.write(JSON.stringify(result));
    }
    await end(responseStream);
  });
}

const STREAMED = Symbol("streamed");

// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
const isFunctionUrl = (event: unknown): boolean => {
  const domain = (event as ApiGatewayV2Event).requestContext.domainName;
  return typeof domain === "string" && /\.lambda-url\.[a-z0-9-]+\.on\.aws$/.test(domain);
};

async function writeResponse(
  awslambda: AwsLambdaGlobal,
  raw: LambdaResponseStream,
  response: Response,
  head: boolean,
): Promise<void> {
  const { headers, cookies } = resultHeaders(response);
  const stream = awslambda.HttpResponseStream.from(raw, { statusCode: response.status, headers, cookies });
  // The prelude goes out with the first write; an empty one sends it now, before the body (or for a body-less answer).
  stream.write(new Uint8Array(0));
  if (head || response.body === null) {
    await response.body?.cancel();
    return end(stream);
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength > 0 && !stream.write(value)) await drained(stream);
      if (stream.destroyed) break; // the client went away: stop producing
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  await end(stream);
}

// Back-pressure: wait until the stream asks for more, or is gone.
function drained(stream: LambdaResponseStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.removeListener("drain", done);
      stream.removeListener("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}

function end(stream: LambdaResponseStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) resolve();
    else stream.end(() => resolve());
  });
}
