import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Fastify 5 with its defaults (logger off, as in its own benchmarks).
const app = Fastify({ logger: false });
app.get("/hello", async (_req, reply) => reply.type("text/plain").send(TEXT));
app.get<{ Params: { id: string }; Querystring: { include?: string } }>("/users/:id", async (req) =>
  userJson(req.params.id, req.query.include),
);
app.post("/orders", async (req) => acceptOrder(req.body));

await app.listen({ port: 0, host: "127.0.0.1" });
ready((app.server.address() as AddressInfo).port, { stack: "none" });
