import type { PriceFigure, PriceTier } from "./types.js";

// Every figure names the page it was read from. US regions (us-east-1, iad1, East US, Tier 1), USD, list prices
// without savings plans or committed-use discounts. `confirmed: false` says the page read did not state that figure
// for this plan in full; its note says what was read instead. Update by adding prices-<date>.ts and pointing
// `PRICES` in ./prices.ts at it: estimates then say which table they used.

const LAMBDA = "https://aws.amazon.com/lambda/pricing/";
const LAMBDA_WHITEPAPER = "https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html";
const APIGW = "https://aws.amazon.com/api-gateway/pricing/";
const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const WORKERS_LIMITS = "https://developers.cloudflare.com/workers/platform/limits/";
const VERCEL = "https://vercel.com/docs/functions/usage-and-pricing";
const AZURE = "https://azure.microsoft.com/en-us/pricing/details/functions/";
const CLOUD_RUN = "https://cloud.google.com/run/pricing";
const GCF_MEMORY = "https://cloud.google.com/functions/docs/configuring/memory";
const NETLIFY =
  "https://docs.netlify.com/manage/accounts-and-billing/billing/billing-for-credit-based-plans/how-credits-work";
const NETLIFY_ENT =
  "https://docs.netlify.com/manage/accounts-and-billing/billing/billing-for-credit-based-plans/how-credits-work-for-enterprise-plans";
const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";

const fig = (value: number, unit: string, source: string, note?: string): PriceFigure => ({
  value,
  unit,
  source,
  confirmed: note === undefined,
  ...(note === undefined ? {} : { note }),
});
const per = (perMillion: number) => perMillion / 1e6;

/**
 * The price table of 1 December 2026: every figure `skiff cost` uses, each with its source URL.
 *
 * @example
 * ```ts
 * PRICES_2026_12_01.lambda.requestPerMillion.value // 0.2
 * ```
 */
export const PRICES_2026_12_01 = {
  date: "2026-12-01",
  currency: "USD",
  lambda: {
    requestPerMillion: fig(0.2, "USD per 1M requests", LAMBDA_WHITEPAPER),
    gbSecondX86: [
      { upTo: 6e9, price: 0.0000166667 },
      { upTo: 15e9, price: 0.000015 },
      { upTo: Infinity, price: 0.0000133334 },
    ] satisfies PriceTier[],
    gbSecondArm: [
      { upTo: 7.5e9, price: 0.0000133334 },
      { upTo: 18.75e9, price: 0.0000120001 },
      { upTo: Infinity, price: 0.0000106667 },
    ] satisfies PriceTier[],
    gbSecondSource: fig(
      0.0000166667,
      "USD per GB-s (x86, first 6B GB-s)",
      LAMBDA,
      "x86 tiers and the first two Arm tiers read from secondary pages quoting the AWS page (its rates render client-side); the last Arm tier ($0.0000106667) is not confirmed",
    ),
    freeRequests: fig(1e6, "requests per month (always free)", LAMBDA_WHITEPAPER),
    freeGbSeconds: fig(400_000, "GB-s per month (always free)", LAMBDA_WHITEPAPER),
    billingGranularityMs: fig(1, "ms (duration rounded up)", LAMBDA_WHITEPAPER),
  },
  apiGateway: {
    http: [
      { upTo: 300e6, price: per(1.0) },
      { upTo: Infinity, price: per(0.9) },
    ] satisfies PriceTier[],
    rest: [
      { upTo: 333e6, price: per(3.5) },
      { upTo: 1e9, price: per(2.8) },
      { upTo: 20e9, price: per(2.38) },
      { upTo: Infinity, price: per(1.51) },
    ] satisfies PriceTier[],
    source: fig(3.5, "USD per 1M REST API calls (first 333M)", APIGW),
    freeRequests: fig(
      1e6,
      "calls per month",
      APIGW,
      "only for the first 12 months after sign-up, new AWS customers only: not counted by --free-tier",
    ),
    functionUrlPerMillion: fig(0, "USD: Function URLs add no charge beyond Lambda's", LAMBDA),
  },
  workers: {
    monthlyMinimum: fig(5, "USD per month (Workers Paid, Standard usage model)", WORKERS),
    includedRequests: fig(10e6, "requests per month", WORKERS),
    requestPerMillion: fig(0.3, "USD per additional 1M requests", WORKERS),
    includedCpuMs: fig(30e6, "CPU ms per month", WORKERS),
    cpuMsPerMillion: fig(0.02, "USD per additional 1M CPU ms", WORKERS),
    freeRequestsPerDay: fig(100_000, "requests per day (Workers Free)", WORKERS_LIMITS),
    freeCpuMsPerRequest: fig(10, "CPU ms per request (Workers Free)", WORKERS_LIMITS),
  },
  vercel: {
    proMonthly: fig(20, "USD per month per seat (Pro)", "https://vercel.com/pricing"),
    invocationPerMillion: fig(0.6, "USD per additional 1M invocations (Pro)", VERCEL),
    activeCpuHour: fig(0.128, "USD per Active CPU hour (iad1)", VERCEL),
    memoryGbHour: fig(0.0106, "USD per provisioned-memory GB-hour (iad1)", VERCEL),
    proIncluded: {
      cpuHours: fig(
        16,
        "Active CPU hours per month (Pro)",
        VERCEL,
        "an older version of the page; the current Pro plan may instead include a monthly usage credit: check vercel.com/pricing",
      ),
      memoryGbHours: fig(1440, "GB-hours per month (Pro)", VERCEL, "as above"),
      invocations: fig(1e6, "invocations per month (Pro)", VERCEL),
    },
    hobbyIncluded: {
      cpuHours: fig(4, "Active CPU hours per month (Hobby)", VERCEL),
      memoryGbHours: fig(360, "GB-hours per month (Hobby)", VERCEL),
      invocations: fig(1e6, "invocations per month (Hobby)", VERCEL),
    },
  },
  azure: {
    consumption: {
      gbSecond: fig(0.000016, "USD per GB-s (Consumption)", AZURE),
      executionPerMillion: fig(0.2, "USD per 1M executions (Consumption)", AZURE),
      freeGbSeconds: fig(400_000, "GB-s per month per subscription", AZURE),
      freeExecutions: fig(1e6, "executions per month per subscription", AZURE),
      memoryStepMb: fig(128, "MB: observed memory rounded up, max 1,536 MB", AZURE),
      minimumMs: fig(100, "ms minimum per execution", AZURE),
    },
    flex: {
      gbSecond: fig(0.000026, "USD per GB-s (Flex Consumption, on demand)", AZURE),
      executionPerMillion: fig(0.4, "USD per 1M executions (Flex Consumption, on demand)", AZURE),
      freeGbSeconds: fig(
        100_000,
        "GB-s per month (Flex Consumption, on demand)",
        AZURE,
        "the page read was truncated before the Flex free grant; 100,000 GB-s and 250,000 executions are the figures Microsoft published at the plan's GA",
      ),
      freeExecutions: fig(250_000, "executions per month (Flex Consumption)", AZURE, "as above"),
      instanceMemoryMb: fig(
        2048,
        "MB: instance sizes are 512, 2,048 or 4,096 MB; the size billed is the one chosen",
        AZURE,
      ),
    },
  },
  cloudRunFunctions: {
    vcpuSecond: fig(0.000024, "USD per vCPU-s (request-based billing, Tier 1)", CLOUD_RUN),
    gibSecond: fig(0.0000025, "USD per GiB-s (request-based billing, Tier 1)", CLOUD_RUN),
    requestPerMillion: fig(0.4, "USD per 1M requests", CLOUD_RUN),
    freeVcpuSeconds: fig(180_000, "vCPU-s per month", CLOUD_RUN),
    freeGibSeconds: fig(360_000, "GiB-s per month", CLOUD_RUN),
    freeRequests: fig(2e6, "requests per month", CLOUD_RUN),
    granularityMs: fig(100, "ms (billable time rounded up)", CLOUD_RUN),
    // Cloud Run functions' memory → vCPU defaults.
    vcpuByMemoryMb: [
      [128, 0.083],
      [256, 0.167],
      [512, 0.333],
      [1024, 0.583],
      [2048, 1],
      [4096, 2],
      [8192, 2],
      [16384, 4],
      [32768, 8],
    ] as ReadonlyArray<readonly [number, number]>,
    vcpuSource: fig(0.167, "vCPU at 256 MiB", GCF_MEMORY),
  },
  netlify: {
    proMonthly: fig(20, "USD per month per member (Pro)", "https://www.netlify.com/pricing/"),
    proCredits: fig(5000, "credits per month (Pro)", NETLIFY),
    freeCredits: fig(300, "credits per month (Free; a hard limit)", NETLIFY),
    creditUsd: fig(0.02, "USD per credit (Pro auto recharge: 1,000 credits for $20)", NETLIFY),
    computeCreditsPerGbHour: fig(
      5,
      "credits per GB-hour of function compute",
      NETLIFY_ENT,
      "read from the Enterprise credit table; the Free/Personal/Pro table was not in the page read",
    ),
    requestCreditsPer10k: fig(
      3,
      "credits per 10,000 web requests",
      NETLIFY,
      "not confirmed: the Enterprise table reads 2 credits per 10,000; 3 is the self-serve figure announced with credit-based plans (September 2025)",
    ),
    functionMemoryMb: fig(
      1024,
      "MB: Netlify Functions run with 1,024 MB",
      "https://docs.netlify.com/build/functions/overview/",
    ),
  },
  server: {
    monthly: fig(
      0.0816 * 730,
      "USD per month: EC2 m7g.large (2 vCPU, 8 GiB) on demand, Linux, us-east-1, $0.0816/h × 730 h",
      EC2,
      "hourly rate read from a secondary page quoting AWS (June 2026); no load balancer, disk or traffic included",
    ),
  },
};

/**
 * The shape every price table has, so that the next table is checked against this one.
 *
 * @example
 * ```ts
 * const table: PriceTable = PRICES_2026_12_01;
 * ```
 */
export type PriceTable = typeof PRICES_2026_12_01;
