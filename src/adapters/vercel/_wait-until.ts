import type { Logger } from "../../logger.js";
import { platformWaitUntil, WaitUntilTracker } from "../../wait-until.js";

// Vercel publishes the current request's context, `waitUntil` included, on this global; `waitUntil` from
// `@vercel/functions` is `globalThis[Symbol.for("@vercel/request-context")]?.get?.().waitUntil?.(promise)` (its
// get-context.js, https://vercel.com/docs/functions/functions-api-reference/vercel-functions-package#waituntil).
// skiff reads the same global instead of importing the package: the package's entry point reads `process.env` when
// it loads (db-connections/index.js), which throws on an edge runtime without `process`, and it would add ~20 KB to
// every edge bundle for these three lines. test/adapters/vercel/wait-until.test.ts pins the equivalence against the
// installed @vercel/functions.
const REQUEST_CONTEXT = Symbol.for("@vercel/request-context");

interface VercelRequestContext {
  waitUntil?: (promise: Promise<unknown>) => void;
}

function vercelContext(): VercelRequestContext | undefined {
  const holder = (globalThis as { [REQUEST_CONTEXT]?: { get?: () => VercelRequestContext | undefined } })[
    REQUEST_CONTEXT
  ];
  return holder?.get?.();
}

/**
 * @internal A `waitUntil` for one isolate, and a way to await what it was given (tests, local runs).
 *
 * @example
 * ```ts
 * const { waitUntil, settle }: VercelWaitUntil = createVercelWaitUntil(log);
 * ```
 */
export interface VercelWaitUntil {
  readonly waitUntil: (promise: Promise<unknown>) => void;
  readonly settle: () => Promise<void>;
}

/**
 * @internal Hands background work to Vercel's `waitUntil`, which keeps the function alive after the response is
 * sent. Outside a Vercel request (tests, `next start` on your own server) there is no context and the work simply
 * runs on. Every task is also tracked here, so that a failure is logged (never an unhandled rejection) and
 * `settle()` can await it. Never throws.
 *
 * @example
 * ```ts
 * const background = createVercelWaitUntil(runtime.log);
 * background.waitUntil(sendAnalytics());
 * await background.settle(); // tests only
 * ```
 */
export function createVercelWaitUntil(log: Logger): VercelWaitUntil {
  const tracker = new WaitUntilTracker(log);
  const waitUntil = platformWaitUntil(tracker, (promise) => vercelContext()?.waitUntil?.(promise), log);
  return { waitUntil, settle: () => tracker.settle() };
}
