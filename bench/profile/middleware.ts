import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { requestId as honoRequestId } from "hono/request-id";
import { Skiff } from "skiff";
import { logger, requestId } from "skiff/middleware";
import { runtimeContext } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";
import { formatAndDrop, jsonLogger } from "../http/json-logger.js";
import { TEXT } from "../http/endpoints.js";

// In-process A/B of the per-request middleware cost, without sockets or a load generator (whose noise on a shared
// machine hides differences of a few µs): the like-for-like stacks of bench/http-stack.ts, each called through its
// fetch with a Request, alternating rounds. `BENCH_OLD=<dir>` adds skiff with the middleware files from <dir>
// (e.g. a copy of an older version), to compare a change in the same run.
//   node --conditions=skiff-source --import tsx bench/profile/middleware.ts
getRequestListener(() => new Response()); // installs @hono/node-server's lightweight Request/Response, as serve() does

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_N ?? 20_000);

const hono = new Hono().use(honoRequestId(), jsonLogger(formatAndDrop));
hono.get("/hello", (c) => c.text(TEXT));
const bareHono = new Hono().get("/hello", (c) => c.text(TEXT));
const honoId = new Hono().use(honoRequestId()).get("/hello", (c) => c.text(TEXT));
const honoLog = new Hono().use(jsonLogger(formatAndDrop)).get("/hello", (c) => c.text(TEXT));

async function skiffWith(mw: { requestId?: typeof requestId; logger?: typeof logger }) {
  const app = new Skiff({ log: { sink: formatAndDrop } });
  if (mw.requestId) app.use(mw.requestId());
  if (mw.logger) app.use(mw.logger());
  app.get("/hello", (c) => c.text(TEXT));
  const t = createTestRuntime(app, { databaseUrl: ":memory:", platform: "node" });
  // As serve() calls the app: one execution context for the life of the server, no settling per request.
  const context = runtimeContext(t.runtime, { waitUntil: () => {} });
  return (request: Request) => app.fetch(request, {}, context);
}
const bare = new Skiff({ log: { sink: formatAndDrop } });
bare.get("/hello", (c) => c.text(TEXT));
const bareRuntime = createTestRuntime(bare, { databaseUrl: ":memory:", platform: "node" });
// As serve() calls the app: one execution context for the life of the server, no settling per request.
const serveContext = runtimeContext(bareRuntime.runtime, { waitUntil: () => {} });

const only = process.env.BENCH_ONLY;
const contenders: Record<string, (request: Request) => Promise<Response> | Response> = {
  "hono + request-id + JSON logger": (request) => hono.fetch(request),
  "skiff requestId() + logger()": await skiffWith({ requestId, logger }),
  "hono, no middleware": (request) => bareHono.fetch(request),
  "skiff, no middleware": (request) => bare.fetch(request, {}, serveContext),
  "skiff, no middleware, createTestRuntime's fetch": (request) => bareRuntime.fetch(request),
  "hono + request-id only": (request) => honoId.fetch(request),
  "skiff requestId() only": await skiffWith({ requestId }),
  "hono + JSON logger only": (request) => honoLog.fetch(request),
  "skiff logger() only": await skiffWith({ logger }),
};
if (process.env.BENCH_OLD) {
  const old = process.env.BENCH_OLD;
  const { logger: oldLogger } = (await import(`${old}/middleware/logger/logger.ts`)) as {
    logger: typeof logger;
  };
  const { requestId: oldRequestId } = (await import(`${old}/middleware/request-id/request-id.ts`)) as {
    requestId: typeof requestId;
  };
  contenders["skiff requestId() + logger(), BENCH_OLD"] = await skiffWith({
    requestId: oldRequestId,
    logger: oldLogger,
  });
}

if (only) for (const name of Object.keys(contenders)) if (!name.includes(only)) delete contenders[name];
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((n) => [n, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, fetch] of Object.entries(contenders)) {
    const started = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const res = await fetch(new Request("http://127.0.0.1/hello", { headers: { "user-agent": "bench" } }));
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    }
    // Round 0 warms the JIT and is not counted.
    // CPU time, not wall time: other processes on a shared machine stretch the wall clock, not our CPU time.
    const used = process.cpuUsage(started);
    if (round > 0) samples[name]!.push((used.user + used.system) / N);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const peer = median(samples["hono + request-id + JSON logger"] ?? []);
// BENCH_JSON=1: one JSON line of medians (µs CPU per request by contender), for bench/http-stack.ts's table.
if (process.env.BENCH_JSON)
  console.log(
    `BENCH_IN_PROCESS ${JSON.stringify(Object.fromEntries(Object.entries(samples).map(([n, xs]) => [n, median(xs)])))}`,
  );
else
  for (const [name, xs] of Object.entries(samples))
    console.log(
      `${name.padEnd(42)} ${median(xs).toFixed(2).padStart(7)} µs CPU/req   ${(peer / median(xs)).toFixed(2)}× the Hono peer's speed`,
    );
await bareRuntime.close();
process.exit(0);
