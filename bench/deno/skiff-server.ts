import { Skiff, type LogSink } from "skiff";
import { logger, requestId } from "skiff/middleware";
import { toDeno } from "../../src/adapters/deno/index.js";
import type { DenoNamespace } from "../../src/adapters/deno/types.js";
import { TEXT, acceptOrder, userJson } from "../http/endpoints.js";

// skiff as a user deploys it on Deno: toDeno(app).serve() with the same stack as the Node bench (bindings, request
// id, request logs to a sink that drops them, the problem+json error handler); crons, the queue listener and
// /__scheduled off so nothing else runs. BENCH_STACK=bare leaves out the request-id and logger middleware, to
// tell the adapter's cost from the middleware's. Run by `deno run`.
const nullSink: LogSink = () => {};
const app = new Skiff({ log: { sink: nullSink } });
const bare = (globalThis as unknown as { Deno: DenoNamespace }).Deno.env.toObject().BENCH_STACK === "bare";
if (!bare) app.use(requestId(), logger({ sink: nullSink }));
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const server = toDeno(app, {
  env: { NODE_ENV: "production" },
  crons: false,
  queues: false,
  testScheduled: false,
}).serve({ port: 0, hostname: "127.0.0.1", handleSignals: false });
console.log(
  JSON.stringify({
    ready: true,
    port: Number(new URL(server.url).port),
    stack: bare ? "bindings → onError" : "bindings → requestId → logger → onError",
  }),
);
