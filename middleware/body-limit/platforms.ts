/**
 * The largest request body each platform delivers to a function, in bytes, and so the default of
 * {@link bodyLimit}: rejecting at the same size locally (`skiff dev` on Node) as in production means a too-large
 * upload fails in development, not after deploy. Where a vendor writes "MB" without saying which, the smaller
 * (decimal) reading is used so that whatever passes locally also passes in production.
 * - `lambda`: the synchronous invoke payload is 6 MiB (6,291,456 bytes) for the whole event. API Gateway and
 *   function URLs base64-encode binary bodies (4 bytes per 3), and the event's headers and request context take
 *   their share, so 64 KiB is set aside for the envelope and the rest scaled by 3/4: 4,669,440 bytes, the largest
 *   body that fits whether or not it arrives base64-encoded.
 * - `lambda-alb`: an ALB forwards at most 1 MB of body to a Lambda target.
 * - `vercel`: Vercel Functions accept 4.5 MB request bodies.
 * - `cloudflare`: Workers accept 100 MB on the Free and Pro plans (Business 200 MB, Enterprise 500 MB: pass
 *   `maxBytes`).
 * - `node`: no platform limit; 1 MiB is skiff's own default, as body parsers commonly choose.
 *
 * @example
 * ```ts
 * app.use(bodyLimit({ maxBytes: PLATFORM_BODY_LIMITS.vercel })); // same as bodyLimit({ platform: "vercel" })
 * ```
 */
export const PLATFORM_BODY_LIMITS = Object.freeze({
  lambda: Math.floor(((6_291_456 - 65_536) * 3) / 4),
  "lambda-alb": 1_000_000,
  vercel: 4_500_000,
  cloudflare: 100_000_000,
  node: 1_048_576,
} as const);

/**
 * A platform with a known request-body limit, a key of {@link PLATFORM_BODY_LIMITS}.
 *
 * @example
 * ```ts
 * const platform: BodyLimitPlatform = "cloudflare";
 * ```
 */
export type BodyLimitPlatform = keyof typeof PLATFORM_BODY_LIMITS;
