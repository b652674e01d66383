import { type JWK, type JWTVerifyGetKey, createRemoteJWKSet, importSPKI } from "jose";
import { type KeyFamily, cryptoKeyFamily, jwkFamily, mismatch, pemFamily } from "./_key-family.js";

/**
 * The JWS algorithms {@link jwtAuth} accepts in its allow-list. `none` is deliberately absent.
 *
 * @example
 * ```ts
 * const algorithms: JwtAlgorithm[] = ["RS256", "ES256"];
 * ```
 */
export type JwtAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA"
  | "Ed25519";

/**
 * Where {@link jwtAuth} gets its verification key: exactly one of these.
 *
 * @example
 * ```ts
 * const keys: JwtKeyOptions = { publicKey: env.JWT_PUBLIC_KEY_PEM };
 * ```
 */
export interface JwtKeyOptions {
  /** Shared secret for HS256/384/512; at least as many bytes as the hash (32 for HS256, RFC 7518 §3.2). */
  secret?: string | Uint8Array;
  /** Public key for RS/PS/ES/EdDSA: a CryptoKey, a public JWK, or a PEM SPKI string (`-----BEGIN PUBLIC KEY-----`). */
  publicKey?: CryptoKey | JWK | string;
  /** JWKS endpoint (https; http only on loopback), fetched on demand and cached by jose. */
  jwksUrl?: string | URL;
}

const ALGORITHMS: readonly JwtAlgorithm[] = [
  ...(["HS", "RS", "PS", "ES"] as const).flatMap((f) =>
    [256, 384, 512].map((n) => `${f}${n}` as JwtAlgorithm),
  ),
  "EdDSA",
  "Ed25519",
];
/**
 * The algorithm names {@link jwtAuth} knows, for validating its `algorithms` option.
 *
 * @example
 * ```ts
 * KNOWN_ALGORITHMS.has("none"); // false
 * ```
 */
export const KNOWN_ALGORITHMS: ReadonlySet<string> = new Set(ALGORITHMS);

/**
 * True for the shared-secret (HMAC) algorithms.
 *
 * @example
 * ```ts
 * isHmac("HS256"); // true
 * ```
 */
export const isHmac = (alg: JwtAlgorithm): boolean => alg.startsWith("HS");

const fail = (message: string): never => {
  throw new TypeError(`[skiff] jwtAuth: ${message}`);
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const isCryptoKey = (key: unknown): key is CryptoKey =>
  typeof CryptoKey === "function" && key instanceof CryptoKey;

/**
 * Validates the key options against the algorithms and returns what `jwtVerify` takes: the secret's bytes, a key,
 * a JWK, or a per-`alg` key getter. Nothing asynchronous happens here: PEM keys are imported on first use (Workers
 * forbid some crypto at global scope, where middleware is usually built) and that import is then reused.
 *
 * @example
 * ```ts
 * const key = resolveKey({ jwksUrl: "https://auth.example.com/jwks.json" }, ["RS256"]);
 * ```
 */
export const resolveKey = (
  options: JwtKeyOptions,
  algorithms: readonly JwtAlgorithm[],
): Uint8Array | CryptoKey | JWK | JWTVerifyGetKey => {
  const given = (["secret", "publicKey", "jwksUrl"] as const).filter((name) => options[name] !== undefined);
  if (given.length === 0) fail("one of secret, publicKey or jwksUrl is required");
  if (given.length > 1) fail(`give only one of secret, publicKey or jwksUrl (got ${given.join(" and ")})`);

  const hmac = algorithms.filter(isHmac);
  if (options.secret !== undefined) {
    const asymmetric = algorithms.filter((alg) => !isHmac(alg));
    if (asymmetric.length > 0) {
      fail(`algorithms ${asymmetric.join(", ")} need publicKey or jwksUrl, not secret`);
    }
    const bytes =
      typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
    if (!(bytes instanceof Uint8Array)) return fail("secret must be a string or a Uint8Array");
    const needed = Math.max(...hmac.map((alg) => Number(alg.slice(2)) / 8));
    if (bytes.byteLength < needed) {
      fail(`secret is ${bytes.byteLength} bytes; ${hmac.join(", ")} need at least ${needed}`);
    }
    return bytes;
  }
  if (hmac.length > 0) {
    fail(
      `algorithms ${hmac.join(", ")} are shared-secret algorithms and cannot be used with publicKey or jwksUrl`,
    );
  }

  if (options.jwksUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.jwksUrl);
    } catch {
      return fail("jwksUrl is not a valid URL");
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
      fail("jwksUrl must use https (http is allowed only for localhost)");
    }
    // jose caches the key set (10 min), refetches on an unknown `kid` at most every 30 s, and shares one
    // in-flight fetch between concurrent requests.
    return createRemoteJWKSet(url);
  }

  const key = options.publicKey;
  // Every allowed `alg` must suit the key, checked here for every form of key: a token can then only choose among
  // algorithms that verify (or fail to verify) as a 401, never one that trips jose's key checks (a 500).
  const check = (family: KeyFamily) => {
    const wrong = algorithms.flatMap((alg) => {
      const why = mismatch(family, alg);
      return why === undefined ? [] : [`${alg} (${why})`];
    });
    if (wrong.length > 0) {
      const usable = algorithms.filter((alg) => mismatch(family, alg) === undefined);
      fail(
        `publicKey is ${family.label} and cannot verify ${wrong.join(", ")}; ` +
          (usable.length > 0
            ? `allow only ${usable.join(", ")} with this key, or use jwksUrl for keys of several types`
            : "pass a key of the algorithms' type"),
      );
    }
  };
  if (typeof key === "string") {
    const getter = pemGetter(key);
    const family = pemFamily(key);
    if (family === undefined)
      fail('publicKey is not a well-formed PEM SPKI public key ("-----BEGIN PUBLIC KEY-----")');
    check(family as KeyFamily);
    return getter;
  }
  if (isCryptoKey(key)) {
    if (key.type !== "public") fail(`publicKey is a ${key.type} CryptoKey; pass the public key`);
    if (!key.usages.includes("verify")) fail('publicKey is a CryptoKey without the "verify" usage');
    check(cryptoKeyFamily(key));
    return key;
  }
  if (typeof key !== "object" || key === null || typeof key.kty !== "string") {
    return fail("publicKey must be a CryptoKey, a public JWK or a PEM SPKI string");
  }
  if ("d" in key || key.kty === "oct") fail("publicKey is a private or symmetric JWK; pass the public JWK");
  if (key.use !== undefined && key.use !== "sig")
    fail(`publicKey is a JWK with use "${key.use}"; it must be "sig"`);
  if (key.key_ops !== undefined && !(Array.isArray(key.key_ops) && key.key_ops.includes("verify")))
    fail('publicKey is a JWK whose key_ops lack "verify"');
  check(jwkFamily(key));
  return key;
};

const pemGetter = (pem: string): JWTVerifyGetKey => {
  // Never echo the value: someone may have pasted a private key here.
  if (!pem.includes("-----BEGIN PUBLIC KEY-----")) {
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
    fail(
      found
        ? `publicKey is a PEM "${found}"; pass an SPKI public key ("-----BEGIN PUBLIC KEY-----")`
        : 'publicKey string must be a PEM SPKI public key ("-----BEGIN PUBLIC KEY-----")',
    );
  }
  // WebCrypto binds a key to one algorithm, so the PEM is imported once per `alg` it is asked to verify. jose has
  // already checked `alg` against the allow-list before calling this.
  const imported = new Map<string, Promise<CryptoKey>>();
  return (header) => {
    const alg = header.alg;
    let key = imported.get(alg);
    if (key === undefined) {
      key = importSPKI(pem, alg).catch((cause: unknown) => {
        throw new Error(`[skiff] jwtAuth: publicKey could not be imported for ${alg}`, { cause });
      });
      imported.set(alg, key);
    }
    return key;
  };
};
