import { Hono } from "hono";
import type { DenoNamespace } from "../../src/adapters/deno/types.js";
import { TEXT, acceptOrder, userJson } from "../http/endpoints.js";

// Bare Hono on Deno.serve: the baseline skiff/deno is built on, with no middleware. Run by `deno run`.
const deno = (globalThis as unknown as { Deno: DenoNamespace }).Deno;
const app = new Hono();
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const server = deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => undefined }, (request) =>
  app.fetch(request),
);
console.log(JSON.stringify({ ready: true, port: server.addr.port, stack: "none" }));
