import { problemResponse } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { VercelEnv } from "./types.js";

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * @internal Compares two strings in time that does not depend on where they differ. Both are hashed first, so
 * the comparison always runs over 32 bytes whatever their lengths (Web Crypto only: no `node:crypto` on the edge).
 *
 * @example
 * ```ts
 * await timingSafeEqualText(request.headers.get("authorization") ?? "", `Bearer ${secret}`)
 * ```
 */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([sha256(a), sha256(b)]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}

/**
 * @internal Whether `env` describes a production deployment (where a cron path must never be open). `NODE_ENV` is
 * `production` on preview deployments too, which is the safe side.
 *
 * @example
 * ```ts
 * isProduction({ VERCEL_ENV: "production" }) // true
 * ```
 */
export function isProduction(env: VercelEnv): boolean {
  return env.VERCEL_ENV === "production" || env.NODE_ENV === "production";
}

/**
 * @internal Checks a request to a skiff cron or drain path. Vercel sends `Authorization: Bearer $CRON_SECRET` with
 * every cron invocation when the project defines `CRON_SECRET`
 * (https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs). Without the variable the paths are
 * public URLs, so they are refused in production and allowed only in development. Returns the response to send,
 * or `undefined` when the request may proceed.
 *
 * @example
 * ```ts
 * const refused = await authorizeCron(request, env, log);
 * if (refused) return refused;
 * ```
 */
export async function authorizeCron(
  request: Request,
  env: VercelEnv,
  log: Logger,
): Promise<Response | undefined> {
  const secret = env.CRON_SECRET;
  if (!secret) {
    if (!isProduction(env)) return undefined;
    log.error("cron request refused: CRON_SECRET is not set in production");
    return problemResponse(500, {
      detail:
        "[skiff] CRON_SECRET is not set: skiff refuses to run cron and queue paths in production without it. Set CRON_SECRET (16+ random characters) in the project's environment variables and redeploy.",
    });
  }
  const given = request.headers.get("authorization") ?? "";
  if (await timingSafeEqualText(given, `Bearer ${secret}`)) return undefined;
  return problemResponse(
    401,
    { detail: "Missing or wrong Authorization: Bearer <CRON_SECRET>" },
    { "www-authenticate": "Bearer" },
  );
}

/**
 * @internal The 405 to send when a skiff path is called with another method than `allow` (comma-separated), else
 * `undefined`.
 *
 * @example
 * ```ts
 * const refused = allowOnly(request, "GET, POST") ?? (await authorizeCron(request, env, log));
 * ```
 */
export function allowOnly(request: Request, allow: string): Response | undefined {
  if (allow.split(", ").includes(request.method)) return undefined;
  return problemResponse(405, { detail: `Use ${allow}` }, { allow });
}
