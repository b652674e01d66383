/**
 * One published price or allowance, with where it was read. `confirmed: false` marks a figure that the source read
 * did not state in full (a truncated page, a different plan's table): it is the best figure known, and the table's
 * note says what to check.
 *
 * @example
 * ```ts
 * const figure: PriceFigure = { value: 0.2, unit: "USD per 1M requests", source: "https://aws.amazon.com/lambda/pricing/", confirmed: true };
 * ```
 */
export interface PriceFigure {
  value: number;
  unit: string;
  source: string;
  confirmed: boolean;
  note?: string;
}

/**
 * A volume-tiered price: `upTo` is the cumulative monthly quantity where the tier ends (`Infinity` for the last).
 *
 * @example
 * ```ts
 * const tiers: PriceTier[] = [{ upTo: 300e6, price: 1.0 / 1e6 }, { upTo: Infinity, price: 0.9 / 1e6 }];
 * ```
 */
export interface PriceTier {
  upTo: number;
  /** USD per unit (not per million). */
  price: number;
}

/**
 * What one month of an app's traffic looks like, as the cost model reads it.
 *
 * @example
 * ```ts
 * const usage: Usage = { requests: 1e6, durationMs: 200, cpuMs: 200, memoryMb: 256, freeTier: false, arch: "x86" };
 * ```
 */
export interface Usage {
  /** Requests (invocations) per month. */
  requests: number;
  /** Wall-clock time of one request, in ms: what Lambda, Azure and Cloud Run bill. */
  durationMs: number;
  /** CPU time of one request, in ms: what Workers and Vercel's Active CPU bill. At most `durationMs`. */
  cpuMs: number;
  /** Memory configured for the function, in MB. */
  memoryMb: number;
  /** Subtract each platform's free tier or monthly allowance of a free plan. */
  freeTier: boolean;
  /** Lambda architecture. */
  arch: "x86" | "arm";
}

/**
 * One billed quantity of an estimate: what, how much, at what price, and the cost after any allowance.
 *
 * @example
 * ```ts
 * const line: CostLine = { item: "requests", quantity: 1e6, unit: "requests", cost: 0.2 };
 * ```
 */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  cost: number;
}

/**
 * The monthly cost of one target for one {@link Usage}: its lines, total, and what the model assumed. `breakEven`
 * is filled by the command: the monthly requests at which this target costs as much as the always-on server.
 *
 * @example
 * ```ts
 * const e: Estimate = { target: "lambda", variant: "Function URL", plan: "pay per use", lines, total: 1.03, notes: [] };
 * ```
 */
export interface Estimate {
  target: string;
  variant: string;
  plan: string;
  lines: CostLine[];
  total: number;
  notes: string[];
  breakEvenRequests?: number | null;
}
