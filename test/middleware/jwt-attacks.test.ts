import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import {
  type CryptoKey,
  type JWK,
  type JWTPayload,
  SignJWT,
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthVariables, type JwtAuthOptions, jwtAuth } from "../../middleware/auth/index.js";

// Every attack a token can carry, against every form of key jwtAuth takes: each must be a 401 invalid_token with a
// Bearer challenge, never a 500 (a 500 tells an attacker which key paths break and pages the operator).

const ISSUER = "https://auth.test/";
const AUDIENCE = "shop-api";
const SECRET = "s3cr3t-that-is-at-least-32-bytes-long!";
const INVALID_TOKEN =
  'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired"';
const enc = (value: unknown) => base64url.encode(typeof value === "string" ? value : JSON.stringify(value));
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  sub: "user-1",
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 300,
  ...extra,
});
const sign = (key: CryptoKey | Uint8Array, alg: string, extra: JWTPayload = {}, header: object = {}) =>
  new SignJWT(claims(extra)).setProtectedHeader({ alg, ...header }).sign(key);

/** Signs with RS256 whatever header jose's SignJWT would refuse to produce (crit with unknown names, b64). */
const rawRs256 = async (key: CryptoKey, header: object, payload: string = enc(claims())) => {
  const input = `${enc(header)}.${payload}`;
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(input));
  return `${input}.${base64url.encode(new Uint8Array(sig))}`;
};

interface Keys {
  rsa: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string; jwk: JWK };
  ec: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string };
  ed: { privateKey: CryptoKey };
  ps384: CryptoKey;
  stranger: CryptoKey;
  strangerEc: CryptoKey;
  strangerJwk: JWK;
}
let keys: Keys;
let jwks: Server;
let jwksUrl: string;

beforeAll(async () => {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  const stranger = await generateKeyPair("RS256", { extractable: true });
  keys = {
    rsa: { ...rsa, pem: await exportSPKI(rsa.publicKey), jwk: await exportJWK(rsa.publicKey) },
    ec: { ...ec, pem: await exportSPKI(ec.publicKey) },
    ed: { privateKey: (await generateKeyPair("EdDSA")).privateKey },
    ps384: (await generateKeyPair("PS384")).privateKey,
    stranger: stranger.privateKey,
    strangerEc: (await generateKeyPair("ES256")).privateKey,
    strangerJwk: await exportJWK(stranger.publicKey),
  };
  const set = [
    { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
    { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
  ];
  jwks = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: set })),
  );
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

/** The key configurations under attack, with a token each accepts (to show the app works at all). */
const configs = (): Array<{ name: string; options: JwtAuthOptions; valid: () => Promise<string> }> => [
  {
    name: "HS256 secret",
    options: { secret: SECRET, algorithms: ["HS256"] },
    valid: () => sign(new TextEncoder().encode(SECRET), "HS256"),
  },
  {
    name: "RSA PEM, RS256 + PS256",
    options: { publicKey: keys.rsa.pem, algorithms: ["RS256", "PS256"] },
    valid: () => sign(keys.rsa.privateKey, "RS256"),
  },
  {
    name: "RSA JWK",
    options: { publicKey: keys.rsa.jwk, algorithms: ["RS256"] },
    valid: () => sign(keys.rsa.privateKey, "RS256"),
  },
  {
    name: "RSA CryptoKey",
    options: { publicKey: keys.rsa.publicKey, algorithms: ["RS256"] },
    valid: () => sign(keys.rsa.privateKey, "RS256"),
  },
  {
    name: "EC PEM",
    options: { publicKey: keys.ec.pem, algorithms: ["ES256"] },
    valid: () => sign(keys.ec.privateKey, "ES256"),
  },
  {
    name: "JWKS with an RSA and an EC key, RS256 + ES256",
    options: { jwksUrl, algorithms: ["RS256", "ES256"] },
    valid: () => sign(keys.ec.privateKey, "ES256", {}, { kid: "ec-1" }),
  },
];

/** Hostile tokens, each named for the attack it makes. */
async function attacks(): Promise<Array<[string, string]>> {
  const { rsa, ec, ed, ps384, stranger, strangerEc, strangerJwk } = keys;
  const hs = new TextEncoder().encode(SECRET);
  const header = (h: object) => `${enc(h)}.${enc(claims())}`;
  const signed = await sign(rsa.privateKey, "RS256", {}, { kid: "rsa-1" });
  const [h, p] = signed.split(".");
  return [
    ...["none", "None", "NONE", "nOnE"].map((alg): [string, string] => [`alg ${alg}`, `${header({ alg })}.`]),
    ["alg none with a signature", `${header({ alg: "none" })}.${enc("sig")}`],
    [
      "HS256 signed with the RSA PEM (algorithm confusion)",
      await sign(new TextEncoder().encode(rsa.pem), "HS256"),
    ],
    [
      "HS256 signed with the RSA JWK JSON",
      await sign(new TextEncoder().encode(JSON.stringify(rsa.jwk)), "HS256"),
    ],
    ["HS256 signed with the EC PEM", await sign(new TextEncoder().encode(ec.pem), "HS256")],
    // A stranger's keys, so that each is a wrong family for some configurations and a bad signature for the rest.
    ["ES256 naming the RSA key's kid (wrong family)", await sign(strangerEc, "ES256", {}, { kid: "rsa-1" })],
    ["RS256 naming the EC key's kid (wrong family)", await sign(stranger, "RS256", {}, { kid: "ec-1" })],
    ["ES256 against RSA-only configurations", await sign(strangerEc, "ES256")],
    ["EdDSA (not allowed anywhere)", await sign(ed.privateKey, "EdDSA", {}, { kid: "rsa-1" })],
    [
      "PS256 by a stranger (allowed with the RSA PEM)",
      await sign((await generateKeyPair("PS256")).privateKey, "PS256", {}, { kid: "rsa-1" }),
    ],
    ["PS384 (not allowed anywhere)", await sign(ps384, "PS384", {}, { kid: "rsa-1" })],
    ["HS256 with the right secret against asymmetric keys", await sign(hs, "HS256", { aud: "x" })],
    ["expired an hour ago", await sign(rsa.privateKey, "RS256", { exp: now() - 3600 }, { kid: "rsa-1" })],
    ["expired, HS256", await sign(hs, "HS256", { exp: now() - 3600 })],
    ["nbf an hour ahead", await sign(rsa.privateKey, "RS256", { nbf: now() + 3600 }, { kid: "rsa-1" })],
    ["nbf ahead, HS256", await sign(hs, "HS256", { nbf: now() + 3600 })],
    ["wrong audience", await sign(rsa.privateKey, "RS256", { aud: "other-api" }, { kid: "rsa-1" })],
    ["wrong audience, HS256", await sign(hs, "HS256", { aud: "other-api" })],
    ["wrong issuer", await sign(rsa.privateKey, "RS256", { iss: "https://evil/" }, { kid: "rsa-1" })],
    ["wrong issuer, HS256", await sign(hs, "HS256", { iss: "https://evil/" })],
    ["exp as a string", await sign(hs, "HS256", { exp: "never" as unknown as number })],
    ["unknown kid", await sign(stranger, "RS256", {}, { kid: "rsa-9" })],
    ["kid with a path", await sign(stranger, "RS256", {}, { kid: "../../../../dev/null" })],
    ["kid with SQL", await sign(stranger, "RS256", {}, { kid: "x' OR '1'='1" })],
    ["kid as a number", await sign(stranger, "RS256", {}, { kid: 1 })],
    ["kid of 10 kB", await sign(stranger, "RS256", {}, { kid: "k".repeat(10_000) })],
    ["kid of the RSA key, signed by a stranger", await sign(stranger, "RS256", {}, { kid: "rsa-1" })],
    ["embedded jwk of the attacker's key", await sign(stranger, "RS256", {}, { jwk: strangerJwk })],
    [
      "jku and x5u pointing elsewhere",
      await sign(stranger, "RS256", {}, { jku: "https://evil/jwks", x5u: "https://evil/c" }),
    ],
    [
      "crit with an unknown extension",
      await rawRs256(rsa.privateKey, { alg: "RS256", kid: "rsa-1", crit: ["exp"] }),
    ],
    ["crit naming nothing", await rawRs256(rsa.privateKey, { alg: "RS256", kid: "rsa-1", crit: [] })],
    ["b64: false", await rawRs256(rsa.privateKey, { alg: "RS256", kid: "rsa-1", b64: false, crit: ["b64"] })],
    ["tampered payload", `${h}.${enc(claims({ sub: "admin" }))}.${signed.split(".")[2]}`],
    ["signature stripped", `${h}.${p}.`],
    ["signature of another token", `${h}.${p}.${(await sign(stranger, "RS256")).split(".")[2]}`],
    ["two segments", `${h}.${p}`],
    ["four segments", `${signed}.${h}`],
    ["empty segments", ".."],
    ["only dots", "...."],
    ["segments that are not base64url", "a+b/c.d+e/f.g+h/i"],
    ["one segment", "eyJhbGciOiJSUzI1NiJ9"],
    ["header not JSON", `${enc("not json")}.${p}.sig`],
    ["header truncated JSON", `${enc('{"alg":"RS256"')}.${p}.sig`],
    ["header is null", `${enc("null")}.${p}.sig`],
    ["header is an array", `${enc('["RS256"]')}.${p}.sig`],
    ["header is a string", `${enc('"RS256"')}.${p}.sig`],
    ["header alg is a number", `${enc({ alg: 256 })}.${p}.sig`],
    ["header alg is an object", `${enc({ alg: { name: "RS256" } })}.${p}.sig`],
    ["header with __proto__", `${enc('{"alg":"RS256","__proto__":{"alg":"none"}}')}.${p}.sig`],
    [
      "header nested 10,000 deep",
      `${enc(`{"alg":"RS256","x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`)}.${p}.sig`,
    ],
    ["payload not JSON", `${h}.${enc("not json")}.sig`],
    ["payload is an array", `${h}.${enc("[1,2]")}.sig`],
    ["payload not UTF-8", `${h}.${base64url.encode(new Uint8Array([0xff, 0xfe, 0xfd]))}.sig`],
    ["huge token (256 kB of base64)", `${h}.${"A".repeat(256 * 1024)}.${"B".repeat(1024)}`],
    [
      "huge header (200 kB of JSON)",
      `${enc({ alg: "RS256", kid: "rsa-1", pad: "x".repeat(200_000) })}.${p}.sig`,
    ],
    ["huge forged claims", await sign(stranger, "RS256", { pad: "y".repeat(300_000) }, { kid: "rsa-1" })],
  ];
}

describe("jwtAuth under attack: every hostile token is a 401 invalid_token, never a 500", () => {
  it("answers 401 with the Bearer challenge for every attack against every kind of key", async () => {
    const hostile = await attacks();
    let tried = 0;
    const failures: string[] = [];
    for (const config of configs()) {
      const app = new Hono<{ Variables: AuthVariables }>();
      app.use(jwtAuth({ ...config.options, issuer: ISSUER, audience: AUDIENCE }));
      app.get("/", (c) => c.json({ sub: c.var.principal.subject }));
      const ok = await app.request("/", { headers: { authorization: `Bearer ${await config.valid()}` } });
      expect(ok.status, `${config.name}: a valid token`).toBe(200);
      for (const [attack, token] of hostile) {
        tried++;
        const res = await app.request("/", { headers: { authorization: `Bearer ${token}` } });
        const body = await res.text();
        const problem = res.headers.get("content-type") === "application/problem+json";
        if (res.status !== 401 || res.headers.get("www-authenticate") !== INVALID_TOKEN || !problem) {
          failures.push(`${config.name} / ${attack}: ${res.status} ${body.slice(0, 120)}`);
        }
        expect(body).not.toMatch(/at .*\.(js|ts):\d+|node_modules|TypeError|JOSE/);
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBe(hostile.length * configs().length);
  });

  it("answers a credential that is not a b64token with 400 invalid_request (RFC 6750 §3.1), never a 500", async () => {
    const app = new Hono();
    app.use(jwtAuth({ publicKey: keys.rsa.pem, algorithms: ["RS256"] }));
    app.get("/", (c) => c.text("ok"));
    for (const credentials of [
      "Bearer a b",
      "Bearer é.é.é",
      "Bearer aGVhZA=.cGF5bG9hZA.c2ln", // "=" only ends a b64token
      "Bearer ",
      "Bearer a.b.c d",
      'Bearer "quoted"',
    ]) {
      const res = await app.request("/", { headers: { authorization: credentials } });
      expect(res.status, credentials).toBe(400);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="api", error="invalid_request"/);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
