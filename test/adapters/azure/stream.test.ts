import { app as functions } from "@azure/functions";
import { beforeAll, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { toAzure } from "skiff/azure";
import {
  installFunctionsHost,
  invokeStreamed,
  resetFunctionsHost,
  startHttpProxy,
} from "./support/functions-host.js";

// HTTP streaming is a process-wide switch of @azure/functions (app.setup before registration), so it has its own
// file: the library's HTTP proxy carries the request and response bodies, and the app's streams pass through it.
describe("toAzure with app.setup({ enableHttpStream: true })", () => {
  let port: number;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    installFunctionsHost();
    resetFunctionsHost();
    functions.setup({ enableHttpStream: true });
    const app = new Skiff({});
    app.post("/count", async (c) => {
      let bytes = 0;
      const reader = (c.req.raw.body as ReadableStream<Uint8Array>).getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
      return c.json({ bytes, path: c.req.path });
    });
    app.get("/ticks", () => {
      const gate = new Promise<void>((resolve) => (release = resolve));
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode("first\n"));
          await gate; // the rest only after the client has read the first chunk
          controller.enqueue(new TextEncoder().encode("second\n"));
          controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain", "set-cookie": "s=1; Path=/" } });
    });
    toAzure(app, { env: {} });
    port = await startHttpProxy();
  });

  it("streams a request body into the app", async () => {
    const chunks = Array.from({ length: 64 }, () => new Uint8Array(16 * 1024).fill(97));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const { response, done } = await invokeStreamed("http", port, "/count", { method: "POST", body });
    expect(await response.json()).toEqual({ bytes: 64 * 16 * 1024, path: "/count" });
    await done;
  });

  it("streams the app's response: the first chunk arrives before the app writes the second", async () => {
    const { response, done } = await invokeStreamed("http", port, "/ticks", { method: "GET" });
    expect(response.headers.get("set-cookie")).toBe("s=1; Path=/");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe("first\n");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value);
    expect(rest).toBe("second\n");
    await done;
  });
});
