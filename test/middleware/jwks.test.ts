import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jwtAuth } from "../../middleware/auth/index.js";
import { sign, appWith, get, bearer, base, expectInvalidToken } from "./support/auth.js";

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
