import { tieredCost, billable, line, total } from "./_lines.js";
import type { PriceTable } from "./prices-2026-12-01.js";
import type { CostLine, Estimate, Usage } from "./types.js";

/**
 * AWS Lambda with each HTTP front door: a Function URL (no extra charge), API Gateway HTTP API, REST API. Requests
 * plus GB-seconds, duration rounded up to the millisecond, memory in GB of 1,024 MB.
 *
 * @example
 * ```ts
 * lambdaEstimates(PRICES, { requests: 1e6, durationMs: 200, cpuMs: 200, memoryMb: 256, freeTier: false, arch: "x86" })[0]?.total // 1.033335
 * ```
 */
export function lambdaEstimates(prices: PriceTable, usage: Usage): Estimate[] {
  const p = prices.lambda;
  const gbSeconds = usage.requests * (Math.ceil(usage.durationMs) / 1000) * (usage.memoryMb / 1024);
  const requests = billable(usage.requests, p.freeRequests.value, usage.freeTier);
  const compute = billable(gbSeconds, p.freeGbSeconds.value, usage.freeTier);
  const tiers = usage.arch === "arm" ? p.gbSecondArm : p.gbSecondX86;
  const base = [
    line("requests", usage.requests, "requests", requests * (p.requestPerMillion.value / 1e6)),
    line(`compute (${usage.arch})`, gbSeconds, "GB-s", tieredCost(compute, tiers)),
  ];
  const fronts: Array<[string, CostLine | undefined]> = [
    ["Function URL", undefined],
    [
      "API Gateway HTTP API",
      line("HTTP API calls", usage.requests, "calls", tieredCost(usage.requests, prices.apiGateway.http)),
    ],
    [
      "API Gateway REST API",
      line("REST API calls", usage.requests, "calls", tieredCost(usage.requests, prices.apiGateway.rest)),
    ],
  ];
  return fronts.map(([variant, extra]) => {
    const lines = extra ? [...base, extra] : [...base];
    const notes = extra ? ["API Gateway's free tier lasts 12 months for new accounts: never subtracted"] : [];
    return { target: "lambda", variant, plan: "pay per use", lines, total: total(lines), notes };
  });
}
