import { type Env } from "hono";
import { type KVStore, type Logger, type QueueSchemas, Skiff } from "skiff";
import { type IncomingMessage, MemoryKV } from "skiff/adapter";
import { createTestRuntime } from "skiff/testing";
import { tempDbUrl } from "../../contract/node-driver.js";
import { expect } from "vitest";
import { z } from "zod";

/** Shared by the idempotency tests: the in-process harness, gates that hold a handler open, and request builders. */

// ---- harness: the only Node-specific part; the cases below use fetch-shaped calls and web APIs only ----

export const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** An app on real local bindings (a temp libSQL file, MemoryKV) called in-process, as an adapter would. */
export function inProcess<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  kv: KVStore = new MemoryKV(),
) {
  const t = createTestRuntime(app, { databaseUrl: tempDbUrl(), kv, log: silent });
  return {
    runtime: t.runtime,
    fetch: (path: string, init?: RequestInit) => t.fetch(new Request(`http://test${path}`, init)),
    deliver: (queue: string, messages: IncomingMessage[]) => t.deliver(queue, messages),
    close: () => t.close(),
  };
}

export const gates: Array<() => void> = [];

/** A promise to hold a handler open until the test lets it finish. */
export function gate() {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  gates.push(open);
  return { wait, open };
}

export const post = (
  key: string | undefined,
  body: unknown = { sku: "a", qty: 1 },
  headers: Record<string, string> = {},
): RequestInit => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    ...(key === undefined ? {} : { "Idempotency-Key": key }),
    ...headers,
  },
  body: JSON.stringify(body),
});

export async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as { type: string; title: string; status: number; detail?: string };
}

export let counter = 0;
export const uniqueKey = () => `key-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export const Job = z.object({ jobId: z.string() });
export const message = (id: string, jobId: string, attempts = 1): IncomingMessage => ({
  id,
  body: { jobId },
  attempts,
  timestamp: new Date(),
});
