import { pathToFileURL } from "node:url";
import type { Bundle } from "../lib/bundle.js";
import { run } from "../lib/child.js";
import { freshDatabase } from "../lib/files.js";

// A Function URL / HTTP API (payload v2) request for `GET /`, as Lambda hands it over.
const EVENT = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/",
  rawQueryString: "",
  headers: { host: "bench.lambda-url.us-east-1.on.aws", accept: "*/*" },
  requestContext: {
    accountId: "123456789012",
    apiId: "bench",
    domainName: "bench.lambda-url.us-east-1.on.aws",
    http: { method: "GET", path: "/", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
    requestId: "bench",
    routeKey: "$default",
    stage: "$default",
    time: "01/Jan/2026:00:00:00 +0000",
    timeEpoch: 1767225600000,
  },
  isBase64Encoded: false,
};

// Runs in the fresh process, as plain JS so no loader is timed: import, one invocation, and the times
// (performance.now() counts from the start of the process).
const MARK = "BENCH_COLD_START ";
const COLD_START = `const MARK = ${JSON.stringify(MARK)};
const t0 = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE);
const res = await handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 30000 });
const t1 = performance.now();
if (res?.statusCode !== 200) throw new Error("first response: " + JSON.stringify(res));
process.stdout.write("\\n" + MARK + JSON.stringify({ firstMs: t1 - t0, processMs: t1 }) + "\\n");
`;

// What a Lambda function's environment would hold; nothing here is reached by `GET /`.
const LAMBDA_ENV = {
  TURSO_DATABASE_URL: freshDatabase("lambda-shop"),
  SKIFF_QUEUE_URL_ORDERS: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
  SKIFF_QUEUE_URL_ORDERS_DLQ: "https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq",
  ORDERS_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  NODE_ENV: "production",
};

/** A Lambda cold start: a fresh `node` imports the bundle and answers one request. */
export interface ColdStart {
  /** Import + first response. */
  firstMs: number;
  /** The same, plus Node's own boot. */
  processMs: number;
}

export async function coldLambda(bundle: Bundle): Promise<ColdStart> {
  const stdout = await run(process.execPath, ["--input-type=module", "-e", COLD_START], {
    env: { ...LAMBDA_ENV, BENCH_BUNDLE: pathToFileURL(bundle.file).href, BENCH_EVENT: JSON.stringify(EVENT) },
    timeoutMs: 30_000,
  });
  // The app's own request log shares stdout: take the marked line.
  const line = stdout.split("\n").find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`no result from the cold start: ${stdout.slice(-300)}`);
  return JSON.parse(line.slice(MARK.length)) as ColdStart;
}
