import { readFileSync } from "node:fs";
import { CliError } from "../errors.js";

/**
 * What `--from-bench <file>` reads: the mean duration (and optionally CPU time and memory) of one request to the
 * user's own app. Means, not medians: a month's bill is the sum of every request's time, which is requests × mean.
 *
 * Two shapes are accepted:
 * - skiff's own: `{ "durationMs": 12.5, "cpuMs": 3.1, "memoryMb": 256 }`, or per route with the share of traffic
 *   each gets, `{ "routes": [{ "route": "GET /api/users", "share": 0.8, "durationMs": 9, "cpuMs": 2 }, ...] }`
 *   (shares are weights, normalised to 1);
 * - autocannon's `--json` output (`{ "latency": { "average": 12.5 } }`): its mean latency, seen by the client, is an
 *   upper bound of the function's duration.
 *
 * @example
 * ```ts
 * const measured: BenchMeasurement = { durationMs: 12.5, cpuMs: 3.1, source: "bench.json (skiff)" };
 * ```
 */
export interface BenchMeasurement {
  durationMs: number;
  cpuMs?: number;
  memoryMb?: number;
  source: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const positive = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value > 0;

/**
 * Reads a {@link BenchMeasurement} from parsed JSON; `name` is the file's name for messages.
 *
 * @example
 * ```ts
 * measurementOf({ latency: { average: 8 } }, "run.json").durationMs // 8
 * ```
 */
export function measurementOf(json: unknown, name: string): BenchMeasurement {
  const wrong = (why: string) =>
    new CliError(
      `--from-bench ${name}: ${why}. Expected {"durationMs": 12.5, "cpuMs"?: 3, "memoryMb"?: 256}, {"routes": [{"share", "durationMs", "cpuMs"?}]} or autocannon --json output`,
    );
  if (!isRecord(json)) throw wrong("not a JSON object");
  if (isRecord(json.latency) && positive(json.latency.average)) {
    return { durationMs: json.latency.average, source: `${name} (autocannon mean latency)` };
  }
  const memoryMb = positive(json.memoryMb) ? json.memoryMb : undefined;
  if (Array.isArray(json.routes)) {
    let weight = 0;
    let duration = 0;
    let cpu = 0;
    let allCpu = true;
    for (const [i, route] of json.routes.entries()) {
      if (!isRecord(route) || !positive(route.durationMs))
        throw wrong(`routes[${i}] has no positive durationMs`);
      const share = route.share === undefined ? 1 : route.share;
      if (!positive(share)) throw wrong(`routes[${i}].share must be a positive number`);
      weight += share;
      duration += share * route.durationMs;
      if (positive(route.cpuMs)) cpu += share * route.cpuMs;
      else allCpu = false;
    }
    if (weight === 0) throw wrong("routes is empty");
    return {
      durationMs: duration / weight,
      ...(allCpu ? { cpuMs: cpu / weight } : {}),
      ...(memoryMb ? { memoryMb } : {}),
      source: `${name} (${json.routes.length} routes, weighted by share)`,
    };
  }
  if (!positive(json.durationMs)) throw wrong("no positive durationMs");
  return {
    durationMs: json.durationMs,
    ...(positive(json.cpuMs) ? { cpuMs: json.cpuMs } : {}),
    ...(memoryMb ? { memoryMb } : {}),
    source: `${name} (skiff)`,
  };
}

/**
 * Reads and parses a bench file from disk.
 *
 * @example
 * ```ts
 * const measured = readBenchFile("bench/out/app.json");
 * ```
 */
export function readBenchFile(path: string): BenchMeasurement {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `--from-bench: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`--from-bench ${path}: not valid JSON`);
  }
  return measurementOf(json, path);
}
