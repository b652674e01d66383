import { SkiffError } from "../errors.js";
import { durationMs } from "./duration.js";
import type { RetryPolicy } from "./types.js";

/** @internal The default retry policy of a step, as documented on {@link RetryPolicy}. */
export const DEFAULT_RETRIES: Required<RetryPolicy> = { limit: 3, delay: "1 second", backoff: "exponential" };

/** @internal How many retries follow the first attempt. */
export function retryLimit(policy: RetryPolicy): number {
  const limit = policy.limit ?? DEFAULT_RETRIES.limit;
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) {
    throw new SkiffError(`retries.limit must be an integer from 0 to 1000 (got ${String(limit)})`);
  }
  return limit;
}

/** @internal The delay before retry `attempt` (the attempt that just failed, 1-based), in milliseconds. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const base = durationMs(policy.delay ?? DEFAULT_RETRIES.delay, "retries.delay");
  const backoff = policy.backoff ?? DEFAULT_RETRIES.backoff;
  if (backoff === "constant") return base;
  if (backoff === "linear") return base * attempt;
  if (backoff === "exponential") return base * 2 ** (attempt - 1);
  throw new SkiffError(
    `retries.backoff must be "constant", "linear" or "exponential" (got ${String(backoff)})`,
  );
}
