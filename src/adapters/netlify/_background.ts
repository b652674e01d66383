import type { Logger } from "../../logger.js";
import { platformWaitUntil, type WaitUntilTracker } from "../../wait-until.js";
import type { NetlifyContext } from "./types.js";

/**
 * @internal The `waitUntil` of one invocation: hands the work to Netlify's `context.waitUntil`, which keeps the
 * function running after the response (https://docs.netlify.com/build/functions/api/#waituntil), and tracks it in
 * `tracker` so that a failure is logged once (never an unhandled rejection) and `settle()` can await it. Without a
 * context (a handler called by hand) the work simply runs on. Never throws.
 *
 * @example
 * ```ts
 * const waitUntil = invocationWaitUntil(tracker, context, runtime.log);
 * waitUntil(sendAnalytics());
 * ```
 */
export function invocationWaitUntil(
  tracker: WaitUntilTracker,
  context: Pick<NetlifyContext, "waitUntil"> | undefined,
  log: Logger,
): (promise: Promise<unknown>) => void {
  return platformWaitUntil(tracker, (promise) => context?.waitUntil?.(promise), log);
}
