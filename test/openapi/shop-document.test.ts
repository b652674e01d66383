import SwaggerParser from "@apidevtools/swagger-parser";
import { openApiDocument, type OpenApiDocument } from "skiff/middleware";
import { createTestRuntime } from "skiff/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/shop/app.js";
import { servedOptions } from "../../src/openapi/document.js";

// The shop's real routes, through the document it serves at /openapi.json, checked by a real OpenAPI validator.

type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { $ref?: string; description?: string; content?: Record<string, { schema: unknown }>; headers?: object }
  >;
  security?: Array<Record<string, string[]>>;
  tags?: string[];
};

let t: ReturnType<typeof createTestRuntime>;
let served: OpenApiDocument;
const op = (path: string, method: string) => served.paths[path]?.[method] as Operation;

beforeAll(async () => {
  t = createTestRuntime(app, { env: { SHOP_API_KEY_SHA256: "0".repeat(64) } });
  const res = await t.fetch(new Request("http://shop.test/openapi.json"));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  served = (await res.json()) as OpenApiDocument;
});
afterAll(() => t.close());

describe("the shop's OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, per @apidevtools/swagger-parser", async () => {
    expect(served.openapi).toBe("3.1.0");
    expect(served.info).toMatchObject({ title: "skiff shop", version: "0.1.0" });
    await expect(SwaggerParser.validate(structuredClone(served) as never)).resolves.toBeTruthy();
  });

  it("is what openApiDocument() generates from the app's routes with the served options", () => {
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument(app, servedOptions(app.routes)))));
  });

  it("lists every API route under its OpenAPI path, and not the document or the docs page", () => {
    expect(Object.keys(served.paths).sort()).toEqual([
      "/",
      "/api/checkouts",
      "/api/checkouts/{id}",
      "/api/checkouts/{id}/review",
      "/api/orders",
      "/api/orders/{id}",
      "/api/reports/inventory",
      "/api/reports/inventory/{id}",
      "/api/reports/latest",
      "/api/stats",
      "/api/uploads/{key}",
      "/api/users",
      "/api/users/{id}/welcome",
    ]);
    expect(Object.keys(served.paths["/api/checkouts/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
    expect(op("/api/orders/{id}", "get").parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
    ]);
  });

  it("documents validate() inputs: the query's properties as parameters, JSON bodies from the zod schemas", () => {
    expect(op("/api/users", "get").parameters).toEqual([
      {
        name: "limit",
        in: "query",
        required: false,
        schema: { type: "integer", minimum: 1, maximum: 100, default: 50 },
      },
    ]);
    const body = op("/api/users", "post").requestBody?.content["application/json"]?.schema;
    expect(body).toMatchObject({
      type: "object",
      required: ["email", "name"],
      properties: {
        email: { type: "string", format: "email", maxLength: 254 },
        name: { minLength: 1, maxLength: 100 },
      },
    });
    const order = op("/api/orders", "post");
    expect(order.requestBody?.content["application/json"]?.schema).toMatchObject({
      properties: { sku: { pattern: "^[A-Z0-9-]{2,32}$" }, qty: { type: "integer", maximum: 1000 } },
    });
    // idempotency() declares its header; apiKeyAuth() its security scheme.
    expect(order.parameters).toContainEqual(
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    );
    expect(order.security).toEqual([{ apiKey: [] }]);
    expect(served.components.securitySchemes).toEqual({
      apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
    });
    expect(op("/api/users", "get").security).toBeUndefined();
  });

  it("documents declared responses with their schemas and headers", () => {
    const created = op("/api/users", "post").responses["201"];
    expect(created?.description).toBe("The new user");
    expect(created?.content?.["application/json"]?.schema).toMatchObject({
      type: "object",
      required: ["id", "email", "name", "created_at"],
    });
    const accepted = op("/api/orders", "post").responses["202"];
    expect(accepted?.headers).toEqual({
      Location: { description: "Where to GET the result", schema: { type: "string" } },
    });
    expect(accepted?.content?.["application/json"]?.schema).toMatchObject({
      properties: { status: { const: "accepted" } },
    });
    expect(
      op("/api/orders/{id}", "get").responses["200"]?.content?.["application/json"]?.schema,
    ).toMatchObject({
      properties: {
        status: { enum: ["accepted", "processing", "fulfilled", "failed"] },
        email: { anyOf: expect.any(Array) },
      },
    });
  });

  it("documents problem+json once, as components, and refers to it from each route's 4xx", () => {
    expect(served.components.responses.Problem).toEqual({
      description: "An error (application/problem+json)",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    });
    expect(served.components.schemas.Problem).toMatchObject({
      type: "object",
      required: ["type", "title", "status"],
      properties: { errors: { type: "array" } },
    });
    const post = op("/api/users", "post").responses;
    expect(post["409"]).toEqual({
      $ref: "#/components/responses/Problem",
      description: "A user with this email exists",
    });
    for (const status of ["400", "401", "413", "422", "429"])
      expect(post[status]?.$ref, status).toBe("#/components/responses/Problem");
    expect(op("/api/orders/{id}", "get").responses["404"]).toEqual({
      $ref: "#/components/responses/Problem",
      description: "No order with this id",
    });
    // Every 4xx of every operation is a reference to the one component.
    for (const [path, item] of Object.entries(served.paths))
      for (const [method, operation] of Object.entries(item))
        for (const [status, response] of Object.entries((operation as Operation).responses))
          if (status.startsWith("4"))
            expect((response as { $ref?: string }).$ref, `${method} ${path} ${status}`).toBe(
              "#/components/responses/Problem",
            );
  });
});
