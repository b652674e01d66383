import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import Fastify from "fastify";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Fastify 5 with the plugins equivalent to the shop's stack (bench/http/shop-skiff-server.ts): request ids
// (genReqId, echoed as X-Request-Id), pino writing one JSON line per request to /dev/null, a 64 KiB body limit,
// @fastify/rate-limit per IP (its default in-process store) and JSON-schema validation of the POST body.
const app = Fastify({
  logger: { level: "info", stream: (await import("node:fs")).createWriteStream("/dev/null") },
  genReqId: (req) => {
    const incoming = req.headers["x-request-id"];
    return typeof incoming === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming)
      ? incoming
      : randomUUID();
  },
  bodyLimit: 64 * 1024,
  // One line per request, as skiff's logger writes (Fastify's default is two: "incoming request", "request completed").
  disableRequestLogging: true,
});
app.addHook("onRequest", async (req, reply) => void reply.header("x-request-id", req.id));
app.addHook("onResponse", async (req, reply) =>
  req.log.info(
    { method: req.method, path: req.url, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime) },
    "request",
  ),
);
await app.register(rateLimit, { max: 1_000_000_000, timeWindow: 60_000 });
app.get("/hello", async (_req, reply) => reply.type("text/plain").send(TEXT));
app.get<{ Params: { id: string }; Querystring: { include?: string } }>("/users/:id", async (req) =>
  userJson(req.params.id, req.query.include),
);
const order = {
  type: "object",
  required: ["sku", "qty", "email", "note"],
  properties: {
    sku: { type: "string" },
    qty: { type: "integer", minimum: 1 },
    email: { type: "string" },
    note: { type: "string" },
  },
} as const;
app.post("/orders", { schema: { body: order } }, async (req) => acceptOrder(req.body));

await app.listen({ port: 0, host: "127.0.0.1" });
ready((app.server.address() as AddressInfo).port, {
  stack: "genReqId → pino (/dev/null) → bodyLimit → @fastify/rate-limit (memory) → JSON schema",
});
