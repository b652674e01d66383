import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Bare node:http, routing by hand: the ceiling for any framework on Node (issue 18's "Node stretch" goal).
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (req.method === "GET" && url === "/hello") {
    res.writeHead(200, { "content-type": "text/plain; charset=UTF-8" });
    return res.end(TEXT);
  }
  if (req.method === "GET" && url.startsWith("/users/")) {
    const parsed = new URL(url, "http://localhost");
    const body = JSON.stringify(
      userJson(parsed.pathname.slice(7), parsed.searchParams.get("include") ?? undefined),
    );
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(body);
  }
  if (req.method === "POST" && url === "/orders") {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.stringify(acceptOrder(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => ready((server.address() as AddressInfo).port, { stack: "none" }));
