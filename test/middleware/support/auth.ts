import { Hono, type MiddlewareHandler } from "hono";
import {
  type CryptoKey,
  type JWK,
  type JWTPayload,
  SignJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
} from "jose";
import { beforeAll, expect } from "vitest";
import { type AuthVariables } from "../../../middleware/auth/index.js";

/** Shared by the auth middleware tests: signing keys, token minting and the 401/403 challenge checks. */

export const SECRET = "s3cr3t-that-is-at-least-32-bytes-long!";
export const ISSUER = "https://auth.test/";
export const AUDIENCE = "shop-api";

export type Alg = "HS256" | "RS256" | "ES256";
export type SigningKey = CryptoKey | Uint8Array;

export const sign = (key: SigningKey, alg: Alg, claims: JWTPayload = {}, header: { kid?: string } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    scope: "orders:read",
    sub: "user-1",
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
};

/** An app with the middleware under test in front of GET /, which echoes the principal. */
export const appWith = (...middleware: MiddlewareHandler<{ Variables: AuthVariables }>[]) => {
  const app = new Hono<{ Variables: AuthVariables }>();
  for (const mw of middleware) app.use(mw);
  app.get("/", (c) => c.json(c.var.principal));
  return app;
};
export const get = (app: Hono<{ Variables: AuthVariables }>, headers: Record<string, string> = {}) =>
  app.request("/", { headers });
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const base = { issuer: ISSUER, audience: AUDIENCE } as const;

export const expectRejected = async (res: Response, status: number, challenge: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("www-authenticate")).toBe(challenge);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { type: string; status: number; title: string; detail: string };
  expect(body).toMatchObject({ type: "about:blank", status });
  return body;
};
export const INVALID_TOKEN =
  'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired"';
export const expectInvalidToken = (res: Response) => expectRejected(res, 401, INVALID_TOKEN);

export let rsa: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string; jwk: JWK };
export let ec: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string };
export const hmac = new TextEncoder().encode(SECRET);

/** Generates the RSA and EC key pairs (rsa, ec) once per test file, before its tests. */
export function useKeyPairs(): void {
  beforeAll(async () => {
    const r = await generateKeyPair("RS256", { extractable: true });
    rsa = { ...r, pem: await exportSPKI(r.publicKey), jwk: await exportJWK(r.publicKey) };
    const e = await generateKeyPair("ES256", { extractable: true });
    ec = { ...e, pem: await exportSPKI(e.publicKey) };
  });
}
