import { Hono } from "hono";
import { type JWTPayload, SignJWT, base64url, generateKeyPair } from "jose";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type Principal, jwtAuth } from "../../middleware/auth/index.js";
import {
  SECRET,
  ISSUER,
  AUDIENCE,
  sign,
  appWith,
  get,
  bearer,
  base,
  expectRejected,
  expectInvalidToken,
  rsa,
  ec,
  hmac,
  useKeyPairs,
} from "./support/auth.js";

useKeyPairs();

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
