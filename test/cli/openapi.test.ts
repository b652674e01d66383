import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { app } from "../../examples/shop/app.js";
import { openApiDocument, servedOptions } from "../../src/openapi/document.js";
import { fixtures, skiff } from "./support/run-skiff.js";

describe("skiff openapi", () => {
  const dir = mkdtempSync(join(tmpdir(), "skiff-openapi-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the document the app serves at /openapi.json, as JSON on stdout or YAML to a file", async () => {
    const yamlFile = join(dir, "openapi.yaml");
    const [json, yaml, bare, bad] = await Promise.all([
      skiff(["openapi"]),
      skiff(["openapi", "--format", "yaml", "--out", yamlFile]),
      skiff(["openapi", "--root", join(fixtures, "basic"), "--app", "app.ts"]),
      skiff(["openapi", "--format", "xml"]),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const served = JSON.parse(JSON.stringify(openApiDocument(app, servedOptions(app.routes))));
    expect(JSON.parse(json.stdout)).toEqual(served);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(yaml.stdout).toBe("");
    // The shop's 11 API paths, plus the uploads and welcome routes of its thumbnails and userChanges sub-apps.
    expect(yaml.stderr).toMatch(/wrote .*openapi\.yaml \(13 paths\)/);
    expect(Object.keys((served as { paths: Record<string, unknown> }).paths)).toEqual(
      expect.arrayContaining(["/api/uploads/{key}", "/api/users/{id}/welcome"]),
    );
    expect(parse(readFileSync(yamlFile, "utf8"))).toEqual(served);
    // An app that serves no document: title and version from its root's package.json, here none (a neutral title).
    expect(bare.code, bare.stderr).toBe(0);
    const doc = JSON.parse(bare.stdout) as { info: unknown; paths: Record<string, unknown> };
    expect(doc.info).toEqual({ title: "API", version: "0.0.0" });
    expect(Object.keys(doc.paths)).toEqual(["/api/health", "/api/jobs"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[skiff] --format: "xml" must be json or yaml');
  }, 30_000);
});
