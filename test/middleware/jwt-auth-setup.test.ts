import { exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { type JwtAuthOptions, jwtAuth } from "../../middleware/auth/index.js";
import { SECRET, sign, appWith, get, bearer, rsa, ec, useKeyPairs } from "./support/auth.js";

useKeyPairs();

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
