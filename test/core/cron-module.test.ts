import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s+"([^"]+)"/g)].map(
    (m) => m[1] as string,
  );

describe("one cron module, dependency-free and edge-safe", () => {
  it("is the only cron engine: no shipped file imports croner, which is a dev dependency for tests only", () => {
    const users = files("src").filter((f) => imports(f).includes("croner"));
    expect(users).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).not.toContain("croner");
  });

  it("imports nothing but its own files and skiff's errors (no node: built-in, no package)", () => {
    const cron = files("src/triggers/cron");
    expect(cron.length).toBeGreaterThanOrEqual(6);
    for (const file of cron)
      for (const specifier of imports(file))
        expect([file, specifier]).toEqual([
          file,
          expect.stringMatching(/^\.\/[a-z-]+\.js$|^\.\.\/\.\.\/errors\.js$/),
        ]);
  });
});
