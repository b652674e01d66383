import type { StandardSchemaV1 } from "@standard-schema/spec";
import { Hono } from "hono";
import { Skiff } from "skiff";
import { describeRoute, openApiDocument, openapi, responds, validate } from "skiff/middleware";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { openApiPaths } from "../../src/openapi/paths.js";
import { expectValidOpenApi } from "./support.js";

type Op = {
  operationId: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { $ref?: string; description?: string; content?: Record<string, { schema: Record<string, unknown> }> }
  >;
};
const opOf = (doc: ReturnType<typeof openApiDocument>, path: string, method: string) =>
  doc.paths[path]?.[method] as Op;
const ok = (c: { json: (v: unknown) => Response }) => c.json({});

// A Standard Schema from a library without a JSON Schema export.
const opaque: StandardSchemaV1<unknown> = {
  "~standard": { version: 1, vendor: "acme", validate: (value) => ({ value }) },
};

describe("OpenAPI paths from Hono paths", () => {
  it("turns :params into {params}, keeps regex params as patterns, splits optional ones and skips wildcards", () => {
    expect(openApiPaths("/posts/:id/comments/:cid")).toEqual([
      { path: "/posts/{id}/comments/{cid}", params: [{ name: "id" }, { name: "cid" }] },
    ]);
    expect(openApiPaths("/files/:name{[a-z]+\\.png}")).toEqual([
      { path: "/files/{name}", params: [{ name: "name", pattern: "^(?:[a-z]+\\.png)$" }] },
    ]);
    expect(openApiPaths("/years/:y{\\d{4}}")).toEqual([
      { path: "/years/{y}", params: [{ name: "y", pattern: "^(?:\\d{4})$" }] },
    ]);
    expect(openApiPaths("/animals/:kind?")).toEqual([
      { path: "/animals", params: [] },
      { path: "/animals/{kind}", params: [{ name: "kind" }] },
    ]);
    expect(openApiPaths("/static/*")).toEqual([]);
    expect(openApiPaths("/")).toEqual([{ path: "/", params: [] }]);
  });
});

describe("openApiDocument", () => {
  it("reads basePath and route() mounts, path validators and regex params, and leaves out what OpenAPI cannot say", async () => {
    const users = new Hono();
    users.get("/:id{[0-9]+}", validate("param", z.object({ id: z.coerce.number().int().positive() })), ok);
    users.get("/:id{[0-9]+}/avatar", ok);
    const api = new Hono().basePath("/v1");
    api.route("/users", users);
    api.get("/animals/:kind?", ok);
    api.get("/static/*", ok);
    api.all("/anything", ok);
    api.get("/hidden", describeRoute({ hide: true }), ok);
    const doc = openApiDocument(api);
    await expectValidOpenApi(doc);
    expect(Object.keys(doc.paths)).toEqual([
      "/v1/users/{id}",
      "/v1/users/{id}/avatar",
      "/v1/animals",
      "/v1/animals/{kind}",
    ]);
    expect(opOf(doc, "/v1/users/{id}", "get").parameters).toMatchObject([
      { name: "id", in: "path", required: true, schema: { type: "integer", exclusiveMinimum: 0 } },
    ]);
    expect(opOf(doc, "/v1/users/{id}/avatar", "get").parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^(?:[0-9]+)$" } },
    ]);
    expect(opOf(doc, "/v1/users/{id}", "get").operationId).toBe("getV1UsersById");
    expect(opOf(doc, "/v1/animals", "get").responses).toEqual({
      default: { description: "The route's responses are not declared: add responds(status, Schema) to it" },
    });
  });

  it("documents headers, cookies, form bodies and responses, and applies describeRoute() on use() patterns registered before a route", async () => {
    const app = new Skiff();
    app.get("/early", ok); // registered before the use() below: not covered by it
    app.use("/admin/*", describeRoute({ tags: ["admin"] }));
    app.post(
      "/admin/upload",
      validate("header", z.object({ "x-tenant": z.string().min(1), "x-trace": z.string().optional() })),
      validate("cookie", z.object({ session: z.string() })),
      validate("form", z.object({ title: z.string(), tags: z.array(z.string()).optional() })),
      responds(201, { type: "object", properties: { id: { type: "string" } }, required: ["id"] }, "Stored"),
      responds(404, "No such folder"),
      responds("5XX", "The store failed"),
      ok,
    );
    app.get("/admin/opaque", validate("query", opaque), responds(200, opaque), ok);
    const doc = openApiDocument(app, {
      info: { title: "t", version: "1" },
      servers: [{ url: "https://x.example" }],
    });
    await expectValidOpenApi(doc);
    const upload = opOf(doc, "/admin/upload", "post");
    expect(upload.tags).toEqual(["admin"]);
    expect(opOf(doc, "/early", "get").tags).toBeUndefined();
    expect(upload.parameters).toEqual([
      { name: "x-tenant", in: "header", required: true, schema: { type: "string", minLength: 1 } },
      { name: "x-trace", in: "header", required: false, schema: { type: "string" } },
      { name: "session", in: "cookie", required: true, schema: { type: "string" } },
    ]);
    expect(Object.keys(upload.requestBody?.content ?? {})).toEqual([
      "application/x-www-form-urlencoded",
      "multipart/form-data",
    ]);
    expect(upload.responses["201"]).toEqual({
      description: "Stored",
      content: {
        "application/json": {
          schema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        },
      },
    });
    expect(upload.responses["404"]).toEqual({
      $ref: "#/components/responses/Problem",
      description: "No such folder",
    });
    expect(upload.responses["5XX"]?.$ref).toBe("#/components/responses/Problem");
    expect(Object.keys(upload.responses)).toEqual(["201", "400", "404", "422", "5XX"]);
    // A schema without a JSON Schema export is documented as any value, saying why; the query as one free-form parameter.
    const opaqueOp = opOf(doc, "/admin/opaque", "get");
    expect(opaqueOp.responses["200"]?.content?.["application/json"]?.schema.description).toMatch(
      /^Any value: the acme schema has no JSON Schema export/,
    );
    expect(opaqueOp.parameters?.[0]).toMatchObject({
      name: "query",
      in: "query",
      schema: { type: "object" },
    });
    expect(doc.servers).toEqual([{ url: "https://x.example" }]);
  });

  it("uses the toJSONSchema option for libraries without an export, and documents zod parts JSON Schema cannot hold as any value", async () => {
    const app = new Hono();
    app.post("/a", validate("json", opaque), ok);
    app.post("/b", validate("json", z.object({ at: z.date(), n: z.string().transform(Number) })), ok);
    const doc = openApiDocument(app, {
      toJSONSchema: (_schema, io) => ({ type: "object", description: `acme ${io}` }),
    });
    await expectValidOpenApi(doc);
    expect(opOf(doc, "/a", "post").requestBody?.content["application/json"]?.schema).toEqual({
      type: "object",
      description: "acme input",
    });
    const b = opOf(doc, "/b", "post").requestBody?.content["application/json"]?.schema;
    expect(b).toMatchObject({ type: "object", required: ["at", "n"], properties: { n: { type: "string" } } });
  });

  it("moves $defs into components (shared when equal, numbered when not) and registers self-referencing schemas", async () => {
    const Address = z.object({ city: z.string() }).meta({ id: "Address" });
    const OtherAddress = z.object({ line: z.string() }).meta({ id: "Address" });
    const Category = z.object({
      name: z.string(),
      get children() {
        return z.array(Category);
      },
    });
    const app = new Hono();
    app.post("/a", validate("json", z.object({ home: Address, work: Address })), ok);
    app.post("/b", validate("json", z.object({ ship: Address })), ok);
    app.post("/c", validate("json", z.object({ other: OtherAddress })), ok);
    app.get("/tree", responds(200, Category), ok);
    const doc = openApiDocument(app);
    await expectValidOpenApi(doc);
    expect(doc.components.schemas.Address).toEqual({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    });
    expect(doc.components.schemas.Address2).toMatchObject({ properties: { line: { type: "string" } } });
    const a = opOf(doc, "/a", "post").requestBody?.content["application/json"]?.schema as {
      properties: Record<string, unknown>;
    };
    expect(a.properties.home).toEqual({ $ref: "#/components/schemas/Address" });
    const c = opOf(doc, "/c", "post").requestBody?.content["application/json"]?.schema as {
      properties: Record<string, unknown>;
    };
    expect(c.properties.other).toEqual({ $ref: "#/components/schemas/Address2" });
    expect(opOf(doc, "/tree", "get").responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/getTree200",
    });
    expect(doc.components.schemas.getTree200).toMatchObject({
      properties: { children: { type: "array", items: { $ref: "#/components/schemas/getTree200" } } },
    });
  });

  it("keeps c.req.valid() typed by validate() when responds() and describeRoute() come first", () => {
    const app = new Skiff();
    app.post(
      "/typed",
      describeRoute({ summary: "typed" }),
      responds(201, z.object({ id: z.string() })),
      validate("json", z.object({ name: z.string() })),
      (c) => {
        expectTypeOf(c.req.valid("json")).toEqualTypeOf<{ name: string }>();
        return c.json({ id: c.req.valid("json").name }, 201);
      },
    );
    expect(openApiDocument(app).paths["/typed"]?.post).toBeDefined();
  });

  it("serves the document from openapi(app), generated once with the routes registered after it", async () => {
    const app = new Hono();
    app.get("/openapi.json", openapi(app, { info: { title: "late", version: "2" } }));
    app.get("/late", responds(200, z.object({ ok: z.boolean() })), ok);
    const first = await (await app.request("/openapi.json")).json();
    expect(Object.keys((first as { paths: object }).paths)).toEqual(["/late"]);
    expect(await (await app.request("/openapi.json")).json()).toEqual(first);
  });
});
