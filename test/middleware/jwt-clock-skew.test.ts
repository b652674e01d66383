import { type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jwtAuth } from "../../middleware/auth/index.js";
import { SECRET, sign, appWith, get, bearer, base, expectInvalidToken, hmac } from "./support/auth.js";

describe("jwtAuth: exp and nbf with clock skew, at the boundary", () => {
  const NOW = 1_900_000_000;
  const app = (clockToleranceSeconds?: number) =>
    appWith(
      jwtAuth({
        secret: SECRET,
        algorithms: ["HS256"],
        ...base,
        ...(clockToleranceSeconds !== undefined && { clockToleranceSeconds }),
      }),
    );
  const at = (claims: JWTPayload) => sign(hmac, "HS256", { iat: NOW - 60, ...claims });

  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW * 1000);
  });
  afterAll(() => vi.useRealTimers());

  it("accepts a token expired 29 s ago and rejects one expired 30 s ago (default 30 s skew)", async () => {
    expect((await get(app(), bearer(await at({ exp: NOW - 29 })))).status).toBe(200);
    await expectInvalidToken(await get(app(), bearer(await at({ exp: NOW - 30 }))));
  });

  it("accepts nbf 30 s ahead and rejects nbf 31 s ahead", async () => {
    expect((await get(app(), bearer(await at({ nbf: NOW + 30, exp: NOW + 600 })))).status).toBe(200);
    await expectInvalidToken(await get(app(), bearer(await at({ nbf: NOW + 31, exp: NOW + 600 }))));
  });

  it("applies a configured skew exactly (0 s and 300 s)", async () => {
    await expectInvalidToken(await get(app(0), bearer(await at({ exp: NOW }))));
    expect((await get(app(0), bearer(await at({ exp: NOW + 1 })))).status).toBe(200);
    expect((await get(app(300), bearer(await at({ exp: NOW - 299 })))).status).toBe(200);
    await expectInvalidToken(await get(app(300), bearer(await at({ exp: NOW - 300 }))));
  });
});
