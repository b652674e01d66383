/**
 * Window arithmetic shared by every backend, so the libSQL statement, the KV counter and the headers agree.
 * Windows are aligned to the epoch (`index = floor(now / window)`), which lets any isolate compute the same window
 * without coordination.
 *
 * The sliding window is the two-counter approximation Cloudflare describes (blog.cloudflare.com/counting-things-a-
 * lot-of-different-things): the previous window's count weighted by how much of it still overlaps the last
 * `windowSeconds`, plus the current window's count. It needs two integers per key, not one timestamp per request.
 */

/**
 * `"fixed"` resets at each window boundary (a client can send twice the limit across one); `"sliding"` weighs in the
 * previous window by how much of it still overlaps, which smooths the boundary.
 *
 * @example
 * ```ts
 * const algorithm: RateLimitAlgorithm = "sliding";
 * app.use(rateLimit({ limit: 100, windowSeconds: 60, algorithm }));
 * ```
 */
export type RateLimitAlgorithm = "fixed" | "sliding";

/** @internal Where `now` falls: the window's index, how far into it, and the weight of the previous window. */
export interface WindowPosition {
  index: number;
  elapsedMs: number;
  weight: number;
}

/** @internal */
export function windowPosition(now: number, windowMs: number, algorithm: RateLimitAlgorithm): WindowPosition {
  const index = Math.floor(now / windowMs);
  const elapsedMs = now - index * windowMs;
  return { index, elapsedMs, weight: algorithm === "sliding" ? (windowMs - elapsedMs) / windowMs : 0 };
}

/**
 * @internal Requests counted against the limit: `floor(previous × weight) + current`. The libSQL statement computes
 * the same expression (`CAST(prev * weight AS INTEGER)`, truncation equals floor for non-negative numbers).
 */
export function estimate(previous: number, current: number, weight: number): number {
  return Math.floor(previous * weight) + current;
}

/**
 * @internal Milliseconds until a request would be admitted, given the counts after this one. Fixed: the end of the
 * window. Sliding: while the current window alone is under the limit, the moment the previous window's decaying
 * share drops enough; otherwise into the next window, once the current count (then previous) has decayed below the
 * limit.
 */
export function retryAfterMs(
  previous: number,
  current: number,
  limit: number,
  pos: WindowPosition,
  windowMs: number,
  algorithm: RateLimitAlgorithm,
): number {
  const toEnd = windowMs - pos.elapsedMs;
  if (algorithm === "fixed") return toEnd;
  const room = limit - 1 - current; // what floor(previous × weight) may be for one more request
  if (room >= 0) {
    if (previous <= 0) return 0;
    // floor(previous × w) ≤ room ⇔ w < (room + 1) / previous, and w falls linearly from 1 to 0 across the window.
    // Strictly less: the first whole millisecond after the crossing point.
    return Math.max(0, Math.floor(windowMs * (1 - (room + 1) / previous)) + 1 - pos.elapsedMs);
  }
  // Next window: the current count becomes the previous one; floor(current × w) ≤ limit − 1 ⇔ w < limit / current.
  return toEnd + Math.floor(windowMs * (1 - limit / current)) + 1;
}

/** @internal Whole seconds for `Retry-After`/`RateLimit-Reset`, rounded up so that waiting that long is enough. */
export function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
