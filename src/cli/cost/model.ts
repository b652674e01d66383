import { HOURS_PER_MONTH, line } from "./_lines.js";
import { lambdaEstimates } from "./aws.js";
import { azureEstimates, gcpEstimate } from "./clouds.js";
import { netlifyEstimate, vercelEstimate, workersEstimate } from "./edge.js";
import type { PriceTable } from "./prices-2026-12-01.js";
import type { Estimate, Usage } from "./types.js";

export { tieredCost } from "./_lines.js";
export { lambdaEstimates, azureEstimates, gcpEstimate, netlifyEstimate, vercelEstimate, workersEstimate };

/**
 * The always-on server to compare with: a flat monthly price, whatever the traffic (up to its capacity).
 *
 * @example
 * ```ts
 * serverEstimate(PRICES, usage, 12).total // 12
 * ```
 */
export function serverEstimate(prices: PriceTable, usage: Usage, monthly?: number): Estimate {
  const cost = monthly ?? prices.server.monthly.value;
  const concurrency = (usage.requests * usage.durationMs) / (HOURS_PER_MONTH * 3.6e6);
  return {
    target: "server",
    variant: monthly === undefined ? "EC2 m7g.large" : "your server",
    plan: "always on",
    lines: [line("server", HOURS_PER_MONTH, "hours", cost)],
    total: cost,
    notes: [`${concurrency.toPrecision(2)} requests in flight on average: peaks need headroom above that`],
  };
}

/**
 * Every serverless estimate for one usage, in a stable order (the server is separate: see {@link serverEstimate}).
 *
 * @example
 * ```ts
 * estimateAll(PRICES, usage).map((e) => e.target) // ["lambda", "lambda", "lambda", "cloudflare", "vercel", ...]
 * ```
 */
export function estimateAll(prices: PriceTable, usage: Usage): Estimate[] {
  return [
    ...lambdaEstimates(prices, usage),
    workersEstimate(prices, usage),
    vercelEstimate(prices, usage),
    ...azureEstimates(prices, usage),
    gcpEstimate(prices, usage),
    netlifyEstimate(prices, usage),
  ];
}
