import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { ProblemError, Skiff } from "skiff";
import { problemOf } from "./support/hono-copies.js";

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
