import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import { jwt, sign } from "hono/jwt";
import { Hono as Hono412 } from "hono-4-12";
import { basicAuth as basicAuth412 } from "hono-4-12/basic-auth";
import { bearerAuth as bearerAuth412 } from "hono-4-12/bearer-auth";
import { HTTPException as HTTPException412 } from "hono-4-12/http-exception";
import { jwt as jwt412, sign as sign412 } from "hono-4-12/jwt";
import { describe, expect, it, vi } from "vitest";
import { ProblemError, Skiff, createLogger, onError, type LogRecord } from "skiff";
import { mountWithParentErrors } from "../../src/problem.js";

// skiff is built on `hono`; `hono-4-12` is a second copy (another version), as a user's own Hono can be. The two
// are distinct types to TypeScript (private fields); the tests are about run time, so the second is typed as the first.
interface HonoCopy {
  name: string;
  Hono: typeof Hono;
  HTTPException: typeof HTTPException;
  bearerAuth: typeof bearerAuth;
  basicAuth: typeof basicAuth;
  jwt: typeof jwt;
  sign: typeof sign;
}
const copies: HonoCopy[] = [
  { name: "skiff's own Hono", Hono, HTTPException, bearerAuth, basicAuth, jwt, sign },
  {
    name: "a second copy of Hono (4.12)",
    Hono: Hono412 as unknown as typeof Hono,
    HTTPException: HTTPException412 as unknown as typeof HTTPException,
    bearerAuth: bearerAuth412 as unknown as typeof bearerAuth,
    basicAuth: basicAuth412 as unknown as typeof basicAuth,
    jwt: jwt412 as unknown as typeof jwt,
    sign: sign412 as unknown as typeof sign,
  },
];

const SECRET = "a-test-secret-of-32-characters!!";

async function problemOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as Record<string, unknown>;
}

describe.each(copies)("an HTTPException from $name becomes a problem", (hono) => {
  const app = new Skiff();
  app.get("/forbidden", () => {
    throw new hono.HTTPException(403, { message: "Not your order" });
  });
  app.get("/own-response", () => {
    const res = new Response("Slow down", { headers: { "Retry-After": "7", "X-Reason": "quota" } });
    throw new hono.HTTPException(429, { res });
  });
  app.get("/own-json", () => {
    const res = Response.json(
      { error: "quota", limit: 10, status: 200, type: 5 },
      { headers: { "Retry-After": "7" } },
    );
    throw new hono.HTTPException(429, { res });
  });
  app.get("/own-html", () => {
    const res = new Response("<h1>Stack trace at db.ts:12</h1>", {
      headers: { "content-type": "text/html" },
    });
    throw new hono.HTTPException(409, { res });
  });
  app.get("/unavailable", () => {
    throw new hono.HTTPException(503, {
      message: "pool exhausted at postgres://user:pw@db",
      res: new Response("postgres://user:pw@db", { headers: { "Retry-After": "30" } }),
    });
  });
  app.get("/redirect", (c) => {
    throw new hono.HTTPException(302, { res: c.redirect("/elsewhere") });
  });

  it("keeps the status and the message as detail", async () => {
    const res = await app.request("/forbidden");
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      detail: "Not your order",
    });
  });

  it("keeps the headers and status of its own response, its short text body as detail", async () => {
    const res = await app.request("/own-response");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("x-reason")).toBe("quota");
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: "Slow down",
    });
  });

  it("keeps a JSON body's members, never its status nor a type that is not a string", async () => {
    const res = await app.request("/own-json");
    expect(res.status).toBe(429);
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      error: "quota",
      limit: 10,
    });
  });

  it("drops a body that is not text or JSON", async () => {
    const body = await problemOf(await app.request("/own-html"));
    expect(body).toEqual({ type: "about:blank", title: "Conflict", status: 409 });
  });

  it("shows nothing of a 5xx but keeps its headers, and logs it", async () => {
    const records: LogRecord[] = [];
    const logged = new Skiff();
    logged.use(async (c, next) => {
      c.set("log", createLogger({ sink: (r) => records.push(r) }));
      await next();
    });
    logged.route("/", app);
    const res = await logged.request("/unavailable");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    const text = await res.text();
    expect(text).not.toContain("postgres");
    expect(JSON.parse(text)).toEqual({ type: "about:blank", title: "Service Unavailable", status: 503 });
    expect(records.map((r) => r.msg)).toContain("unhandled error");
  });

  it("answers a thrown redirect as it was built", async () => {
    const res = await app.request("/redirect");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/elsewhere");
  });
});

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

describe("skiff's own problems pass through unchanged", () => {
  it("keeps a ProblemError's extras and headers", async () => {
    const app = new Skiff();
    app.get("/", () => {
      throw new ProblemError(409, {
        detail: "taken",
        extras: { field: "email" },
        headers: { "X-Hint": "login" },
      });
    });
    const res = await app.request("/");
    expect(res.headers.get("x-hint")).toBe("login");
    expect(await problemOf(res)).toEqual({
      type: "about:blank",
      title: "Conflict",
      status: 409,
      detail: "taken",
      field: "email",
    });
  });

  it("keeps every Set-Cookie of an exception's own response", async () => {
    const app = new Skiff();
    app.get("/", () => {
      const res = new Response("bye", { status: 401 });
      res.headers.append("set-cookie", "a=; Max-Age=0");
      res.headers.append("set-cookie", "b=; Max-Age=0");
      throw new HTTPException(401, { res });
    });
    const res = await app.request("/");
    expect(res.headers.getSetCookie()).toEqual(["a=; Max-Age=0", "b=; Max-Age=0"]);
    expect(await problemOf(res)).toMatchObject({ status: 401, detail: "bye" });
  });

  it("reads at most a short body as detail", async () => {
    const app = new Skiff();
    app.get("/", () => {
      throw new HTTPException(400, { message: "too long to read", res: new Response("x".repeat(100_000)) });
    });
    const body = await problemOf(await app.request("/"));
    expect(body).toEqual({
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "too long to read",
    });
  });
});

describe.each(copies)("a sub-app of $name mounted with route()", (hono) => {
  const sub = new hono.Hono();
  sub.get("/ok", (c) => c.text("mounted"));
  sub.get("/denied", () => {
    throw new hono.HTTPException(401, {
      res: new Response("Unauthorized", { headers: { "WWW-Authenticate": 'Bearer realm="sub"' } }),
    });
  });
  sub.get("/crash", () => {
    throw new Error("secret at postgres://u:p@h");
  });
  const app = new Skiff().route("/x", sub);

  it("answers its routes", async () => {
    const res = await app.request("/x/ok");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("mounted");
  });

  it("answers its errors as problems through the app's error handler", async () => {
    const denied = await app.request("/x/denied");
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toBe('Bearer realm="sub"');
    await problemOf(denied);

    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const crash = await app.request("/x/crash");
      expect(crash.status).toBe(500);
      expect(await crash.text()).not.toContain("postgres");
    } finally {
      error.mockRestore();
    }
  });
});

// Skiff.route() is expected to mount with this helper; these pin it on its own, through Skiff's route().
describe("mountWithParentErrors", () => {
  const mount = (parent: Skiff, path: string, sub: object) =>
    mountWithParentErrors(parent, sub, (view) => parent.route(path, view as unknown as Hono));

  it("sends a foreign sub-app's errors to the parent's handler at request time, leaving the sub-app as it was", async () => {
    const sub = new Hono412();
    sub.get("/denied", () => {
      throw new HTTPException412(403, { message: "not yours" });
    });
    const before = (sub as unknown as { errorHandler: unknown }).errorHandler;
    const parent = new Skiff();
    mount(parent, "/x", sub);
    expect(await problemOf(await parent.request("/x/denied"))).toMatchObject({
      status: 403,
      detail: "not yours",
    });

    parent.onError((err, c) => c.json({ seen: err.message }, 418));
    const res = await parent.request("/x/denied");
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ seen: "not yours" });
    expect((sub as unknown as { errorHandler: unknown }).errorHandler).toBe(before);
    expect(await (await sub.request("/denied")).text()).toBe("not yours");
  });

  it("leaves a sub-app's own onError to it", async () => {
    const sub = new Hono412();
    sub.onError((_err, c) => c.text("sub's own", 400));
    sub.get("/", () => {
      throw new Error("boom");
    });
    const parent = new Skiff();
    mount(parent, "/x", sub);
    const res = await parent.request("/x");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("sub's own");
  });
});

describe("onError used on a plain Hono app", () => {
  it.each(copies)("turns $name's HTTPException into a problem", async (hono) => {
    const app = new hono.Hono();
    app.onError(onError);
    app.use(hono.bearerAuth({ token: "t" }));
    app.get("/", (c) => c.text("ok"));
    const res = await app.request("/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm=""');
    await problemOf(res);
  });
});
