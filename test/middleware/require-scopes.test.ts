import { describe, expect, it } from "vitest";
import { apiKeyAuth, hashApiKey, jwtAuth, requireScopes } from "../../middleware/auth/index.js";
import { SECRET, sign, appWith, get, bearer, expectRejected, hmac } from "./support/auth.js";

describe("scopes", () => {
  it("answers 403 insufficient_scope when jwtAuth's requiredScopes are missing", async () => {
    const app = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"], requiredScopes: ["orders:write"] }));
    const res = await get(app, bearer(await sign(hmac, "HS256", { scope: "orders:read" })));
    const body = await expectRejected(
      res,
      403,
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="orders:write"',
    );
    expect(body.title).toBe("Forbidden");
    expect(
      (await get(app, bearer(await sign(hmac, "HS256", { scope: "orders:read orders:write" })))).status,
    ).toBe(200);
  });

  it("requireScopes() checks a JWT principal's scope and scp claims", async () => {
    const app = appWith(jwtAuth({ secret: SECRET, algorithms: ["HS256"] }), requireScopes("a", "b"));
    expect((await get(app, bearer(await sign(hmac, "HS256", { scope: "a", scp: "b" })))).status).toBe(200);
    expect((await get(app, bearer(await sign(hmac, "HS256", { scope: "a" })))).status).toBe(403);
  });

  it("requireScopes() challenges with the scheme that authenticated the caller", async () => {
    const key = "sk_test_123";
    const app = appWith(
      apiKeyAuth({ keys: [{ id: "cron", hash: await hashApiKey(key), scopes: ["reports:read"] }] }),
      requireScopes("reports:write"),
    );
    const res = await get(app, { "x-api-key": key });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toMatch(
      /^ApiKey realm="api", error="insufficient_scope".*scope="reports:write"$/,
    );
  });

  it("requireScopes() without an auth middleware fails closed with a [skiff] 500", async () => {
    const app = appWith(requireScopes("a"));
    let message = "";
    app.onError((err, c) => ((message = err.message), c.text("error", 500)));
    expect((await get(app)).status).toBe(500);
    expect(message).toMatch(/^\[skiff\] requireScopes/);
  });
});
