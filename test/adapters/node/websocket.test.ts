import { createNodeWebSocket } from "@hono/node-ws";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";

const servers: SkiffServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function echoServer(shutdownGraceMs?: number) {
  const app = new Skiff();
  const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });
  app.get(
    "/ws",
    upgradeWebSocket(() => ({
      onMessage: (event, ws) => ws.send(`echo: ${String(event.data)}`),
    })),
  );
  app.get("/", (c) => c.text("ok"));
  const server = await serve(app, {
    port: 0,
    env: {},
    database: { url: ":memory:" },
    handleSignals: false,
    scheduler: false,
    queues: false,
    ...(shutdownGraceMs === undefined ? {} : { shutdownGraceMs }),
  });
  servers.push(server);
  injectWebSocket(server.server);
  return server;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("serve(): WebSockets through @hono/node-ws on the exposed http.Server", () => {
  it("upgrades a route and echoes messages over a real WebSocket", async () => {
    const server = await echoServer();
    const socket = await open(`ws://127.0.0.1:${server.port}/ws`);
    const reply = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send("hello");
    expect(await reply).toBe("echo: hello");
    socket.close();
    // Plain HTTP still works beside it.
    expect(await (await fetch(`${server.url}/`)).text()).toBe("ok");
  });

  it("does not let an open WebSocket hold close() beyond the grace", async () => {
    const server = await echoServer(300);
    const socket = await open(`ws://127.0.0.1:${server.port}/ws`);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const began = Date.now();
    await server.close();
    servers.splice(0);
    expect(Date.now() - began).toBeLessThan(2_000);
    await closed;
  });
});
