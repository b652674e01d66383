import { estimateAll } from "./model.js";
import type { PriceTable } from "./prices-2026-12-01.js";
import type { Estimate, Usage } from "./types.js";

const CEILING = 1e13; // requests a month: far past any single app

/**
 * The monthly requests at which one serverless target (`target` + `variant`) costs as much as `serverMonthly`, for
 * the same per-request duration, CPU and memory: found by bisection, since every cost here grows with traffic.
 * `0` when the target already costs more with no traffic (a plan fee above the server's price); `null` when it
 * stays cheaper up to 10^13 requests.
 *
 * @example
 * ```ts
 * breakEvenRequests(PRICES, usage, "lambda", "Function URL", 59.57) // ≈ 57.4M at 200 ms, 256 MB
 * ```
 */
export function breakEvenRequests(
  prices: PriceTable,
  usage: Usage,
  target: string,
  variant: string,
  serverMonthly: number,
): number | null {
  const cost = (requests: number) => {
    const match = estimateAll(prices, { ...usage, requests }).find(
      (e) => e.target === target && e.variant === variant,
    );
    if (!match) throw new Error(`[skiff] cost: no estimate for ${target} ${variant}`);
    return match.total;
  };
  if (cost(0) >= serverMonthly) return 0;
  if (cost(CEILING) < serverMonthly) return null;
  let low = 0;
  let high = CEILING;
  // 60 halvings of 10^13 leave an interval under 0.01 request.
  for (let i = 0; i < 60 && high - low > 1; i++) {
    const mid = (low + high) / 2;
    if (cost(mid) < serverMonthly) low = mid;
    else high = mid;
  }
  return Math.round(high);
}

/**
 * Fills each estimate's `breakEvenRequests` against the server's monthly price.
 *
 * @example
 * ```ts
 * withBreakEven(PRICES, usage, estimateAll(PRICES, usage), 59.57)[0]?.breakEvenRequests
 * ```
 */
export function withBreakEven(
  prices: PriceTable,
  usage: Usage,
  estimates: Estimate[],
  serverMonthly: number,
): Estimate[] {
  return estimates.map((e) => ({
    ...e,
    breakEvenRequests: breakEvenRequests(prices, usage, e.target, e.variant, serverMonthly),
  }));
}
