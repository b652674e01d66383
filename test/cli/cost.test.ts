import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { measurementOf } from "../../src/cli/cost/bench-file.js";
import { breakEvenRequests } from "../../src/cli/cost/break-even.js";
import {
  azureEstimates,
  estimateAll,
  gcpEstimate,
  lambdaEstimates,
  netlifyEstimate,
  serverEstimate,
  tieredCost,
  vercelEstimate,
  workersEstimate,
} from "../../src/cli/cost/model.js";
import { parseCount, parseDurationMs, parseMemoryMb } from "../../src/cli/cost/parse.js";
import { PRICES } from "../../src/cli/cost/prices.js";
import type { Usage } from "../../src/cli/cost/types.js";
import { skiff } from "./support/run-skiff.js";

const SEED: Usage = {
  requests: 1e6,
  durationMs: 200,
  cpuMs: 200,
  memoryMb: 256,
  freeTier: false,
  arch: "x86",
};
const cents = (n: number) => Math.round(n * 100) / 100;

describe("the cost model", () => {
  it("reproduces the seed's worked example: 1M requests of 200 ms at 256 MB on Lambda cost $1.03 a month", () => {
    const [url] = lambdaEstimates(PRICES, SEED);
    expect(url?.variant).toBe("Function URL");
    const [requests, compute] = url?.lines ?? [];
    expect(requests?.cost).toBeCloseTo(0.2, 10);
    expect(compute?.quantity).toBe(50_000); // GB-s
    expect(compute?.cost).toBeCloseTo(50_000 * 0.0000166667, 10); // $0.83
    expect(cents(url?.total ?? 0)).toBe(1.03);
  });

  it("adds the front door: HTTP API $1.00 and REST API $3.50 per million calls; the free tier removes Lambda's part", () => {
    const [, http, rest] = lambdaEstimates(PRICES, SEED);
    expect(cents(http?.total ?? 0)).toBe(2.03);
    expect(cents(rest?.total ?? 0)).toBe(4.53);
    const [free] = lambdaEstimates(PRICES, { ...SEED, freeTier: true });
    expect(free?.total).toBe(0); // 1M requests and 50,000 GB-s are inside 1M and 400,000 GB-s
    const [, , restFree] = lambdaEstimates(PRICES, { ...SEED, freeTier: true });
    expect(restFree?.total).toBeCloseTo(3.5, 10); // API Gateway's 12-month tier is never subtracted
  });

  it("rounds Lambda durations up to the millisecond and prices Arm and volume tiers", () => {
    const [odd] = lambdaEstimates(PRICES, { ...SEED, durationMs: 199.2 });
    expect(odd?.lines[1]?.quantity).toBe(50_000);
    const [arm] = lambdaEstimates(PRICES, { ...SEED, arch: "arm" });
    expect(arm?.lines[1]?.cost).toBeCloseTo(50_000 * 0.0000133334, 10);
    expect(tieredCost(7e9, PRICES.lambda.gbSecondX86)).toBeCloseTo(6e9 * 0.0000166667 + 1e9 * 0.000015, 3);
    expect(tieredCost(400e6, PRICES.apiGateway.http)).toBeCloseTo(300 + 90, 6);
  });

  it("bills Workers on CPU time beyond the Paid plan's allowance, and Workers Free only where it fits", () => {
    const paid = workersEstimate(PRICES, { ...SEED, requests: 20e6, cpuMs: 5 });
    // $5 + 10M extra requests × $0.30/M + (100M − 30M) CPU ms × $0.02/M
    expect(paid.total).toBeCloseTo(5 + 3 + 1.4, 10);
    expect(workersEstimate(PRICES, { ...SEED, cpuMs: 5, freeTier: true }).plan).toBe("Workers Free");
    // 10 ms of CPU a request fits Workers Free; 11 ms does not.
    expect(workersEstimate(PRICES, { ...SEED, cpuMs: 11, freeTier: true }).plan).toBe(
      "Workers Paid (Standard)",
    );
    expect(workersEstimate(PRICES, { ...SEED, requests: 4e6, cpuMs: 5, freeTier: true }).total).toBe(5);
  });

  it("prices Vercel, Azure, Cloud Run functions and Netlify from their own meters", () => {
    const vercel = vercelEstimate(PRICES, { ...SEED, requests: 10e6, memoryMb: 1024, cpuMs: 50 });
    // 9M extra invocations × $0.60/M; 138.9 CPU-hours − 16 × $0.128; 555.6 GB-hours inside 1,440.
    expect(vercel.total).toBeCloseTo(20 + 5.4 + ((10e6 * 50) / 3.6e6) * 0.128 - 16 * 0.128, 6);
    const [consumption, flex] = azureEstimates(PRICES, { ...SEED, memoryMb: 200, durationMs: 40 });
    // 200 MB is billed as 256 MB, 40 ms as the 100 ms minimum.
    expect(consumption?.lines[1]?.quantity).toBeCloseTo(1e6 * 0.1 * 0.25, 6);
    expect(flex?.lines[1]?.unit).toBe("GB-s");
    expect(flex?.lines[1]?.quantity).toBeCloseTo(1e6 * 0.04 * 0.5, 6); // the 512 MB instance
    const gcp = gcpEstimate(PRICES, { ...SEED, durationMs: 120 });
    // 120 ms is billed as 200 ms; 256 MiB comes with 0.167 vCPU.
    expect(gcp.lines[1]?.quantity).toBeCloseTo(1e6 * 0.2 * 0.167, 6);
    expect(gcp.total).toBeCloseTo(0.4 + 1e6 * 0.2 * 0.167 * 0.000024 + 1e6 * 0.2 * 0.25 * 0.0000025, 6);
    const netlify = netlifyEstimate(PRICES, { ...SEED, requests: 50e6 });
    // 2,777.8 GB-hours × 5 credits + 5,000 × 3 credits, less 5,000 included, at $0.02 a credit.
    const credits = ((50e6 * 200) / 3.6e6) * 5 + 5000 * 3;
    expect(netlify.total).toBeCloseTo(20 + (credits - 5000) * 0.02, 6);
  });

  it("finds the traffic where each target costs as much as the always-on server", () => {
    const server = serverEstimate(PRICES, SEED).total;
    expect(server).toBeCloseTo(0.0816 * 730, 10);
    const lambda = breakEvenRequests(PRICES, SEED, "lambda", "Function URL", server);
    // Lambda costs $1.033335 per million requests here: linear, so the break-even is server / that.
    expect(lambda).toBeCloseTo((server / 1.033335) * 1e6, -2);
    // A plan fee above the server's price never breaks even.
    expect(breakEvenRequests(PRICES, SEED, "vercel", "Functions", 10)).toBe(0);
    expect(estimateAll(PRICES, SEED).map((e) => `${e.target} ${e.variant}`)).toEqual([
      "lambda Function URL",
      "lambda API Gateway HTTP API",
      "lambda API Gateway REST API",
      "cloudflare Workers",
      "vercel Functions",
      "azure Consumption",
      "azure Flex Consumption",
      "gcp Cloud Run functions",
      "netlify Functions",
    ]);
  });

  it("carries a dated price table whose every figure names its source", () => {
    expect(PRICES.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const figures: Array<{ source: string; confirmed: boolean; note?: string }> = [];
    const walk = (value: unknown) => {
      if (typeof value !== "object" || value === null) return;
      if ("source" in value && "confirmed" in value) figures.push(value as (typeof figures)[number]);
      else for (const v of Object.values(value)) walk(v);
    };
    walk(PRICES);
    expect(figures.length).toBeGreaterThan(30);
    for (const f of figures) {
      expect(f.source).toMatch(/^https:\/\//);
      if (!f.confirmed) expect(f.note).toBeTruthy();
    }
  });
});

describe("the cost command's inputs", () => {
  it("reads counts, durations and memory sizes as people write them", () => {
    expect(parseCount("1M", "--requests")).toBe(1e6);
    expect(parseCount("2.5m", "--requests")).toBe(2.5e6);
    expect(parseCount("250k", "--requests")).toBe(250_000);
    expect(parseCount("1_000_000", "--requests")).toBe(1e6);
    expect(parseCount("1e6", "--requests")).toBe(1e6);
    expect(() => parseCount("lots", "--requests")).toThrow(/--requests: "lots" is not a count/);
    expect(parseDurationMs("200ms", "--duration")).toBe(200);
    expect(parseDurationMs("0.2s", "--duration")).toBe(200);
    expect(parseDurationMs("35", "--duration")).toBe(35);
    expect(() => parseDurationMs("2min", "--duration")).toThrow(/not a duration/);
    expect(parseMemoryMb("256", "--memory")).toBe(256);
    expect(parseMemoryMb("1GB", "--memory")).toBe(1024);
    expect(() => parseMemoryMb("16", "--memory")).toThrow(/outside 64 MB/);
  });

  it("reads measured durations from skiff's bench format (per route, weighted) and autocannon's JSON", () => {
    expect(measurementOf({ durationMs: 12, cpuMs: 3, memoryMb: 512 }, "a.json")).toMatchObject({
      durationMs: 12,
      cpuMs: 3,
      memoryMb: 512,
    });
    const routes = measurementOf(
      {
        routes: [
          { route: "GET /api/users", share: 3, durationMs: 10, cpuMs: 2 },
          { route: "POST /api/orders", share: 1, durationMs: 30, cpuMs: 6 },
        ],
      },
      "b.json",
    );
    expect(routes.durationMs).toBe(15);
    expect(routes.cpuMs).toBe(3);
    expect(measurementOf({ latency: { average: 8.5, p50: 7 } }, "c.json").durationMs).toBe(8.5);
    expect(() => measurementOf({ routes: [{ share: 1 }] }, "d.json")).toThrow(
      /routes\[0\] has no positive durationMs/,
    );
  });
});

describe("skiff cost", () => {
  const dir = mkdtempSync(join(tmpdir(), "skiff-cost-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints every target for people and the same estimates as JSON, from flags or a bench file", async () => {
    const bench = join(dir, "bench.json");
    writeFileSync(bench, JSON.stringify({ durationMs: 200, memoryMb: 256 }));
    const [table, json, fromBench, bad] = await Promise.all([
      skiff(["cost", "--requests", "1M", "--duration", "200ms", "--memory", "256"]),
      skiff(["cost", "--requests", "1M", "--duration", "0.2s", "--memory", "256", "--json"]),
      skiff(["cost", "--requests", "1M", "--from-bench", bench, "--json"]),
      skiff(["cost", "--requests", "1M"]),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ {2}lambda +Function URL · pay per use +\$1\.03 +\d+(\.\d+)?M requests$/m);
    for (const target of ["cloudflare", "vercel", "azure", "gcp", "netlify", "server"])
      expect(table.stdout).toContain(`  ${target}`);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      prices: string;
      estimates: Array<{ total: number; breakEvenRequests: number }>;
    };
    expect(doc.prices).toBe(PRICES.date);
    expect(cents(doc.estimates[0]?.total ?? 0)).toBe(1.03);
    expect(doc.estimates[0]?.breakEvenRequests).toBeGreaterThan(1e6);
    expect(JSON.parse(fromBench.stdout)).toMatchObject({
      source: `${bench} (skiff)`,
      estimates: doc.estimates,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("[skiff] --duration is required");
  }, 30_000);
});
