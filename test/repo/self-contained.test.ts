import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;
const SCANNED = ["src", "middleware", "test", "examples", "bench", "scripts", ".ci"];
const SKIP = new Set(["node_modules", "dist", ".skiff", ".wrangler", "fixtures"]);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mts|mjs|js|json|sh)$|^run$/.test(name)) yield path;
  }
}

describe("a clone of the repository is self-contained", () => {
  it("no source, test, script or CI step reads outside the repository (a user's clone has nothing beside it)", () => {
    const outside = /(["'`]|\/)\.\.\/(\.\.\/)*shared\//;
    const offenders: string[] = [];
    for (const dir of SCANNED) {
      let entries: Generator<string>;
      try {
        entries = files(join(root, dir));
      } catch {
        continue;
      }
      for (const path of entries) {
        if (path.endsWith("self-contained.test.ts")) continue;
        if (outside.test(readFileSync(path, "utf8"))) offenders.push(relative(root, path));
      }
    }
    expect(offenders).toEqual([]);
  });

  it("vendors the AWS event fixtures with their licence", () => {
    const dir = join(root, "test/fixtures/aws-lambda-events");
    const names = readdirSync(dir);
    expect(names).toContain("LICENSE");
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toMatch(/Apache License/);
    expect(names.filter((n) => n.endsWith(".json")).length).toBeGreaterThanOrEqual(9);
  });
});
