/**
 * A stable, URL-safe slug of an expression, used where a platform identifies a cron by path or input (Vercel cron
 * paths, Lambda schedule inputs). Reversible with {@link cronFromSlug}.
 *
 * @example
 * ```ts
 * cronSlug("*\/5 9-17 * * MON-FRI") // "*%2F5_9-17_*_*_MON-FRI"
 * ```
 */
export function cronSlug(expression: string): string {
  return encodeURIComponent(expression.trim().split(/\s+/).join("_"));
}

/**
 * The expression a {@link cronSlug} came from.
 *
 * @example
 * ```ts
 * cronFromSlug("0_9_*_*_*") // "0 9 * * *"
 * ```
 */
export function cronFromSlug(slug: string): string {
  return decodeURIComponent(slug).split("_").join(" ");
}

/**
 * @internal Whitespace-insensitive key, so "0  9 * * *" and "0 9 * * *" find the same handlers.
 *
 * @example
 * ```ts
 * cronKey(" 0  9 * * * ") // "0 9 * * *"
 * ```
 */
export function cronKey(expression: string): string {
  return expression.trim().split(/\s+/).join(" ");
}

/**
 * @internal A short, stable hash of an expression's {@link cronKey} (FNV-1a, 32 bits, 8 hex digits): the suffix that
 * keeps platform names of crons (Azure function names, `Deno.cron` names) unique when their readable parts collide.
 *
 * @example
 * ```ts
 * cronHash(" 0  9 * * * ") === cronHash("0 9 * * *") // true
 * ```
 */
export function cronHash(expression: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(cronKey(expression))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
