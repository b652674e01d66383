import { defineCommand } from "citty";
import { readBenchFile } from "../cost/bench-file.js";
import { withBreakEven } from "../cost/break-even.js";
import { estimateAll, serverEstimate } from "../cost/model.js";
import { parseCount, parseDurationMs, parseMemoryMb } from "../cost/parse.js";
import { PRICES } from "../cost/prices.js";
import { printEstimates } from "../cost/render.js";
import type { Usage } from "../cost/types.js";
import { CliError } from "../errors.js";
import { guard } from "./shared.js";

/**
 * `skiff cost`: the monthly cost of a traffic profile on every target (Lambda behind a Function URL, HTTP API or
 * REST API; Workers; Vercel; Azure Consumption and Flex; Cloud Run functions; Netlify), beside an always-on server
 * and the traffic at which each costs as much as it. Free tiers are off unless `--free-tier`: they are shared by
 * every app of an account, so a bill for one more app rarely gets them.
 *
 * @example
 * ```sh
 * skiff cost --requests 1M --duration 200ms --memory 256
 * skiff cost --requests 50M --from-bench bench.json --free-tier --json
 * ```
 */
export const costCommand = defineCommand({
  meta: {
    name: "cost",
    description: "Estimate the monthly cost of the app on every target, and the break-even traffic",
  },
  args: {
    requests: {
      type: "string",
      valueHint: "count",
      description: "Requests a month: 1000000, 250k, 1M, 1B (required)",
    },
    duration: { type: "string", valueHint: "time", description: "Wall time of one request: 200ms or 0.2s" },
    cpu: {
      type: "string",
      valueHint: "time",
      description:
        "CPU time of one request, billed by Workers and Vercel (default: the duration, an upper bound)",
    },
    memory: {
      type: "string",
      valueHint: "MB",
      description: "Function memory: 256, 256MB, 1GB (default 1024)",
    },
    "from-bench": {
      type: "string",
      valueHint: "file",
      description:
        "Durations measured on your app: skiff's bench JSON or autocannon --json output (docs/cost.md)",
    },
    "free-tier": {
      type: "boolean",
      description: "Subtract free tiers and use free plans where the traffic fits",
    },
    arch: { type: "string", valueHint: "x86|arm", description: "Lambda architecture (default x86)" },
    server: {
      type: "string",
      valueHint: "USD",
      description: "Monthly price of the always-on server to compare with",
    },
    json: { type: "boolean", description: "Print one JSON document on stdout, nothing else" },
    quiet: { type: "boolean", alias: "q", description: "Print problems only" },
  },
  run: ({ args }) =>
    guard(args, async (out) => {
      const { usage, source } = usageOf(args);
      const serverMonthly = args.server === undefined ? undefined : Number(args.server);
      if (serverMonthly !== undefined && !(serverMonthly > 0))
        throw new CliError(`--server: "${args.server}" is not a monthly price in USD (write 40)`);
      const server = serverEstimate(PRICES, usage, serverMonthly);
      const estimates = withBreakEven(PRICES, usage, estimateAll(PRICES, usage), server.total);
      out.result({
        ok: true,
        prices: PRICES.date,
        currency: PRICES.currency,
        usage,
        source,
        estimates,
        server,
      });
      printEstimates(out, { usage, estimates, server, date: PRICES.date, source });
      return 0;
    }),
});

interface CostArgs {
  requests?: string;
  duration?: string;
  cpu?: string;
  memory?: string;
  "from-bench"?: string;
  "free-tier"?: boolean;
  arch?: string;
}

function usageOf(args: CostArgs): { usage: Usage; source: string } {
  if (args.requests === undefined) throw new CliError("--requests is required (requests a month: 1M, 250k)");
  const bench = args["from-bench"] === undefined ? undefined : readBenchFile(args["from-bench"]);
  if (bench && args.duration !== undefined)
    throw new CliError("--duration and --from-bench both give the duration: pass one");
  if (!bench && args.duration === undefined)
    throw new CliError(
      "--duration is required (200ms, 0.2s), or --from-bench <file> with measured durations",
    );
  const durationMs = bench ? bench.durationMs : parseDurationMs(args.duration ?? "", "--duration");
  const cpuMs = args.cpu !== undefined ? parseDurationMs(args.cpu, "--cpu") : (bench?.cpuMs ?? durationMs);
  if (cpuMs > durationMs)
    throw new CliError(`--cpu: ${cpuMs} ms of CPU cannot exceed the ${durationMs} ms duration`);
  const arch = args.arch ?? "x86";
  if (arch !== "x86" && arch !== "arm") throw new CliError(`--arch: "${arch}" must be x86 or arm`);
  const memoryMb =
    args.memory !== undefined ? parseMemoryMb(args.memory, "--memory") : (bench?.memoryMb ?? 1024);
  return {
    usage: {
      requests: parseCount(args.requests, "--requests"),
      durationMs,
      cpuMs,
      memoryMb,
      freeTier: args["free-tier"] === true,
      arch,
    },
    source: bench ? bench.source : "--duration",
  };
}
