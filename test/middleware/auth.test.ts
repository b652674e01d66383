import { createHash } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono, type MiddlewareHandler } from "hono";
import {
  type CryptoKey,
  type JWK,
  type JWTPayload,
  SignJWT,
  base64url,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
} from "jose";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  type AuthVariables,
  type JwtAuthOptions,
  type Principal,
  apiKeyAuth,
  hashApiKey,
  jwtAuth,
  requireScopes,
} from "../../middleware/auth/index.js";

const SECRET = "s3cr3t-that-is-at-least-32-bytes-long!";
const ISSUER = "https://auth.test/";
const AUDIENCE = "shop-api";

type Alg = "HS256" | "RS256" | "ES256";
type SigningKey = CryptoKey | Uint8Array;

const sign = (key: SigningKey, alg: Alg, claims: JWTPayload = {}, header: { kid?: string } = {}) => {
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
const appWith = (...middleware: MiddlewareHandler<{ Variables: AuthVariables }>[]) => {
  const app = new Hono<{ Variables: AuthVariables }>();
  for (const mw of middleware) app.use(mw);
  app.get("/", (c) => c.json(c.var.principal));
  return app;
};
const get = (app: Hono<{ Variables: AuthVariables }>, headers: Record<string, string> = {}) =>
  app.request("/", { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const base = { issuer: ISSUER, audience: AUDIENCE } as const;

const expectRejected = async (res: Response, status: number, challenge: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("www-authenticate")).toBe(challenge);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as { type: string; status: number; title: string; detail: string };
  expect(body).toMatchObject({ type: "about:blank", status });
  return body;
};
const INVALID_TOKEN =
  'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired"';
const expectInvalidToken = (res: Response) => expectRejected(res, 401, INVALID_TOKEN);

let rsa: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string; jwk: JWK };
let ec: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string };
const hmac = new TextEncoder().encode(SECRET);

beforeAll(async () => {
  const r = await generateKeyPair("RS256", { extractable: true });
  rsa = { ...r, pem: await exportSPKI(r.publicKey), jwk: await exportJWK(r.publicKey) };
  const e = await generateKeyPair("ES256", { extractable: true });
  ec = { ...e, pem: await exportSPKI(e.publicKey) };
});

describe("jwtAuth: valid tokens", () => {
  it("types c.var.principal for apps that use it", () => {
    new Hono().use(jwtAuth({ secret: SECRET, algorithms: ["HS256"] })).get("/", (c) => {
      expectTypeOf(c.var.principal).toEqualTypeOf<Principal>();
      if (c.var.principal.type === "jwt") expectTypeOf(c.var.principal.claims).toEqualTypeOf<JWTPayload>();
      return c.text(c.var.principal.subject);
    });
  });

  it("accepts an HS256 token and sets a typed principal", async () => {
    const app = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], ...base }));
    const res = await get(app, bearer(await sign(hmac, "HS256", { scp: ["orders:write"] })));
    expect(res.status).toBe(200);
    const principal = (await res.json()) as Principal & { claims: JWTPayload };
    expect(principal).toMatchObject({
      type: "jwt",
      subject: "user-1",
      claims: { iss: ISSUER, aud: AUDIENCE },
    });
    expect([...principal.scopes].sort()).toEqual(["orders:read", "orders:write"]);
  });

  it("accepts RS256 with the public key as PEM SPKI, JWK or CryptoKey", async () => {
    const token = await sign(rsa.privateKey, "RS256");
    for (const publicKey of [rsa.pem, rsa.jwk, rsa.publicKey]) {
      const res = await get(appWith(jwtAuth({ publicKey, algorithms: ["RS256"], ...base })), bearer(token));
      expect(res.status).toBe(200);
    }
  });

  it("accepts ES256 with a PEM public key", async () => {
    const app = appWith(jwtAuth({ publicKey: ec.pem, algorithms: ["ES256"], ...base }));
    expect((await get(app, bearer(await sign(ec.privateKey, "ES256")))).status).toBe(200);
  });

  it("accepts the Bearer scheme in any case and one of several issuers/audiences", async () => {
    const app = appWith(
      jwtAuth({
        secret: SECRET,
        algorithms: ["HS256"],
        issuer: ["https://other/", ISSUER],
        audience: ["x", AUDIENCE],
      }),
    );
    const res = await get(app, { authorization: `bearer ${await sign(hmac, "HS256")}` });
    expect(res.status).toBe(200);
  });
});

describe("jwtAuth: rejected tokens (401 invalid_token, one description whatever the reason)", () => {
  const hsApp = () => appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], ...base }));

  it("rejects alg: none", async () => {
    const enc = (v: object) => base64url.encode(JSON.stringify(v));
    const payload = { sub: "admin", iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 };
    const unsigned = `${enc({ alg: "none", typ: "JWT" })}.${enc(payload)}.`;
    await expectInvalidToken(await get(hsApp(), bearer(unsigned)));
    const rsApp = appWith(jwtAuth({ publicKey: rsa.pem, algorithms: ["RS256"], ...base }));
    await expectInvalidToken(await get(rsApp, bearer(unsigned)));
  });

  it("rejects an HS256 token signed with the RSA public key as its secret (algorithm confusion)", async () => {
    const forged = await sign(new TextEncoder().encode(rsa.pem), "HS256", { sub: "admin" });
    for (const publicKey of [rsa.pem, rsa.jwk, rsa.publicKey]) {
      await expectInvalidToken(
        await get(appWith(jwtAuth({ publicKey, algorithms: ["RS256"], ...base })), bearer(forged)),
      );
    }
  });

  it("rejects a token signed with another key, or with a tampered payload", async () => {
    const other = await generateKeyPair("RS256");
    const app = appWith(jwtAuth({ publicKey: rsa.pem, algorithms: ["RS256"], ...base }));
    await expectInvalidToken(await get(app, bearer(await sign(other.privateKey, "RS256"))));
    const [h, , s] = (await sign(rsa.privateKey, "RS256")).split(".");
    const tampered = `${h}.${base64url.encode(JSON.stringify({ sub: "admin", iss: ISSUER, aud: AUDIENCE, exp: 9e9 }))}.${s}`;
    await expectInvalidToken(await get(app, bearer(tampered)));
  });

  it("rejects an ES256 token when only RS256 is allowed", async () => {
    const app = appWith(jwtAuth({ publicKey: rsa.pem, algorithms: ["RS256"], ...base }));
    await expectInvalidToken(await get(app, bearer(await sign(ec.privateKey, "ES256"))));
  });

  it("rejects a wrong issuer or audience", async () => {
    await expectInvalidToken(await get(hsApp(), bearer(await sign(hmac, "HS256", { iss: "https://evil/" }))));
    await expectInvalidToken(await get(hsApp(), bearer(await sign(hmac, "HS256", { aud: "other-api" }))));
  });

  it("rejects tokens without exp or without a string sub", async () => {
    const noExp = await new SignJWT({ sub: "u", iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .sign(hmac);
    await expectInvalidToken(await get(hsApp(), bearer(noExp)));
    const noSub = await new SignJWT({ iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(hmac);
    await expectInvalidToken(await get(hsApp(), bearer(noSub)));
    await expectInvalidToken(
      await get(hsApp(), bearer(await sign(hmac, "HS256", { sub: 42 as unknown as string }))),
    );
  });

  it("rejects a token that is not a JWT", async () => {
    await expectInvalidToken(await get(hsApp(), bearer("abc.def")));
    await expectInvalidToken(await get(hsApp(), bearer("not-a-jwt")));
  });

  it("gives the same description for an expired token, a bad signature and a wrong audience", async () => {
    const bodies = await Promise.all(
      [
        sign(hmac, "HS256", { exp: Math.floor(Date.now() / 1000) - 3600 }),
        sign(new TextEncoder().encode("another-secret-of-more-than-32-bytes!"), "HS256"),
        sign(hmac, "HS256", { aud: "other" }),
      ].map(async (token) => (await get(hsApp(), bearer(await token))).json()),
    );
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });
});

describe("jwtAuth: exp and nbf with clock skew, at the boundary", () => {
  const NOW = 1_900_000_000;
  const app = (clockToleranceSeconds?: number) =>
    appWith(
      jwtAuth({
        secret: SECRET,
        algorithms: ["HS256"],
        ...base,
        ...(clockToleranceSeconds !== undefined && { clockToleranceSeconds }),
      }),
    );
  const at = (claims: JWTPayload) => sign(hmac, "HS256", { iat: NOW - 60, ...claims });

  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW * 1000);
  });
  afterAll(() => vi.useRealTimers());

  it("accepts a token expired 29 s ago and rejects one expired 30 s ago (default 30 s skew)", async () => {
    expect((await get(app(), bearer(await at({ exp: NOW - 29 })))).status).toBe(200);
    await expectInvalidToken(await get(app(), bearer(await at({ exp: NOW - 30 }))));
  });

  it("accepts nbf 30 s ahead and rejects nbf 31 s ahead", async () => {
    expect((await get(app(), bearer(await at({ nbf: NOW + 30, exp: NOW + 600 })))).status).toBe(200);
    await expectInvalidToken(await get(app(), bearer(await at({ nbf: NOW + 31, exp: NOW + 600 }))));
  });

  it("applies a configured skew exactly (0 s and 300 s)", async () => {
    await expectInvalidToken(await get(app(0), bearer(await at({ exp: NOW }))));
    expect((await get(app(0), bearer(await at({ exp: NOW + 1 })))).status).toBe(200);
    expect((await get(app(300), bearer(await at({ exp: NOW - 299 })))).status).toBe(200);
    await expectInvalidToken(await get(app(300), bearer(await at({ exp: NOW - 300 }))));
  });
});

describe("jwtAuth: missing or malformed Authorization header", () => {
  const app = () => appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], ...base }));

  it("answers 401 with a bare challenge (no error code) when no Bearer credentials are sent", async () => {
    const body = await expectRejected(await get(app()), 401, 'Bearer realm="api"');
    expect(body.title).toBe("Unauthorized");
    await expectRejected(
      await get(app(), { authorization: "Basic dXNlcjpwYXNz" }),
      401,
      'Bearer realm="api"',
    );
    await expectRejected(await get(app(), { authorization: "Bearerish x" }), 401, 'Bearer realm="api"');
  });

  it.each(["Bearer", "Bearer ", "Bearer a b", "Bearer a,Bearer b", 'Bearer "quoted"'])(
    "answers 400 invalid_request for %j",
    async (authorization) => {
      const res = await get(app(), { authorization });
      await expectRejected(
        res,
        400,
        'Bearer realm="api", error="invalid_request", error_description="The Authorization header is not a well-formed Bearer token"',
      );
    },
  );

  it("uses the configured realm", async () => {
    const custom = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], realm: "shop" }));
    expect((await get(custom)).headers.get("www-authenticate")).toBe('Bearer realm="shop"');
  });
});

describe("jwtAuth: JWKS", () => {
  let server: Server;
  let fetches = 0;
  let url: string;
  let kid1: CryptoKey;
  let unknownKid: CryptoKey;

  beforeAll(async () => {
    const a = await generateKeyPair("RS256", { extractable: true });
    const b = await generateKeyPair("ES256", { extractable: true });
    kid1 = a.privateKey;
    unknownKid = (await generateKeyPair("RS256")).privateKey;
    const keys = [
      { ...(await exportJWK(a.publicKey)), kid: "k1", alg: "RS256", use: "sig" },
      { ...(await exportJWK(b.publicKey)), kid: "k2", alg: "ES256", use: "sig" },
    ];
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    ecKey = b.privateKey;
  });
  let ecKey: CryptoKey;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies tokens by kid and fetches the key set once for many requests", async () => {
    fetches = 0;
    const app = appWith(jwtAuth({ jwksUrl: url, algorithms: ["RS256", "ES256"], ...base }));
    const rs = await sign(kid1, "RS256", {}, { kid: "k1" });
    const es = await sign(ecKey, "ES256", {}, { kid: "k2" });
    const statuses = await Promise.all(
      [rs, es, rs, es, rs].map(async (t) => (await get(app, bearer(t))).status),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await get(app, bearer(rs))).status).toBe(200);
    expect(fetches).toBe(1);
  });

  it("rejects an unknown kid without refetching inside jose's 30 s cooldown", async () => {
    fetches = 0;
    const app = appWith(jwtAuth({ jwksUrl: url, algorithms: ["RS256"], ...base }));
    expect((await get(app, bearer(await sign(kid1, "RS256", {}, { kid: "k1" })))).status).toBe(200);
    const stranger = await sign(unknownKid, "RS256", {}, { kid: "k9" });
    await expectInvalidToken(await get(app, bearer(stranger)));
    await expectInvalidToken(await get(app, bearer(stranger)));
    expect(fetches).toBe(1);
  });

  it("treats an unreachable JWKS endpoint as a server error, not as a bad token", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const app = appWith(
      jwtAuth({ jwksUrl: `http://127.0.0.1:${port}/jwks`, algorithms: ["RS256"], ...base }),
    );
    app.onError((err, c) => c.text(err.message, 500));
    const res = await get(app, bearer(await sign(kid1, "RS256", {}, { kid: "k1" })));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^\[skiff\] jwtAuth: could not verify tokens/);
  });
});

describe("scopes", () => {
  it("answers 403 insufficient_scope when jwtAuth's requiredScopes are missing", async () => {
    const app = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], requiredScopes: ["orders:write"] }));
    const res = await get(app, bearer(await sign(hmac, "HS256", { scope: "orders:read" })));
    const body = await expectRejected(
      res,
      403,
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="orders:write"',
    );
    expect(body.title).toBe("Forbidden");
    expect(
      (await get(app, bearer(await sign(hmac, "HS256", { scope: "orders:read orders:write" })))).status,
    ).toBe(200);
  });

  it("requireScopes() checks a JWT principal's scope and scp claims", async () => {
    const app = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"] }), requireScopes("a", "b"));
    expect((await get(app, bearer(await sign(hmac, "HS256", { scope: "a", scp: "b" })))).status).toBe(200);
    expect((await get(app, bearer(await sign(hmac, "HS256", { scope: "a" })))).status).toBe(403);
  });

  it("requireScopes() challenges with the scheme that authenticated the caller", async () => {
    const key = "sk_test_123";
    const app = appWith(
      apiKeyAuth({ keys: [{ id: "cron", hash: await hashApiKey(key), scopes: ["reports:read"] }] }),
      requireScopes("reports:write"),
    );
    const res = await get(app, { "x-api-key": key });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toMatch(
      /^ApiKey realm="api", error="insufficient_scope".*scope="reports:write"$/,
    );
  });

  it("requireScopes() without an auth middleware fails closed with a [skiff] 500", async () => {
    const app = appWith(requireScopes("a"));
    let message = "";
    app.onError((err, c) => ((message = err.message), c.text("error", 500)));
    expect((await get(app)).status).toBe(500);
    expect(message).toMatch(/^\[skiff\] requireScopes/);
  });
});

describe("apiKeyAuth", () => {
  const KEY = "sk_live_7Hq2vX9pL4mN8rT1";
  const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
  const app = () =>
    appWith(
      apiKeyAuth({
        keys: [
          { id: "partner-a", hash: sha256("sk_other_key_000"), scopes: [] },
          { id: "billing", hash: sha256(KEY), scopes: ["invoices:read"] },
        ],
      }),
    );
  const invalid = 'ApiKey realm="api", error="invalid_token", error_description="The API key is not valid"';

  it("hashApiKey() is the SHA-256 hex digest", async () => {
    expect(await hashApiKey(KEY)).toBe(sha256(KEY));
  });

  it("accepts the right key and sets an apiKey principal named by the key's id", async () => {
    const res = await get(app(), { "x-api-key": KEY });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: "apiKey", subject: "billing", scopes: ["invoices:read"] });
  });

  it("accepts an upper-case configured hash", async () => {
    const upper = appWith(apiKeyAuth({ keys: [{ id: "k", hash: sha256(KEY).toUpperCase() }] }));
    expect((await get(upper, { "x-api-key": KEY })).status).toBe(200);
  });

  it("rejects a wrong key (one character off) and an unknown key with 401 invalid_token", async () => {
    await expectRejected(await get(app(), { "x-api-key": `${KEY.slice(0, -1)}2` }), 401, invalid);
    await expectRejected(await get(app(), { "x-api-key": "sk_live_unknown" }), 401, invalid);
    // The hash itself is not a key.
    await expectRejected(await get(app(), { "x-api-key": sha256(KEY) }), 401, invalid);
  });

  it("answers a missing key with a bare challenge, and reads a custom header", async () => {
    await expectRejected(await get(app()), 401, 'ApiKey realm="api"');
    const custom = appWith(
      apiKeyAuth({ keys: [{ id: "k", hash: sha256(KEY) }], header: "Authorization-Key" }),
    );
    expect((await get(custom, { "authorization-key": KEY })).status).toBe(200);
    expect((await get(custom, { "x-api-key": KEY })).status).toBe(401);
  });

  it("throws at setup for bad keys, naming the option", () => {
    const hash = sha256(KEY);
    expect(() => apiKeyAuth({ keys: [] })).toThrow(/\[skiff\] apiKeyAuth: keys/);
    expect(() => apiKeyAuth({ keys: [{ id: "a", hash: KEY }] })).toThrow(/keys\[0\]\.hash/);
    expect(() =>
      apiKeyAuth({
        keys: [
          { id: "a", hash },
          { id: "a", hash: sha256("x") },
        ],
      }),
    ).toThrow(/keys\[1\]\.id/);
    expect(() =>
      apiKeyAuth({
        keys: [
          { id: "a", hash },
          { id: "b", hash },
        ],
      }),
    ).toThrow(/keys\[1\]\.hash/);
    expect(() => apiKeyAuth({ keys: [{ id: "a", hash, scopes: ["has space"] }] })).toThrow(
      /keys\[0\]\.scopes/,
    );
    expect(() => apiKeyAuth({ keys: [{ id: "a", hash }], header: "x key" })).toThrow(/header/);
  });
});

describe("jwtAuth: misconfiguration throws at setup, naming the option", () => {
  const bad = (options: Partial<JwtAuthOptions>) => () => jwtAuth(options as JwtAuthOptions);

  it("requires an explicit, known algorithm allow-list without none", () => {
    expect(bad({ secret: SECRET })).toThrow(/^\[skiff\] jwtAuth: algorithms is required/);
    expect(bad({ secret: SECRET, algorithms: [] })).toThrow(/algorithms is required/);
    expect(bad({ secret: SECRET, algorithms: ["none" as "HS256"] })).toThrow(/must not include "none"/);
    expect(bad({ secret: SECRET, algorithms: ["HS1" as "HS256"] })).toThrow(
      /algorithms contains unsupported "HS1"/,
    );
  });

  it("requires exactly one key source", () => {
    expect(bad({ algorithms: ["RS256"] })).toThrow(/one of secret, publicKey or jwksUrl is required/);
    expect(bad({ secret: SECRET, jwksUrl: "https://a/jwks", algorithms: ["HS256"] })).toThrow(
      /got secret and jwksUrl/,
    );
    expect(bad({ secret: SECRET, publicKey: rsa.pem, algorithms: ["HS256"] })).toThrow(
      /got secret and publicKey/,
    );
  });

  it("refuses HS secrets shorter than the hash", () => {
    expect(bad({ secret: "x".repeat(31), algorithms: ["HS256"] })).toThrow(
      /secret is 31 bytes; HS256 need at least 32/,
    );
    expect(bad({ secret: "x".repeat(32), algorithms: ["HS256", "HS512"] })).toThrow(/at least 64/);
    expect(bad({ secret: "x".repeat(32), algorithms: ["HS256"] })).not.toThrow();
  });

  it("refuses to mix key families with algorithms (the setup-time half of alg-confusion defence)", () => {
    expect(bad({ publicKey: rsa.pem, algorithms: ["RS256", "HS256"] })).toThrow(
      /HS256 are shared-secret algorithms/,
    );
    expect(bad({ secret: SECRET, algorithms: ["HS256", "RS256"] })).toThrow(
      /RS256 need publicKey or jwksUrl/,
    );
    expect(bad({ publicKey: ec.publicKey, algorithms: ["RS256"] })).toThrow(
      /ECDSA key and cannot verify RS256/,
    );
    expect(bad({ publicKey: rsa.jwk, algorithms: ["ES256"] })).toThrow(/RSA JWK and cannot verify ES256/);
  });

  it("refuses private or non-SPKI keys without echoing them", async () => {
    const pkcs8 = await exportPKCS8((await generateKeyPair("RS256", { extractable: true })).privateKey);
    expect(bad({ publicKey: pkcs8, algorithms: ["RS256"] })).toThrow(/PEM "PRIVATE KEY"/);
    try {
      jwtAuth({ publicKey: pkcs8, algorithms: ["RS256"] });
    } catch (error) {
      expect((error as Error).message).not.toContain(pkcs8.split("\n")[1]);
    }
    expect(
      bad({
        publicKey: "-----BEGIN RSA PUBLIC KEY-----\nAAA\n-----END RSA PUBLIC KEY-----",
        algorithms: ["RS256"],
      }),
    ).toThrow(/RSA PUBLIC KEY/);
    expect(bad({ publicKey: { ...rsa.jwk, d: "x" }, algorithms: ["RS256"] })).toThrow(
      /private or symmetric JWK/,
    );
    expect(bad({ publicKey: rsa.privateKey, algorithms: ["RS256"] })).toThrow(/private CryptoKey/);
  });

  it("checks clockToleranceSeconds, jwksUrl, issuer, audience, requiredScopes and realm", () => {
    const ok = { secret: SECRET, algorithms: ["HS256"] } as const;
    expect(bad({ ...ok, clockToleranceSeconds: 301 })).toThrow(/clockToleranceSeconds/);
    expect(bad({ ...ok, clockToleranceSeconds: -1 })).toThrow(/clockToleranceSeconds/);
    expect(bad({ jwksUrl: "http://auth.example.com/jwks", algorithms: ["RS256"] })).toThrow(
      /jwksUrl must use https/,
    );
    expect(bad({ jwksUrl: "not a url", algorithms: ["RS256"] })).toThrow(/jwksUrl is not a valid URL/);
    expect(bad({ ...ok, issuer: "" })).toThrow(/issuer/);
    expect(bad({ ...ok, audience: [] })).toThrow(/audience/);
    expect(bad({ ...ok, requiredScopes: ["a b"] })).toThrow(/requiredScopes/);
    expect(bad({ ...ok, realm: 'a"b' })).toThrow(/realm/);
  });

  it("fails a PEM that cannot be imported loudly (500 with a [skiff] cause), not as a bad token", async () => {
    // Well-formed SPKI (so setup accepts it) whose EC point is off the curve: only WebCrypto's import can tell.
    const der = Uint8Array.from(atob(ec.pem.replace(/-----[A-Z ]+-----|\s/g, "")), (ch) => ch.charCodeAt(0));
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 1;
    const broken = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PUBLIC KEY-----`;
    const app = appWith(jwtAuth({ publicKey: broken, algorithms: ["ES256"] }));
    let message = "";
    app.onError((err, c) => ((message = err.message), c.text("error", 500)));
    expect((await get(app, bearer(await sign(ec.privateKey, "ES256")))).status).toBe(500);
    expect(message).toMatch(/^\[skiff\] jwtAuth: publicKey could not be imported for ES256/);
    // A PEM whose body is not an SPKI at all is refused at setup.
    expect(
      bad({ publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", algorithms: ["RS256"] }),
    ).toThrow(/not a well-formed PEM SPKI/);
  });
});

describe("apiKeyAuth with keys read from the env at request time", () => {
  const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
  const build = () => {
    let reads = 0;
    const app = new Hono<{ Bindings: { KEY_HASH?: string } }>();
    app.use(
      apiKeyAuth({
        keys: (env) => {
          reads++;
          return typeof env.KEY_HASH === "string" ? [{ id: "ops", hash: env.KEY_HASH }] : [];
        },
      }),
    );
    app.get("/", (c) => c.text("ok"));
    app.onError((err, c) =>
      err instanceof Error && "getResponse" in err
        ? (err as { getResponse(): Response }).getResponse()
        : c.text(err.message, 500),
    );
    return { app, reads: () => reads };
  };

  it("resolves the keys once, on the first request, from the platform env", async () => {
    const { app, reads } = build();
    const env = { KEY_HASH: sha256("k-1") };
    expect((await app.request("/", { headers: { "x-api-key": "k-1" } }, env)).status).toBe(200);
    expect((await app.request("/", { headers: { "x-api-key": "wrong" } }, env)).status).toBe(401);
    expect(reads()).toBe(1);
  });

  it("fails closed with a configuration error when the env has no keys", async () => {
    const { app } = build();
    const res = await app.request("/", { headers: { "x-api-key": "k-1" } }, {});
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("keys must be a non-empty array");
  });
});
