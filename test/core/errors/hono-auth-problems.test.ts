import { describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { copies, SECRET, problemOf } from "./support/hono-copies.js";

describe.each(copies)(
  "Hono's auth middleware from $name answers 401 problems with WWW-Authenticate",
  (hono) => {
    const app = new Skiff();
    app.use("/bearer/*", hono.bearerAuth({ token: "s3cret", realm: "orders" }));
    app.get("/bearer/me", (c) => c.text("bearer ok"));
    app.use("/basic/*", hono.basicAuth({ username: "ada", password: "lovelace" }));
    app.get("/basic/me", (c) => c.text("basic ok"));
    app.use("/jwt/*", hono.jwt({ secret: SECRET, alg: "HS256" }));
    app.get("/jwt/me", (c) => c.json(c.get("jwtPayload")));

    it("bearerAuth: no token, a wrong token, the right token", async () => {
      const missing = await app.request("/bearer/me");
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="orders"');
      expect(await problemOf(missing)).toEqual({ type: "about:blank", title: "Unauthorized", status: 401 });

      const wrong = await app.request("/bearer/me", { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      await problemOf(wrong);

      const malformed = await app.request("/bearer/me", { headers: { authorization: "Basic x y" } });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get("www-authenticate")).toBe('Bearer error="invalid_request"');
      await problemOf(malformed);

      const ok = await app.request("/bearer/me", { headers: { authorization: "Bearer s3cret" } });
      expect(await ok.text()).toBe("bearer ok");
    });

    it("basicAuth: no credentials, the right credentials", async () => {
      const missing = await app.request("/basic/me");
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe('Basic realm="Secure Area"');
      expect(await problemOf(missing)).toEqual({ type: "about:blank", title: "Unauthorized", status: 401 });

      const ok = await app.request("/basic/me", {
        headers: { authorization: `Basic ${btoa("ada:lovelace")}` },
      });
      expect(await ok.text()).toBe("basic ok");
    });

    it("jwt: no token (its message as detail), a bad token, a good one", async () => {
      const missing = await app.request("/jwt/me");
      expect(missing.status).toBe(401);
      expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer realm=".*",error="invalid_request"/);
      expect(await problemOf(missing)).toEqual({
        type: "about:blank",
        title: "Unauthorized",
        status: 401,
        detail: "no authorization included in request",
      });

      const bad = await app.request("/jwt/me", { headers: { authorization: "Bearer a.b.c" } });
      expect(bad.status).toBe(401);
      expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
      await problemOf(bad);

      const token = await hono.sign({ sub: "ada" }, SECRET, "HS256");
      const ok = await app.request("/jwt/me", { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ sub: "ada" });
    });
  },
);
