import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FAKE_CLOCK } from "../fake-clock-files.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [relative(repo, path)] : [];
  });
}

describe("test files that fake the clock", () => {
  it("run in their own processes: every Node test file calling useFakeTimers is in FAKE_CLOCK, and only those", () => {
    const faking = testFiles(join(repo, "test"))
      .filter(
        (file) => !file.startsWith("test/adapters/cloudflare/workers/") && !file.startsWith("test/torture/"),
      )
      .filter((file) => /vi\.useFakeTimers\(/.test(readFileSync(join(repo, file), "utf8")))
      .sort();
    expect(faking).toEqual([...FAKE_CLOCK].sort());
  });
});
