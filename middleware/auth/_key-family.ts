import type { JWK } from "jose";
import type { JwtAlgorithm } from "./jwt-keys.js";

/**
 * @internal What a verification key can do, read synchronously at setup from a PEM, a JWK or a CryptoKey:
 * its type (`RSA` for rsaEncryption, `RSA-PSS` for a key restricted to PSS, `EC`, `OKP`), its curve, its RSA
 * modulus size, and for CryptoKeys the WebCrypto algorithm and hash it is bound to.
 */
export interface KeyFamily {
  kind: "RSA" | "RSA-PSS" | "EC" | "OKP" | "unsupported";
  /** How the key is named in error messages: `"an RSA PEM key"`, `"a P-384 EC JWK"`. */
  label: string;
  curve?: string | undefined;
  rsaBits?: number | undefined;
  /** WebCrypto binding of a CryptoKey: algorithm name and hash (RS/PS) or curve (ES). */
  crypto?: { name: string; hash?: string | undefined } | undefined;
  /** A JWK's own `alg`, when it names one. */
  alg?: string | undefined;
}

// DER encodings of the OIDs an SPKI AlgorithmIdentifier can carry (RFC 8017, RFC 5480, RFC 8410).
const OID: Record<string, { kind: KeyFamily["kind"]; curve?: string }> = {
  "2a864886f70d010101": { kind: "RSA" }, // rsaEncryption
  "2a864886f70d01010a": { kind: "RSA-PSS" }, // id-RSASSA-PSS
  "2a8648ce3d0201": { kind: "EC" }, // id-ecPublicKey; the curve follows
  "2b6570": { kind: "OKP", curve: "Ed25519" },
  "2b6571": { kind: "OKP", curve: "Ed448" },
};
const CURVE: Record<string, string> = {
  "2a8648ce3d030107": "P-256",
  "2b81040022": "P-384",
  "2b81040023": "P-521",
  "2b8104000a": "secp256k1",
};

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** A minimal DER reader: enough of X.690 to walk an SPKI. Throws on anything out of bounds. */
class Der {
  constructor(
    private readonly bytes: Uint8Array,
    private at = 0,
  ) {}
  get done() {
    return this.at >= this.bytes.length;
  }
  peek() {
    return this.bytes[this.at];
  }
  read(tag: number): Der {
    if (this.bytes[this.at++] !== tag) throw new Error("unexpected DER tag");
    let length = this.bytes[this.at++] ?? 0;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw new Error("unsupported DER length");
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (this.bytes[this.at++] ?? 0);
    }
    const end = this.at + length;
    if (end > this.bytes.length) throw new Error("truncated DER");
    const inner = new Der(this.bytes.subarray(this.at, end));
    this.at = end;
    return inner;
  }
  rest(): Uint8Array {
    return this.bytes.subarray(this.at);
  }
}

const bitLength = (unsigned: Uint8Array): number => {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  if (i === unsigned.length) return 0;
  return (unsigned.length - i) * 8 - (Math.clz32(unsigned[i] ?? 0) - 24);
};

const fromBase64 = (text: string): Uint8Array =>
  Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));

/** @internal The family of a PEM SPKI public key, or `undefined` when the PEM is not a well-formed SPKI. */
export function pemFamily(pem: string): KeyFamily | undefined {
  const body = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem)?.[1];
  if (body === undefined) return undefined;
  try {
    const spki = new Der(fromBase64(body.replace(/\s+/g, ""))).read(0x30);
    const algorithm = spki.read(0x30);
    const known = OID[hex(algorithm.read(0x06).rest())];
    const key = spki.read(0x03).rest().subarray(1); // BIT STRING: skip the unused-bits count
    if (!known) return { kind: "unsupported", label: "a PEM key of an unsupported type" };
    if (known.kind === "EC") {
      const curve = algorithm.peek() === 0x06 ? CURVE[hex(algorithm.read(0x06).rest())] : undefined;
      return { kind: "EC", curve, label: `a ${curve ?? "unknown-curve"} EC PEM key` };
    }
    if (known.kind === "OKP") return { kind: "OKP", curve: known.curve, label: `an ${known.curve} PEM key` };
    const rsaBits = bitLength(new Der(key).read(0x30).read(0x02).rest());
    const label = known.kind === "RSA" ? "an RSA PEM key" : "an RSA-PSS PEM key";
    return { kind: known.kind, rsaBits, label };
  } catch {
    return undefined;
  }
}

/** @internal The family of a public JWK. */
export function jwkFamily(jwk: JWK): KeyFamily {
  const alg = typeof jwk.alg === "string" ? jwk.alg : undefined;
  if (jwk.kty === "RSA") {
    let rsaBits: number | undefined;
    try {
      rsaBits = typeof jwk.n === "string" ? bitLength(fromBase64(jwk.n)) : undefined;
    } catch {
      rsaBits = undefined;
    }
    return { kind: "RSA", rsaBits, alg, label: "an RSA JWK" };
  }
  if (jwk.kty === "EC" || jwk.kty === "OKP") {
    return {
      kind: jwk.kty === "EC" ? "EC" : "OKP",
      curve: jwk.crv,
      alg,
      label: `a ${jwk.crv ?? "curve-less"} ${jwk.kty} JWK`,
    };
  }
  return { kind: "unsupported", alg, label: `a ${jwk.kty} JWK` };
}

/** @internal The family of a public CryptoKey, with the algorithm and hash WebCrypto bound it to. */
export function cryptoKeyFamily(key: CryptoKey): KeyFamily {
  // Structural, since the DOM and Workers type libraries name WebCrypto's algorithm types differently.
  const algorithm = key.algorithm as {
    name: string;
    hash?: { name?: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  const name = algorithm.name;
  const crypto = { name, hash: algorithm.hash?.name };
  const label = `${/^[AEIOR]/.test(name) ? "an" : "a"} ${name} key`;
  if (name === "RSASSA-PKCS1-v1_5" || name === "RSA-PSS")
    return { kind: name === "RSA-PSS" ? "RSA-PSS" : "RSA", rsaBits: algorithm.modulusLength, crypto, label };
  if (name === "ECDSA") return { kind: "EC", curve: algorithm.namedCurve, crypto, label };
  if (name === "Ed25519") return { kind: "OKP", curve: "Ed25519", crypto, label };
  return { kind: "unsupported", crypto, label };
}

const CURVE_OF: Partial<Record<JwtAlgorithm, string>> = {
  ES256: "P-256",
  ES384: "P-384",
  ES512: "P-521",
  EdDSA: "Ed25519",
  Ed25519: "Ed25519",
};

/**
 * @internal Why `key` cannot verify `alg`, or `undefined` when it can. Mirrors what jose checks at verification
 * time (key type, curve, a CryptoKey's bound algorithm and hash, RSA ≥ 2048 bits, a JWK's own `alg`), so none of
 * those checks can fail later because of the `alg` a token picked.
 */
export function mismatch(key: KeyFamily, alg: JwtAlgorithm): string | undefined {
  if (key.alg !== undefined && key.alg !== alg) return `its "alg" is ${key.alg}`;
  const family = alg.slice(0, 2);
  if (family === "RS" || family === "PS") {
    const pss = family === "PS";
    if (key.kind !== "RSA" && !(pss && key.kind === "RSA-PSS")) return "it is not an RSA key";
    if (key.kind === "RSA-PSS" && !pss) return "it is restricted to RSA-PSS";
    // WebCrypto imports an SPKI key for RSA-PSS only when it is a plain rsaEncryption key: an id-RSASSA-PSS PEM
    // would pass here and then fail every request. Refuse it now, at setup.
    if (key.kind === "RSA-PSS" && !key.crypto)
      return "it is an id-RSASSA-PSS PEM, which WebCrypto cannot import; re-export it as an rsaEncryption RSA key (-----BEGIN PUBLIC KEY----- from `openssl rsa -pubout`)";
    if (key.crypto) {
      const name = pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5";
      if (key.crypto.name !== name) return `it is bound to ${key.crypto.name}`;
      if (key.crypto.hash !== `SHA-${alg.slice(2)}`) return `it is bound to ${key.crypto.hash ?? "no hash"}`;
    }
    if (key.rsaBits !== undefined && key.rsaBits < 2048)
      return `its modulus has ${key.rsaBits} bits (< 2048)`;
    return undefined;
  }
  const curve = CURVE_OF[alg];
  const kind = family === "ES" ? "EC" : "OKP";
  if (key.kind !== kind) return `it is not ${kind === "EC" ? "an EC" : "an Ed25519"} key`;
  if (key.curve !== curve) return `its curve is ${key.curve ?? "unknown"}, not ${curve}`;
  return undefined;
}
