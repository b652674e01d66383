import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from "jose";
import { prng } from "../http/hostile.js";

/** Keys the auth suite verifies with, and the JWKS it serves for the `kid` games. */
export interface AttackKeys {
  secret: string;
  rsaPem: string;
  jwks: { keys: JWK[] };
  sign(alg: Alg, claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Signs with the attacker's own key of the same algorithm (an attacker-chosen secret for HS256). */
  forge(alg: Alg, claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The attacker's public keys as a JWKS, for `jku`/`jwk` header games. */
  attackerJwks: { keys: JWK[] };
}

type Alg = "RS256" | "ES256" | "HS256";

export const ISSUER = "https://issuer.torture.test";
export const AUDIENCE = "torture-api";

const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** Fresh RSA and EC key pairs and an HS256 secret; `sign` makes a token with the claims given. */
export async function attackKeys(): Promise<AttackKeys> {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  const secret = "torture-secret-of-at-least-32-bytes!";
  const evilRsa = await generateKeyPair("RS256", { extractable: true });
  const evilEc = await generateKeyPair("ES256", { extractable: true });
  const evilSecret = new TextEncoder().encode("attacker-secret-of-at-least-32-bytes");
  const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" };
  const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" };
  return {
    secret,
    rsaPem: await exportSPKI(rsa.publicKey),
    jwks: { keys: [rsaJwk, ecJwk] },
    sign: (alg, claims, header = {}) => {
      const jwt = new SignJWT(claims).setProtectedHeader({
        alg,
        ...(alg === "HS256" ? {} : { kid: alg === "RS256" ? "rsa-1" : "ec-1" }),
        ...header,
      } as { alg: string });
      const key =
        alg === "HS256" ? new TextEncoder().encode(secret) : alg === "RS256" ? rsa.privateKey : ec.privateKey;
      return jwt.sign(key);
    },
    forge: (alg, claims, header = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({
          alg,
          ...(alg === "HS256" ? {} : { kid: alg === "RS256" ? "rsa-1" : "ec-1" }),
          ...header,
        } as { alg: string })
        .sign(alg === "HS256" ? evilSecret : alg === "RS256" ? evilRsa.privateKey : evilEc.privateKey),
    attackerJwks: {
      keys: [
        { ...(await exportJWK(evilRsa.publicKey)), kid: "rsa-1", alg: "RS256" },
        { ...(await exportJWK(evilEc.publicKey)), kid: "ec-1", alg: "ES256" },
      ],
    },
  };
}

const now = () => Math.floor(Date.now() / 1000);
/** Claims that pass every check. */
export const goodClaims = () => ({ sub: "user-1", iss: ISSUER, aud: AUDIENCE, exp: now() + 600, iat: now() });

/**
 * Every attack as `[name, token]`: forged algorithms, claims out of bounds, `kid` games, malformed encodings and
 * `mutations` random single-character corruptions of a valid token. Each one must be refused with a 401.
 */
export async function attacks(
  keys: AttackKeys,
  alg: "RS256" | "ES256" | "HS256",
  mutations: number,
): Promise<Array<[string, string]>> {
  const good = await keys.sign(alg, goodClaims());
  const [h, p, s] = good.split(".") as [string, string, string];
  const out: Array<[string, string]> = [
    ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${p}.`],
    ["alg None", `${b64({ alg: "None" })}.${p}.`],
    ["alg none with signature", `${b64({ alg: "none" })}.${p}.${s}`],
    ["HS256 signed with the RSA public key", await hsWith(keys.rsaPem, goodClaims())],
    ["HS256 signed with the JWKS JSON", await hsWith(JSON.stringify(keys.jwks), goodClaims())],
    ["expired", await keys.sign(alg, { ...goodClaims(), exp: now() - 3600 })],
    ["no exp", await keys.sign(alg, { sub: "u", iss: ISSUER, aud: AUDIENCE })],
    ["exp as string", await keys.sign(alg, { ...goodClaims(), exp: "9999999999" })],
    ["nbf in the future", await keys.sign(alg, { ...goodClaims(), nbf: now() + 3600 })],
    ["wrong audience", await keys.sign(alg, { ...goodClaims(), aud: "other-api" })],
    ["audience array without ours", await keys.sign(alg, { ...goodClaims(), aud: ["a", "b"] })],
    ["wrong issuer", await keys.sign(alg, { ...goodClaims(), iss: "https://evil.test" })],
    ["no sub", await keys.sign(alg, { iss: ISSUER, aud: AUDIENCE, exp: now() + 600 })],
    ["sub as object", await keys.sign(alg, { ...goodClaims(), sub: { id: 1 } })],
    ["attacker key, our kid", await keys.forge(alg, goodClaims())],
    ["attacker key, unknown kid", await keys.forge(alg, goodClaims(), { kid: "nope" })],
    ["attacker key, kid traversal", await keys.forge(alg, goodClaims(), { kid: "../../../../etc/passwd" })],
    ["attacker key, kid injection", await keys.forge(alg, goodClaims(), { kid: "' OR 1=1 --" })],
    ["attacker key, no kid", await keys.forge(alg, goodClaims(), { kid: undefined })],
    ["attacker key behind jku", await keys.forge(alg, goodClaims(), { jku: "http://127.0.0.1:9/jwks" })],
    [
      "attacker key embedded as jwk",
      await keys.forge(alg, goodClaims(), { jwk: keys.attackerJwks.keys[alg === "ES256" ? 1 : 0] }),
    ],
    [
      "other algorithm's kid",
      await keys.sign(alg === "RS256" ? "ES256" : "RS256", goodClaims(), {
        kid: alg === "RS256" ? "rsa-1" : "ec-1",
      }),
    ],
    ["crit unknown", `${b64({ alg, crit: ["x-evil"], "x-evil": 1 })}.${p}.${s}`],
    ["header not JSON", `${b64("{not json")}.${p}.${s}`],
    ["header an array", `${b64([1, 2])}.${p}.${s}`],
    ["payload not JSON", `${h}.${b64("nope")}.${s}`],
    ["payload tampered", `${h}.${b64({ ...goodClaims(), sub: "admin" })}.${s}`],
    ["signature stripped", `${h}.${p}.`],
    ["two segments", `${h}.${p}`],
    ["four segments", `${good}.${s}`],
    ["not base64url", `${h}.${p}.${s.replace(/./g, "*")}`],
    ["huge", `${h}.${b64({ ...goodClaims(), pad: "x".repeat(100_000) })}.${s}`],
    ["empty", ""],
  ];
  const rand = prng(7);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  for (let i = 0; i < mutations; i++) {
    const at = Math.floor(rand() * good.length);
    const c = alphabet[Math.floor(rand() * alphabet.length)] as string;
    if (good[at] === c) continue;
    out.push([`mutation ${i} at ${at}`, good.slice(0, at) + c + good.slice(at + 1)]);
  }
  return out;
}

async function hsWith(secret: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(secret));
}
