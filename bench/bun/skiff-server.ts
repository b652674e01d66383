import { Skiff, type LogSink } from "skiff";
import { logger, requestId } from "skiff/middleware";
import { serve } from "../../src/adapters/bun/index.js";
import { TEXT, acceptOrder, userJson } from "../http/endpoints.js";

// skiff as a user deploys it on Bun: serve() from skiff/bun with the same stack as the Node bench (bindings,
// request id, request logs to a sink that drops them, the problem+json error handler); scheduler, queue worker and
// /__scheduled off so nothing else runs. BENCH_STACK=bare leaves out the request-id and logger middleware.
const nullSink: LogSink = () => {};
const app = new Skiff({ log: { sink: nullSink } });
const bare = process.env.BENCH_STACK === "bare";
if (!bare) app.use(requestId(), logger({ sink: nullSink }));
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const server = await serve(app, {
  port: Number(process.env.PORT ?? 0),
  hostname: "127.0.0.1",
  env: { NODE_ENV: "production" },
  database: { url: ":memory:" },
  scheduler: false,
  queues: false,
  testScheduled: false,
});
console.log(
  JSON.stringify({
    ready: true,
    port: server.port,
    stack: bare ? "bindings → onError" : "bindings → requestId → logger → onError",
  }),
);
