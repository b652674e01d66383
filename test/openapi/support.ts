import SwaggerParser from "@apidevtools/swagger-parser";
import { expect } from "vitest";
import type { OpenApiDocument } from "../../src/openapi/types.js";

/**
 * Checks a document with @apidevtools/swagger-parser (the OpenAPI 3.1 schema and every $ref), plus what that
 * validator leaves out for 3.1: each `{name}` of a path is declared once as a required path parameter.
 */
export async function expectValidOpenApi(doc: OpenApiDocument): Promise<void> {
  await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  for (const [path, item] of Object.entries(doc.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const [method, operation] of Object.entries(item)) {
      const params = (
        (operation as { parameters?: Array<{ name: string; in: string; required?: boolean }> }).parameters ??
        []
      ).filter((p) => p.in === "path");
      expect(params.map((p) => p.name).sort(), `${method} ${path}`).toEqual(names);
      for (const p of params) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
    }
  }
}
