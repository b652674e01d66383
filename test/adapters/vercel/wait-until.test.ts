import { waitUntil as vercelFunctionsWaitUntil } from "@vercel/functions";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type LogRecord } from "skiff";
import { createVercelWaitUntil } from "../../../src/adapters/vercel/_wait-until.js";

const REQUEST_CONTEXT = Symbol.for("@vercel/request-context");
type Holder = { get: () => { waitUntil?: (promise: Promise<unknown>) => void } | undefined };
const globals = globalThis as { [REQUEST_CONTEXT]?: Holder };

function withVercelContext(waitUntil: (promise: Promise<unknown>) => void): void {
  globals[REQUEST_CONTEXT] = { get: () => ({ waitUntil }) };
}

function capture() {
  const records: LogRecord[] = [];
  return { records, log: createLogger({ sink: (r) => void records.push(r) }) };
}

afterEach(() => {
  delete globals[REQUEST_CONTEXT];
});

describe("waitUntil on Vercel", () => {
  it("reaches the same request context as @vercel/functions' waitUntil (pinned against the installed package)", () => {
    const seen: Array<[string, Promise<unknown>]> = [];
    withVercelContext((promise) => void seen.push(["context", promise]));
    const task = Promise.resolve(1);
    vercelFunctionsWaitUntil(task);
    createVercelWaitUntil(capture().log).waitUntil(task);
    expect(seen.map(([who]) => who)).toEqual(["context", "context"]);
  });

  it("does not throw without a Vercel context, where @vercel/functions drops the task, and still awaits it on settle()", async () => {
    expect(() => vercelFunctionsWaitUntil(Promise.resolve())).not.toThrow(); // and does nothing
    const { log } = capture();
    const background = createVercelWaitUntil(log);
    let done = false;
    background.waitUntil(new Promise((resolve) => setTimeout(resolve, 20)).then(() => (done = true)));
    await background.settle();
    expect(done).toBe(true);
  });

  it("logs a failed task instead of leaving an unhandled rejection, and survives a context whose waitUntil throws", async () => {
    const { log, records } = capture();
    withVercelContext(() => {
      throw new Error("platform hiccup");
    });
    const background = createVercelWaitUntil(log);
    expect(() => background.waitUntil(Promise.reject(new Error("task failed")))).not.toThrow();
    await background.settle();
    expect(records.map((r) => r.msg).sort()).toEqual(["waitUntil failed", "waitUntil task failed"]);
  });
});
