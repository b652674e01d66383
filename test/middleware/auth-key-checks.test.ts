import { type JWK, exportJWK, exportSPKI, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type JwtAuthOptions, jwtAuth } from "../../middleware/auth/index.js";

// A static key is checked at setup against every allowed algorithm, as jose checks it at verification: otherwise a
// token that picks an allowed algorithm its key cannot run (ES256 against an RSA PEM) trips jose's key checks, a 500.

let keys: {
  rsa: { publicKey: CryptoKey; pem: string; jwk: JWK };
  ec: { pem: string };
};

beforeAll(async () => {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  keys = {
    rsa: {
      publicKey: rsa.publicKey,
      pem: await exportSPKI(rsa.publicKey),
      jwk: await exportJWK(rsa.publicKey),
    },
    ec: { pem: await exportSPKI(ec.publicKey) },
  };
});

describe("jwtAuth: a key that cannot verify an allowed algorithm is a setup error, for PEM keys as for JWKs", () => {
  const setup = (options: Partial<JwtAuthOptions>) => () => jwtAuth(options as JwtAuthOptions);

  it("refuses an RSA PEM with ES256 allowed (it answered 500 to every ES256 token), naming the mismatch", () => {
    expect(setup({ publicKey: keys.rsa.pem, algorithms: ["RS256", "ES256"] })).toThrow(
      /^\[skiff\] jwtAuth: publicKey is an RSA PEM key and cannot verify ES256 \(it is not an EC key\); allow only RS256/,
    );
    expect(setup({ publicKey: keys.ec.pem, algorithms: ["ES256", "RS256"] })).toThrow(
      /P-256 EC PEM key and cannot verify RS256/,
    );
    expect(setup({ publicKey: keys.rsa.pem, algorithms: ["RS256", "PS512"] })).not.toThrow();
  });

  it("checks the curve, a CryptoKey's hash and a JWK's own alg and use, as jose would at verification", async () => {
    const p384 = await generateKeyPair("ES384", { extractable: true });
    expect(setup({ publicKey: await exportSPKI(p384.publicKey), algorithms: ["ES256"] })).toThrow(
      /P-384 EC PEM key and cannot verify ES256 \(its curve is P-384, not P-256\)/,
    );
    expect(setup({ publicKey: await exportJWK(p384.publicKey), algorithms: ["ES256"] })).toThrow(
      /P-384 EC JWK and cannot verify ES256/,
    );
    expect(setup({ publicKey: p384.publicKey, algorithms: ["ES256"] })).toThrow(
      /an ECDSA key and cannot verify ES256/,
    );
    expect(setup({ publicKey: keys.rsa.publicKey, algorithms: ["RS256", "RS384"] })).toThrow(
      /cannot verify RS384 \(it is bound to SHA-256\)/,
    );
    expect(setup({ publicKey: keys.rsa.publicKey, algorithms: ["PS256"] })).toThrow(
      /bound to RSASSA-PKCS1-v1_5/,
    );
    expect(setup({ publicKey: { ...keys.rsa.jwk, alg: "RS256" }, algorithms: ["RS256", "PS256"] })).toThrow(
      /cannot verify PS256 \(its "alg" is RS256\)/,
    );
    expect(setup({ publicKey: { ...keys.rsa.jwk, use: "enc" }, algorithms: ["RS256"] })).toThrow(/use "enc"/);
    expect(setup({ publicKey: { ...keys.rsa.jwk, key_ops: ["encrypt"] }, algorithms: ["RS256"] })).toThrow(
      /key_ops lack "verify"/,
    );
  });

  it("refuses RSA keys under 2048 bits, which jose would refuse at every verification", async () => {
    const weak = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    );
    const pem = await exportSPKI(weak.publicKey);
    expect(setup({ publicKey: pem, algorithms: ["RS256"] })).toThrow(/modulus has 1024 bits \(< 2048\)/);
    expect(setup({ publicKey: await exportJWK(weak.publicKey), algorithms: ["RS256"] })).toThrow(/1024 bits/);
    expect(setup({ publicKey: weak.publicKey, algorithms: ["RS256"] })).toThrow(/1024 bits/);
  });

  it("refuses a PEM whose body is not a well-formed SPKI, and Ed448 keys jose cannot use", async () => {
    expect(
      setup({
        publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        algorithms: ["RS256"],
      }),
    ).toThrow(/publicKey is not a well-formed PEM SPKI public key/);
    const ed448 = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00, ...new Uint8Array(57)))}\n-----END PUBLIC KEY-----`;
    expect(setup({ publicKey: ed448, algorithms: ["EdDSA"] })).toThrow(
      /Ed448 PEM key and cannot verify EdDSA/,
    );
  });
});

describe("jwtAuth: an id-RSASSA-PSS PEM key", () => {
  it("is refused at setup for PS256, since WebCrypto cannot import it and every request would answer 500", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { publicKey } = generateKeyPairSync("rsa-pss", { modulusLength: 2048 });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => jwtAuth({ publicKey: pem, algorithms: ["PS256"] })).toThrow(
      /cannot verify PS256 \(it is an id-RSASSA-PSS PEM, which WebCrypto cannot import; re-export it as an rsaEncryption RSA key/,
    );
  });
});
