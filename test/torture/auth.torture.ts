import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { jwtAuth } from "skiff/middleware";
import { tempDbUrl } from "../contract/node-driver.js";
import { AUDIENCE, ISSUER, attackKeys, attacks, goodClaims, type AttackKeys } from "./auth/tokens.js";
import { recordFigures } from "./figures.js";

// Bounded: 30 named attacks plus MUTATIONS random corruptions of a valid token, per key configuration.
const MUTATIONS = Number(process.env.SKIFF_TORTURE_MUTATIONS ?? 300);

let keys: AttackKeys;
let jwks: Server;
let server: SkiffServer;

beforeAll(async () => {
  keys = await attackKeys();
  jwks = createServer((_req, res) =>
    res.setHeader("content-type", "application/json").end(JSON.stringify(keys.jwks)),
  );
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
  const claims = { issuer: ISSUER, audience: AUDIENCE };
  const app = new Skiff();
  app.get("/hs", jwtAuth({ secret: keys.secret, algorithms: ["HS256"], ...claims }), (c) => c.text("ok"));
  app.get("/rs", jwtAuth({ publicKey: keys.rsaPem, algorithms: ["RS256"], ...claims }), (c) => c.text("ok"));
  app.get("/jwks", jwtAuth({ jwksUrl, algorithms: ["RS256", "ES256"], ...claims }), (c) => c.text("ok"));
  server = await serve(app, {
    port: 0,
    database: { url: tempDbUrl("torture-auth") },
    scheduler: false,
    queues: false,
    handleSignals: false,
  });
});
afterAll(async () => {
  await server?.close();
  jwks?.close();
});

// Not a b64token at all (RFC 6750 §2.1) is a malformed request, 400; a header past Node's 16 KiB limit is a 431.
// Every other attack is a well-formed token that must not verify: 401 with a Bearer challenge.
const EXPECTED: Record<string, number> = { "not base64url": 400, empty: 400, huge: 431 };

const get = (path: string, authorization: string) =>
  fetch(`${server.url}${path}`, { headers: authorization ? { authorization } : {} });

describe("auth attacks over HTTP", () => {
  for (const [path, alg] of [
    ["/hs", "HS256"],
    ["/rs", "RS256"],
    ["/jwks", "RS256"],
    ["/jwks", "ES256"],
  ] as const) {
    it(`${path} (${alg}): every forged, expired, mis-addressed or corrupted token is a 401, never a 500`, async () => {
      const control = await get(path, `Bearer ${await keys.sign(alg, goodClaims())}`);
      expect(control.status).toBe(200);
      const list = await attacks(keys, alg, MUTATIONS);
      const failures: string[] = [];
      for (let i = 0; i < list.length; i += 20) {
        const answers = await Promise.all(
          list.slice(i, i + 20).map(async ([name, token]) => {
            const res = await get(path, `Bearer ${token}`);
            const body = await res.text();
            const contentType = res.headers.get("content-type") ?? "";
            return {
              name,
              status: res.status,
              challenge: res.headers.get("www-authenticate"),
              contentType,
              body,
            };
          }),
        );
        for (const a of answers) {
          // A corruption of the signature's padding bits can leave the token valid: that is a 200 for a genuine token.
          if (a.status === 200 && a.name.startsWith("mutation")) continue;
          const expected = EXPECTED[a.name] ?? 401;
          const problem = a.contentType.startsWith("application/problem+json");
          if (a.status !== expected || !problem || (expected === 401 && !a.challenge?.startsWith("Bearer")))
            failures.push(`${a.name}: ${a.status} ${a.body.slice(0, 160)}`);
        }
      }
      recordFigures({
        suite: `jwt ${path} ${alg}`,
        tried: list.length,
        held: list.length - failures.length,
        lost: failures.length,
      });
      expect(failures).toEqual([]);
    });
  }

  it("answers malformed Authorization headers with a 4xx problem, never a 500", async () => {
    const headers = [
      "Bearer",
      "Bearer ",
      "bearer  x",
      "Basic dXNlcjpwYXNz",
      "Bearer a b c",
      "Token x",
      "Bearer \u00e9",
    ];
    const answers = await Promise.all(headers.map((h) => get("/hs", h).catch(() => undefined)));
    for (const res of answers) {
      if (!res) continue; // fetch itself refuses a header value outside Latin-1
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });
});
