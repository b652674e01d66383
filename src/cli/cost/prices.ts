import { PRICES_2026_12_01, type PriceTable } from "./prices-2026-12-01.js";

/**
 * The price table `skiff cost` uses: the newest one. Its `date` is printed with every estimate.
 *
 * @example
 * ```ts
 * PRICES.date // "2026-12-01"
 * ```
 */
export const PRICES: PriceTable = PRICES_2026_12_01;

export type { PriceTable };
