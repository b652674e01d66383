import type { StandardSchemaV1 } from "@standard-schema/spec";
import { Hono } from "hono";
import { hc } from "hono/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { validate } from "../../middleware/validate/index.js";

const Order = z.object({
  customer: z.string().min(1),
  items: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })).min(1),
});

type Requester = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

const postJson = (app: Requester, path: string, body: unknown, contentType = "application/json") =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const problemOf = async (res: Response) => {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as {
    type: string;
    title: string;
    status: number;
    detail?: string;
    errors?: unknown;
  };
};

describe("validate: JSON bodies", () => {
  const app = new Hono();
  app.post("/orders", validate("json", Order), (c) => {
    const order = c.req.valid("json");
    expectTypeOf(order).toEqualTypeOf<{ customer: string; items: { sku: string; qty: number }[] }>();
    return c.json({ lines: order.items.length }, 201);
  });

  it("passes the parsed value to the handler as c.req.valid('json')", async () => {
    const res = await postJson(app, "/orders", { customer: "ada", items: [{ sku: "A1", qty: 2 }] });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ lines: 1 });
  });

  it("accepts +json media types and charset parameters", async () => {
    const body = { customer: "ada", items: [{ sku: "A1", qty: 1 }] };
    expect((await postJson(app, "/orders", body, "application/vnd.api+json")).status).toBe(201);
    expect((await postJson(app, "/orders", body, "application/json; charset=utf-8")).status).toBe(201);
  });

  it("answers 422 listing every failing field with a dotted path", async () => {
    const res = await postJson(app, "/orders", {
      customer: "",
      items: [
        { sku: "A1", qty: 0 },
        { sku: 7, qty: 1.5 },
      ],
    });
    expect(res.status).toBe(422);
    const body = await problemOf(res);
    expect(body).toMatchObject({ type: "about:blank", title: "Unprocessable Content", status: 422 });
    expect(body.detail).toMatch(/JSON body/);
    const errors = body.errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual([
      "customer",
      "items.0.qty",
      "items.1.qty",
      "items.1.sku",
    ]);
    for (const e of errors) expect(e.message).toEqual(expect.any(String));
  });

  it("reports a root-level failure with an empty path", async () => {
    const res = await postJson(app, "/orders", [1, 2]);
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ path: "", message: expect.any(String) }]);
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await postJson(app, "/orders", '{"customer": "ada", ');
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({
      title: "Bad Request",
      status: 400,
      detail: "The JSON body is malformed",
    });
  });

  it("answers 400 for an empty body", async () => {
    expect((await postJson(app, "/orders", "")).status).toBe(400);
  });

  it("answers 400 for a body that is not declared as JSON, instead of validating `{}`", async () => {
    const res = await postJson(app, "/orders", { customer: "ada", items: [] }, "text/plain");
    expect(res.status).toBe(400);
    expect((await problemOf(res)).detail).toMatch(/Content-Type: application\/json/);
    const none = await app.request("/orders", { method: "POST", body: "{}" });
    expect(none.status).toBe(400);
  });

  it("leaves errors thrown by the handler alone", async () => {
    const app2 = new Hono();
    app2.post("/x", validate("json", z.object({})), () => {
      throw new Error("handler bug");
    });
    app2.onError((err, c) => c.text(err.message, 500));
    const res = await postJson(app2, "/x", {});
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("handler bug");
  });
});

describe("validate: query strings (arrays only where the schema wants them)", () => {
  const app = new Hono();
  const Search = z.object({
    q: z.string(),
    tag: z.array(z.string()).optional(),
    page: z.coerce.number().int().min(1).default(1),
  });
  app.get("/search", validate("query", Search), (c) => c.json(c.req.valid("query")));

  it("gives a single value as a string and coerces as the schema says", async () => {
    const res = await app.request("/search?q=boots&page=2");
    expect(await res.json()).toEqual({ q: "boots", page: 2 });
  });

  it("wraps a value sent once in an array when the schema wants an array", async () => {
    const res = await app.request("/search?q=boots&tag=red");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ q: "boots", tag: ["red"], page: 1 });
  });

  it("gives a value sent several times as an array", async () => {
    const res = await app.request("/search?q=boots&tag=red&tag=blue");
    expect(await res.json()).toEqual({ q: "boots", tag: ["red", "blue"], page: 1 });
  });

  it("rejects a repeated key whose schema wants one value, rather than picking one", async () => {
    const res = await app.request("/search?q=boots&q=shoes");
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ path: "q", message: expect.any(String) }]);
  });

  it("reports the original errors of keys that wrapping did not fix, and keeps the wrap that helped", async () => {
    const res = await app.request("/search?tag=red&page=zero");
    expect(res.status).toBe(422);
    const errors = (await problemOf(res)).errors as { path: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(["page", "q"]);
  });
});

describe("validate: other targets", () => {
  it("validates path parameters", async () => {
    const app = new Hono();
    app.get("/users/:id", validate("param", z.object({ id: z.uuid() })), (c) =>
      c.text(c.req.valid("param").id),
    );
    expect((await app.request("/users/7d3c1b9e-1f5a-4b8e-9c2d-3a4b5c6d7e8f")).status).toBe(200);
    const res = await app.request("/users/42");
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ path: "id", message: expect.any(String) }]);
  });

  it("validates headers by their lower-case names", async () => {
    const app = new Hono();
    app.get("/", validate("header", z.object({ "x-tenant": z.string().regex(/^t_\w+$/) })), (c) =>
      c.text(c.req.valid("header")["x-tenant"]),
    );
    expect(await (await app.request("/", { headers: { "X-Tenant": "t_acme" } })).text()).toBe("t_acme");
    expect((await app.request("/", { headers: { "X-Tenant": "acme" } })).status).toBe(422);
    expect((await app.request("/")).status).toBe(422);
  });

  it("validates cookies", async () => {
    const app = new Hono();
    app.get("/", validate("cookie", z.object({ session: z.string().length(8) })), (c) =>
      c.text(c.req.valid("cookie").session),
    );
    expect(await (await app.request("/", { headers: { cookie: "session=abcdefgh; other=1" } })).text()).toBe(
      "abcdefgh",
    );
    expect((await app.request("/", { headers: { cookie: "session=short" } })).status).toBe(422);
  });

  it("validates url-encoded and multipart forms, with the same array rule", async () => {
    const app = new Hono();
    const Form = z.object({ name: z.string(), colour: z.array(z.string()) });
    app.post("/", validate("form", Form), (c) => c.json(c.req.valid("form")));
    const urlencoded = await app.request("/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=ada&colour=red",
    });
    expect(await urlencoded.json()).toEqual({ name: "ada", colour: ["red"] });
    const multipart = new FormData();
    multipart.append("name", "ada");
    multipart.append("colour", "red");
    multipart.append("colour", "blue");
    const res = await app.request("/", { method: "POST", body: multipart });
    expect(await res.json()).toEqual({ name: "ada", colour: ["red", "blue"] });
  });

  it("answers 400 for a form body with the wrong content type or malformed multipart", async () => {
    const app = new Hono();
    app.post("/", validate("form", z.object({ name: z.string() })), (c) => c.text("ok"));
    const json = await postJson(app, "/", { name: "ada" });
    expect(json.status).toBe(400);
    const broken = await app.request("/", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "--xyz\r\nnot a part",
    });
    expect(broken.status).toBe(400);
    expect(await problemOf(broken)).toMatchObject({ detail: "The form body is malformed" });
  });
});

describe("validate: any Standard Schema library", () => {
  // A hand-written Standard Schema v1 with async validation and PathSegment objects, like valibot or arktype.
  const evenNumber: StandardSchemaV1<unknown, { n: number }> = {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: async (value) => {
        const n = (value as { n?: unknown } | null)?.n;
        return typeof n === "number" && n % 2 === 0
          ? { value: { n } }
          : { issues: [{ message: "must be even", path: [{ key: "n" }] }] };
      },
    },
  };

  it("validates with the ~standard interface and types the result", async () => {
    const app = new Hono();
    app.post("/", validate("json", evenNumber), (c) => {
      expectTypeOf(c.req.valid("json")).toEqualTypeOf<{ n: number }>();
      return c.json(c.req.valid("json"));
    });
    expect(await (await postJson(app, "/", { n: 4 })).json()).toEqual({ n: 4 });
    const res = await postJson(app, "/", { n: 3 });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([{ path: "n", message: "must be even" }]);
  });

  it("throws at setup for a schema that is not a Standard Schema, or an unknown target", () => {
    expect(() => validate("json", {} as StandardSchemaV1)).toThrow(/\[skiff\] validate\("json"\): schema/);
    expect(() => validate("body" as "json", Order)).toThrow(/\[skiff\] validate: target "body"/);
  });
});

describe("validate: types for Hono's RPC client", () => {
  it("types the client's input from the schema's input", () => {
    const routes = new Hono()
      .post("/orders", validate("json", Order), (c) => c.json({ ok: true }))
      .get("/search", validate("query", z.object({ q: z.string(), sort: z.enum(["asc", "desc"]) })), (c) =>
        c.json({ ok: true }),
      );
    const client = hc<typeof routes>("http://localhost");
    type OrderArgs = Parameters<typeof client.orders.$post>[0];
    expectTypeOf<OrderArgs["json"]>().toEqualTypeOf<z.input<typeof Order>>();
    type SearchArgs = Parameters<typeof client.search.$get>[0];
    expectTypeOf<SearchArgs["query"]["sort"]>().toEqualTypeOf<"asc" | "desc">();
  });

  it("works on an app with its own Bindings and Variables", async () => {
    const app = new Hono<{ Bindings: { REGION: string }; Variables: { user: string } }>();
    app.use(async (c, next) => {
      c.set("user", "ada");
      await next();
    });
    app.post("/", validate("json", z.object({ n: z.number() })), (c) =>
      c.text(`${c.var.user}:${c.req.valid("json").n}`),
    );
    expect(await (await postJson(app, "/", { n: 1 })).text()).toBe("ada:1");
  });
});
