import type { CostLine, PriceTier } from "./types.js";

/**
 * Hours in a billing month, as AWS and Azure count it (8,760 / 12).
 *
 * @example
 * ```ts
 * 0.0816 * HOURS_PER_MONTH // a server's monthly price from its hourly one
 * ```
 */
export const HOURS_PER_MONTH = 730;

/**
 * Days in a billing month, for daily allowances (Workers Free's 100,000 requests a day).
 *
 * @example
 * ```ts
 * requests / DAYS_PER_MONTH <= 100_000
 * ```
 */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * The cost of `quantity` units under volume tiers whose `upTo` bounds are cumulative.
 *
 * @example
 * ```ts
 * tieredCost(400e6, [{ upTo: 300e6, price: 1e-6 }, { upTo: Infinity, price: 0.9e-6 }]) // 390
 * ```
 */
export function tieredCost(quantity: number, tiers: readonly PriceTier[]): number {
  let cost = 0;
  let from = 0;
  for (const tier of tiers) {
    if (quantity <= from) break;
    cost += (Math.min(quantity, tier.upTo) - from) * tier.price;
    from = tier.upTo;
  }
  return cost;
}

/**
 * The quantity left to pay for once a free tier is subtracted (only when free tiers are on).
 *
 * @example
 * ```ts
 * billable(1.5e6, 1e6, true) // 500_000
 * ```
 */
export const billable = (quantity: number, free: number, freeTier: boolean) =>
  freeTier ? Math.max(0, quantity - free) : quantity;
/**
 * The quantity beyond a paid plan's included amount (always subtracted: the plan's fee pays for it).
 *
 * @example
 * ```ts
 * over(12e6, 10e6) // 2e6
 * ```
 */
export const over = (quantity: number, included: number) => Math.max(0, quantity - included);
/**
 * One {@link CostLine}.
 *
 * @example
 * ```ts
 * line("requests", 1e6, "requests", 0.2)
 * ```
 */
export const line = (item: string, quantity: number, unit: string, cost: number): CostLine => ({
  item,
  quantity,
  unit,
  cost,
});
/**
 * The sum of an estimate's lines.
 *
 * @example
 * ```ts
 * total([line("a", 1, "x", 0.2), line("b", 1, "x", 0.8)]) // 1
 * ```
 */
export const total = (lines: CostLine[]) => lines.reduce((sum, l) => sum + l.cost, 0);
