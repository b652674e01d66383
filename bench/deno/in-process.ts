import { Hono } from "hono";
import { Skiff, type LogSink } from "skiff";
import { logger, requestId } from "skiff/middleware";
import { toDeno } from "../../src/adapters/deno/index.js";
import type { DenoNamespace } from "../../src/adapters/deno/types.js";
import { ENDPOINTS, TEXT, acceptOrder, userJson } from "../http/endpoints.js";

// The handler cost without a socket or a load generator: each contender's fetch called in a loop in this one deno
// process, contenders alternated round by round, so a busy machine slows them alike. Prints one JSON line.
const deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;
const env = deno.env.toObject();
const N = Number(env.BENCH_IN_PROCESS_N ?? 5_000);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const nullSink: LogSink = () => {};

// The same handlers on both (as bench/http/*-server.ts): only the framework differs.
function skiff(stack: boolean) {
  const app = new Skiff({ log: { sink: nullSink } });
  if (stack) app.use(requestId(), logger({ sink: nullSink }));
  app.get("/hello", (c) => c.text(TEXT));
  app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
  app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));
  return toDeno(app, { env: {}, crons: false, queues: false });
}
const hono = new Hono();
hono.get("/hello", (c) => c.text(TEXT));
hono.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
hono.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));
const info = { remoteAddr: { hostname: "127.0.0.1", port: 40_000, transport: "tcp" } };
const contenders = {
  hono: (r: Request) => hono.fetch(r),
  "skiff, no middleware": (
    (app) => (r: Request) =>
      app.fetch(r, info)
  )(skiff(false)),
  "skiff, full stack": (
    (app) => (r: Request) =>
      app.fetch(r, info)
  )(skiff(true)),
};
type Name = keyof typeof contenders;

async function perRequest(name: Name, endpoint: (typeof ENDPOINTS)[number]): Promise<number> {
  const fetch = contenders[name];
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const request = new Request(`http://bench.test${endpoint.path}`, {
      method: endpoint.method,
      ...(endpoint.body ? { body: endpoint.body, headers: { "content-type": "application/json" } } : {}),
    });
    await (await fetch(request)).text();
  }
  return ((performance.now() - started) / N) * 1000;
}

const results: Record<string, Record<Name, number[]>> = {};
for (const endpoint of ENDPOINTS) {
  const samples = { hono: [], "skiff, no middleware": [], "skiff, full stack": [] } as Record<Name, number[]>;
  for (const name of Object.keys(contenders) as Name[]) await perRequest(name, endpoint); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(contenders) as Name[];
    if (round % 2) order.reverse();
    for (const name of order) samples[name].push(await perRequest(name, endpoint));
  }
  results[endpoint.name] = samples;
}
console.log(JSON.stringify({ ready: true, n: N, rounds: ROUNDS, results }));
