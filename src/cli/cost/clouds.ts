import { billable, line, total } from "./_lines.js";
import type { PriceTable } from "./prices-2026-12-01.js";
import type { Estimate, Usage } from "./types.js";

/**
 * Azure Functions: the Consumption plan (memory rounded up to 128 MB, at most 1,536 MB; at least 100 ms) and the
 * Flex Consumption plan on demand (the instance size billed while it executes).
 *
 * @example
 * ```ts
 * azureEstimates(PRICES, usage).map((e) => e.variant) // ["Consumption", "Flex Consumption"]
 * ```
 */
export function azureEstimates(prices: PriceTable, usage: Usage): Estimate[] {
  const c = prices.azure.consumption;
  const step = c.memoryStepMb.value;
  const memoryMb = Math.min(1536, Math.max(step, Math.ceil(usage.memoryMb / step) * step));
  const seconds = Math.max(c.minimumMs.value, Math.ceil(usage.durationMs)) / 1000;
  const gbs = usage.requests * seconds * (memoryMb / 1024);
  const consumption = [
    line(
      "executions",
      usage.requests,
      "executions",
      billable(usage.requests, c.freeExecutions.value, usage.freeTier) * (c.executionPerMillion.value / 1e6),
    ),
    line(
      `execution time (${memoryMb} MB)`,
      gbs,
      "GB-s",
      billable(gbs, c.freeGbSeconds.value, usage.freeTier) * c.gbSecond.value,
    ),
  ];
  const f = prices.azure.flex;
  const instanceMb = [512, 2048, 4096].find((size) => size >= usage.memoryMb) ?? 4096;
  const flexGbs = usage.requests * (Math.ceil(usage.durationMs) / 1000) * (instanceMb / 1024);
  const flex = [
    line(
      "executions",
      usage.requests,
      "executions",
      billable(usage.requests, f.freeExecutions.value, usage.freeTier) * (f.executionPerMillion.value / 1e6),
    ),
    line(
      `execution time (${instanceMb} MB instance)`,
      flexGbs,
      "GB-s",
      billable(flexGbs, f.freeGbSeconds.value, usage.freeTier) * f.gbSecond.value,
    ),
  ];
  const notes = usage.memoryMb > 1536 ? ["the Consumption plan caps memory at 1,536 MB"] : [];
  return [
    {
      target: "azure",
      variant: "Consumption",
      plan: "pay per use",
      lines: consumption,
      total: total(consumption),
      notes,
    },
    {
      target: "azure",
      variant: "Flex Consumption",
      plan: "on demand",
      lines: flex,
      total: total(flex),
      notes: ["one Flex instance runs several executions at once and bills its memory once: often lower"],
    },
  ];
}

/**
 * Cloud Run functions (Google Cloud Functions 2nd gen), request-based billing in a Tier 1 region: requests,
 * vCPU-seconds and GiB-seconds, each request's time rounded up to 100 ms, the vCPU that goes with the memory.
 *
 * @example
 * ```ts
 * gcpEstimate(PRICES, usage).lines.map((l) => l.item) // ["requests", "CPU (0.167 vCPU)", "memory"]
 * ```
 */
export function gcpEstimate(prices: PriceTable, usage: Usage): Estimate {
  const p = prices.cloudRunFunctions;
  const step = p.granularityMs.value;
  const seconds = (Math.ceil(usage.durationMs / step) * step) / 1000;
  const vcpu = p.vcpuByMemoryMb.find(([mb]) => mb >= usage.memoryMb)?.[1] ?? 8;
  const vcpuSeconds = usage.requests * seconds * vcpu;
  const gibSeconds = usage.requests * seconds * (usage.memoryMb / 1024);
  const lines = [
    line(
      "requests",
      usage.requests,
      "requests",
      billable(usage.requests, p.freeRequests.value, usage.freeTier) * (p.requestPerMillion.value / 1e6),
    ),
    line(
      `CPU (${vcpu} vCPU)`,
      vcpuSeconds,
      "vCPU-s",
      billable(vcpuSeconds, p.freeVcpuSeconds.value, usage.freeTier) * p.vcpuSecond.value,
    ),
    line(
      "memory",
      gibSeconds,
      "GiB-s",
      billable(gibSeconds, p.freeGibSeconds.value, usage.freeTier) * p.gibSecond.value,
    ),
  ];
  const notes = [
    "one request per instance at a time (the default below 1 vCPU): concurrency would share the cost",
  ];
  return {
    target: "gcp",
    variant: "Cloud Run functions",
    plan: "request-based",
    lines,
    total: total(lines),
    notes,
  };
}
