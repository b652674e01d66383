import { Hono } from "hono";
import { TEXT, acceptOrder, userJson } from "../http/endpoints.js";

// Bare Hono on Bun.serve, the way Hono's docs run it on Bun: the baseline skiff/bun is measured against.
const app = new Hono();
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const bun = (globalThis as { Bun?: { serve(o: object): { port: number } } }).Bun;
if (!bun) throw new Error("run this with bun");
const server = bun.serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: "127.0.0.1" });
// The parent reads the port from this line (Bun has no IPC channel to a Node parent).
console.log(JSON.stringify({ ready: true, port: server.port, stack: "none" }));
