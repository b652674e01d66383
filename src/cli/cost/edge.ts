import { over, line, total, DAYS_PER_MONTH } from "./_lines.js";
import type { PriceTable } from "./prices-2026-12-01.js";
import type { Estimate, Usage } from "./types.js";

/**
 * Cloudflare Workers, Standard usage model: requests and CPU time (not wall time) beyond the Paid plan's monthly
 * allowance, at least $5. With `freeTier`, Workers Free when the traffic fits its daily requests and per-request CPU.
 *
 * @example
 * ```ts
 * workersEstimate(PRICES, { ...usage, requests: 20e6, cpuMs: 5 }).total // 5 + 3 + 1.4 = 9.4
 * ```
 */
export function workersEstimate(prices: PriceTable, usage: Usage): Estimate {
  const p = prices.workers;
  const cpuMs = usage.requests * usage.cpuMs;
  const notes = ["Workers bill CPU time, not time spent waiting on I/O: pass --cpu for a realistic figure"];
  const fitsFree =
    usage.requests / DAYS_PER_MONTH <= p.freeRequestsPerDay.value &&
    usage.cpuMs <= p.freeCpuMsPerRequest.value;
  if (usage.freeTier && fitsFree) {
    return {
      target: "cloudflare",
      variant: "Workers",
      plan: "Workers Free",
      lines: [line("requests", usage.requests, "requests", 0), line("CPU time", cpuMs, "CPU ms", 0)],
      total: 0,
      notes: [
        ...notes,
        "Workers Free refuses requests beyond 100,000 a day: traffic must be even across the month",
      ],
    };
  }
  const lines = [
    line("Workers Paid plan", 1, "month", p.monthlyMinimum.value),
    line(
      "requests",
      usage.requests,
      "requests",
      over(usage.requests, p.includedRequests.value) * (p.requestPerMillion.value / 1e6),
    ),
    line("CPU time", cpuMs, "CPU ms", over(cpuMs, p.includedCpuMs.value) * (p.cpuMsPerMillion.value / 1e6)),
  ];
  return {
    target: "cloudflare",
    variant: "Workers",
    plan: "Workers Paid (Standard)",
    lines,
    total: total(lines),
    notes,
  };
}

/**
 * Vercel Functions on Fluid compute (iad1 prices): invocations, Active CPU and provisioned memory beyond the plan's
 * allowance, on Pro ($20 a seat). Memory is billed for the whole wall time of each request, with no in-function
 * concurrency (the conservative case). With `freeTier`, Hobby when the month fits its allowance.
 *
 * @example
 * ```ts
 * vercelEstimate(PRICES, usage).plan // "Pro"
 * ```
 */
export function vercelEstimate(prices: PriceTable, usage: Usage): Estimate {
  const p = prices.vercel;
  const cpuHours = (usage.requests * usage.cpuMs) / 3.6e6;
  const gbHours = ((usage.requests * usage.durationMs) / 3.6e6) * (usage.memoryMb / 1024);
  const notes = [
    "Fluid compute shares an instance between concurrent requests, so provisioned memory is often lower",
  ];
  const hobby = p.hobbyIncluded;
  if (
    usage.freeTier &&
    usage.requests <= hobby.invocations.value &&
    cpuHours <= hobby.cpuHours.value &&
    gbHours <= hobby.memoryGbHours.value
  ) {
    const lines = [
      line("invocations", usage.requests, "invocations", 0),
      line("Active CPU", cpuHours, "CPU-hours", 0),
      line("provisioned memory", gbHours, "GB-hours", 0),
    ];
    return {
      target: "vercel",
      variant: "Functions",
      plan: "Hobby",
      lines,
      total: 0,
      notes: [...notes, "Hobby is for non-commercial use"],
    };
  }
  const inc = p.proIncluded;
  const lines = [
    line("Pro plan", 1, "seat-month", p.proMonthly.value),
    line(
      "invocations",
      usage.requests,
      "invocations",
      over(usage.requests, inc.invocations.value) * (p.invocationPerMillion.value / 1e6),
    ),
    line("Active CPU", cpuHours, "CPU-hours", over(cpuHours, inc.cpuHours.value) * p.activeCpuHour.value),
    line(
      "provisioned memory",
      gbHours,
      "GB-hours",
      over(gbHours, inc.memoryGbHours.value) * p.memoryGbHour.value,
    ),
  ];
  return { target: "vercel", variant: "Functions", plan: "Pro", lines, total: total(lines), notes };
}

/**
 * Netlify Functions on a credit-based plan: compute (GB-hours at the functions' 1,024 MB) and web requests, in
 * credits beyond the Pro plan's monthly allotment. With `freeTier`, the Free plan when the credits fit.
 *
 * @example
 * ```ts
 * netlifyEstimate(PRICES, usage).plan // "Pro"
 * ```
 */
export function netlifyEstimate(prices: PriceTable, usage: Usage): Estimate {
  const p = prices.netlify;
  const gbHours = ((usage.requests * usage.durationMs) / 3.6e6) * (p.functionMemoryMb.value / 1024);
  const computeCredits = gbHours * p.computeCreditsPerGbHour.value;
  const requestCredits = (usage.requests / 10_000) * p.requestCreditsPer10k.value;
  const credits = computeCredits + requestCredits;
  const notes = [`Netlify Functions run with ${p.functionMemoryMb.value} MB whatever --memory says`];
  if (usage.freeTier && credits <= p.freeCredits.value) {
    const lines = [
      line("compute", gbHours, "GB-hours", 0),
      line("web requests", usage.requests, "requests", 0),
    ];
    return { target: "netlify", variant: "Functions", plan: "Free", lines, total: 0, notes };
  }
  const usd = p.creditUsd.value;
  const included = p.proCredits.value;
  // The plan's credits pay for compute first, then requests: the order does not change the total.
  const computeOver = over(computeCredits, included);
  const requestOver = over(requestCredits, Math.max(0, included - computeCredits));
  const lines = [
    line("Pro plan", 1, "member-month", p.proMonthly.value),
    line("compute", gbHours, "GB-hours", computeOver * usd),
    line("web requests", usage.requests, "requests", requestOver * usd),
  ];
  return { target: "netlify", variant: "Functions", plan: "Pro", lines, total: total(lines), notes };
}
