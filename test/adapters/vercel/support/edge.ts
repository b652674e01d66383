import { gzipSync } from "node:zlib";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

/** Resolution conditions of an edge bundle: skiff's sources, then what Next.js (`edge-light`) and workers resolve. */
export const EDGE_CONDITIONS = ["skiff-source", "edge-light", "worker", "browser"];

/** An edge bundle: its code, the files it contains, and its minified + gzipped size. */
export interface EdgeBundle {
  code: string;
  inputs: string[];
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles `entry` for the edge runtime as an IIFE that assigns its exports to `globalThis[globalName]`. Platform
 * `browser`, so a Node built-in anywhere in the graph fails the build ("Could not resolve").
 */
export async function bundleForEdge(
  entry: string,
  options: { globalName: string; define?: Record<string, string>; minify?: boolean },
): Promise<EdgeBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    globalName: options.globalName,
    platform: "browser",
    target: "es2022",
    conditions: EDGE_CONDITIONS,
    minify: options.minify ?? false,
    define: options.define ?? {},
    metafile: true,
    logLevel: "silent",
    absWorkingDir: process.cwd(),
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return {
    code: output.text,
    inputs: Object.keys(result.metafile.inputs),
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents).byteLength,
  };
}

/**
 * Starts Vercel's `edge-runtime` sandbox (no `process`, no `require`) with `code`, then a fetch listener that calls
 * `handlers[request.method]` (an expression evaluated in the sandbox). The listener also plays Vercel's part of
 * publishing the request context that `@vercel/functions`' `waitUntil` reads (`Symbol.for("@vercel/request-context")`),
 * bound to the fetch event, so `response.waitUntil()` awaits what the handler handed to it. `__waitUntilCalls`
 * counts the calls.
 */
export function startEdgeSandbox(code: string, handlers: string, prelude = ""): EdgeRuntime {
  const listener = `
    (() => {
      let current;
      globalThis[Symbol.for("@vercel/request-context")] = { get: () => current };
      addEventListener("fetch", (event) => {
        current = {
          waitUntil: (promise) => {
            globalThis.__waitUntilCalls = (globalThis.__waitUntilCalls ?? 0) + 1;
            event.waitUntil(promise);
          },
        };
        const handler = (${handlers})[event.request.method];
        event.respondWith(handler(event.request));
      });
    })();`;
  return new EdgeRuntime({ initialCode: `${prelude}\n${code}\n${listener}` });
}

/**
 * Sends a Node `Request` into the sandbox (rebuilt there, as the platform would) and brings the response back,
 * after the work the handler passed to `waitUntil` has finished.
 */
export async function edgeFetch(runtime: EdgeRuntime, request: Request): Promise<Response> {
  const method = request.method;
  const body = method === "GET" || method === "HEAD" ? undefined : await request.text();
  const response = await runtime.dispatchFetch(request.url, { method, headers: [...request.headers], body });
  await response.waitUntil();
  const text =
    method === "HEAD" || response.status === 204 || response.status === 304 ? null : await response.text();
  return new Response(text, { status: response.status, headers: [...response.headers] });
}
