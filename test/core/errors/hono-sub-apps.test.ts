import { Hono } from "hono";
import { Hono as Hono412 } from "hono-4-12";
import { HTTPException as HTTPException412 } from "hono-4-12/http-exception";
import { describe, expect, it, vi } from "vitest";
import { Skiff } from "skiff";
import { mountWithParentErrors } from "../../../src/problem.js";
import { copies, problemOf } from "./support/hono-copies.js";

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
