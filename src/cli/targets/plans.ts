import { CliError } from "../errors.js";

/**
 * The plans whose size limits skiff knows, per target; the first is the default.
 *
 * @example
 * ```ts
 * PLANS.vercel // ["hobby", "pro", "enterprise"]
 * ```
 */
export const PLANS = {
  cloudflare: ["free", "paid"],
  vercel: ["hobby", "pro", "enterprise"],
} as const;

/**
 * The plan of one target from a `--plan` value, which may list one plan per target (`paid,pro`): the first item
 * the target knows, else its default.
 *
 * @example
 * ```ts
 * pickPlan("paid,pro", PLANS.vercel) // "pro"
 * pickPlan(undefined, PLANS.cloudflare) // "free"
 * ```
 */
export function pickPlan<P extends string>(plan: string | undefined, known: readonly P[]): P {
  const items = (plan ?? "").split(",").map((p) => p.trim().toLowerCase());
  return (items.find((p): p is P => (known as readonly string[]).includes(p)) ?? known[0]) as P;
}

/**
 * Throws a {@link CliError} when a `--plan` item is a plan of no target.
 *
 * @example
 * ```ts
 * validatePlans("paid,pro"); // ok
 * validatePlans("gold");     // throws
 * ```
 */
export function validatePlans(plan: string | undefined): void {
  const all: readonly string[] = [...PLANS.cloudflare, ...PLANS.vercel];
  for (const item of (plan ?? "")
    .split(",")
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)) {
    if (!all.includes(item))
      throw new CliError(
        `--plan ${item} is not a plan (cloudflare: ${PLANS.cloudflare.join(", ")}; vercel: ${PLANS.vercel.join(", ")})`,
      );
  }
}
