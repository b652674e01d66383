import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Skiff } from "skiff";
import { toCloudflare } from "skiff/cloudflare";
import { bodyLimit, jwtAuth, rateLimit, requestId, validate } from "skiff/middleware";
import { describe, expect, it } from "vitest";
import { z } from "zod";

// The middleware library inside workerd, through toCloudflare: the same behaviour the Node tests prove, on the
// Workers runtime's own WebCrypto, streams and KV.
const SECRET = "a-workers-hs256-secret-of-32-bytes!!";
const es256 = await generateKeyPair("ES256", { extractable: true });
const rs256 = await generateKeyPair("RS256", { extractable: true });

const app = new Skiff();
app.use("*", requestId());
app.get("/hs", jwtAuth({ secret: SECRET, algorithms: ["HS256"], issuer: "https://issuer.test/" }), (c) =>
  c.json({ sub: c.var.principal.subject }),
);
app.get("/es", jwtAuth({ publicKey: await exportJWK(es256.publicKey), algorithms: ["ES256"] }), (c) =>
  c.json({ sub: c.var.principal.subject }),
);
app.get("/rs", jwtAuth({ publicKey: await exportJWK(rs256.publicKey), algorithms: ["RS256"] }), (c) =>
  c.json({ sub: c.var.principal.subject }),
);
app.post("/upload", bodyLimit({ maxBytes: 1024 }), async (c) =>
  c.json({ bytes: (await c.req.arrayBuffer()).byteLength }),
);
app.post("/items", validate("json", z.object({ qty: z.number().int().positive() })), (c) =>
  c.json(c.req.valid("json")),
);
app.get(
  "/limited",
  rateLimit({
    limit: 2,
    windowSeconds: 60,
    key: () => "one-client",
    store: "kv",
    name: `w-${crypto.randomUUID()}`,
  }),
  (c) => c.text("ok"),
);
const worker = toCloudflare(app);

async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://mw.test${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const sign = (alg: string, key: CryptoKey | Uint8Array, claims: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject("user-1").setExpirationTime("5m").sign(key);

describe("middleware inside workerd", () => {
  it("verifies HS256, ES256 and RS256 tokens and rejects algorithm confusion and alg none", async () => {
    const hs = await sign("HS256", new TextEncoder().encode(SECRET), { iss: "https://issuer.test/" });
    expect(await (await call("/hs", { headers: { authorization: `Bearer ${hs}` } })).json()).toEqual({
      sub: "user-1",
    });
    const es = await sign("ES256", es256.privateKey);
    expect((await call("/es", { headers: { authorization: `Bearer ${es}` } })).status).toBe(200);
    const rs = await sign("RS256", rs256.privateKey);
    expect((await call("/rs", { headers: { authorization: `Bearer ${rs}` } })).status).toBe(200);

    const confused = await sign(
      "HS256",
      new TextEncoder().encode(JSON.stringify(await exportJWK(rs256.publicKey))),
    );
    const rejected = await call("/rs", { headers: { authorization: `Bearer ${confused}` } });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const b64url = (v: unknown) =>
      btoa(JSON.stringify(v)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
    const none = `${b64url({ alg: "none" })}.${b64url({ sub: "x", exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    expect((await call("/hs", { headers: { authorization: `Bearer ${none}` } })).status).toBe(401);
  });

  it("answers 413 to a chunked body over the limit without reading it all", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 64) return controller.close();
        controller.enqueue(new Uint8Array(256));
      },
    });
    const res = await call("/upload", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(pulled).toBeLessThan(64);
    expect(await (await call("/upload", { method: "POST", body: new Uint8Array(1024) })).json()).toEqual({
      bytes: 1024,
    });
  });

  it("validates bodies with 400 for malformed JSON and 422 for invalid fields, and echoes request ids", async () => {
    const json = { "content-type": "application/json" };
    expect((await call("/items", { method: "POST", headers: json, body: "{nope" })).status).toBe(400);
    const invalid = await call("/items", { method: "POST", headers: json, body: JSON.stringify({ qty: 0 }) });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(
      ["qty"],
    );
    expect(invalid.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const traced = await call("/items", {
      method: "POST",
      headers: { ...json, "x-request-id": "trace-1" },
      body: '{"qty":1}',
    });
    expect(traced.headers.get("x-request-id")).toBe("trace-1");
  });

  it("rate limits on Workers KV with RateLimit headers and a 429 problem", async () => {
    expect((await call("/limited")).headers.get("ratelimit-remaining")).toBe("1");
    expect((await call("/limited")).status).toBe(200);
    const limited = await call("/limited");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
