import { pathToFileURL } from "node:url";
import type { MiddlewareHandler } from "hono";
import { Skiff, type LogSink } from "skiff";
import { serve } from "skiff/node";
import { requestId } from "../../middleware/request-id/index.js";
import { PIECES, fromRoot, has } from "../lib/paths.js";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// skiff as a user deploys it on Node: serve() with its default stack (bindings, request id, request logs to a
// sink that drops them, the problem+json error handler), scheduler and queue worker off so nothing else runs.
// BENCH_STACK=bare leaves out the request-id and logger middleware, to show what they cost.
const nullSink: LogSink = () => {};
const app = new Skiff({ log: { sink: nullSink } });
const bare = process.env.BENCH_STACK === "bare";
const stack = ["bindings"];
if (!bare) {
  app.use(requestId());
  stack.push("requestId");
}
const logger = bare ? undefined : await loggerMiddleware();
if (logger) {
  app.use(logger);
  stack.push("logger");
}
stack.push("onError");

app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const server = await serve(app, {
  port: 0,
  env: { NODE_ENV: "production" },
  database: { url: ":memory:" },
  scheduler: false,
  queues: false,
  testScheduled: false,
});
ready(server.port, { stack: stack.join(" → "), missing: logger || bare ? [] : [PIECES.logger] });

// The logger middleware is being written in parallel; until it lands the stack is measured without it.
async function loggerMiddleware(): Promise<MiddlewareHandler | undefined> {
  if (!has("logger")) return undefined;
  const mod = (await import(pathToFileURL(fromRoot(PIECES.logger)).href)) as {
    logger?: (options?: object) => MiddlewareHandler;
  };
  if (typeof mod.logger !== "function") return undefined;
  try {
    return mod.logger({ sink: nullSink });
  } catch {
    return mod.logger(); // its options may not take a sink: then the app's null log sink is where it writes
  }
}
