import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { apiKeyAuth, hashApiKey } from "../../middleware/auth/index.js";
import { appWith, get, expectRejected } from "./support/auth.js";

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

  it("keeps the keys per env: one app served with two envs in one process checks each against its own", async () => {
    const { app, reads } = build();
    const first = { KEY_HASH: sha256("k-1") };
    const second = { KEY_HASH: sha256("k-2") };
    expect((await app.request("/", { headers: { "x-api-key": "k-1" } }, first)).status).toBe(200);
    expect((await app.request("/", { headers: { "x-api-key": "k-2" } }, second)).status).toBe(200);
    expect((await app.request("/", { headers: { "x-api-key": "k-1" } }, second)).status).toBe(401);
    // An env derived per request from a fixed one (as serve() does on Node) shares the fixed one's keys.
    const perRequest = Object.assign(Object.create(first) as Record<string, unknown>, { incoming: {} });
    expect((await app.request("/", { headers: { "x-api-key": "k-1" } }, perRequest)).status).toBe(200);
    expect(reads()).toBe(2);
  });

  it("fails closed with a configuration error when the env has no keys", async () => {
    const { app } = build();
    const res = await app.request("/", { headers: { "x-api-key": "k-1" } }, {});
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("keys must be a non-empty array");
  });
});
