import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "@netlify/config";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../../src/cli/run/build.js";

// Netlify's own config loader and validator (@netlify/config, what `netlify build` and `netlify deploy` run),
// offline: the netlify.toml skiff generates, and the example's committed one, must load as Netlify reads them.
const root = new URL("../../..", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function netlifyReads(config: string, repositoryRoot: string) {
  const { config: resolved } = await resolveConfig({
    config,
    repositoryRoot,
    cwd: repositoryRoot,
    offline: true,
    mode: "cli",
    context: "production",
    buffer: true,
  });
  return resolved as {
    functions?: Record<string, { node_bundler?: string }>;
    build?: { functions?: string };
  };
}

describe("netlify.toml under Netlify's own validator (@netlify/config)", () => {
  it("accepts the file skiff build writes, with skiff's functions directory and bundler", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skiff-netlify-config-"));
    dirs.push(dir);
    const toml = join(dir, "netlify.toml");
    const report = await runBuild({ root, target: "netlify", config: toml, outDir: join(dir, ".skiff") });
    expect(report.problems).toEqual([]);
    const resolved = await netlifyReads(toml, dir);
    expect(resolved.build?.functions).toBe(join(dir, "netlify", "functions"));
    expect(resolved.functions?.["*"]?.node_bundler).toBe("esbuild");
  });

  it("accepts the example's committed netlify.toml", async () => {
    const dir = join(root, "examples", "shop");
    const resolved = await netlifyReads(join(dir, "netlify.toml"), dir);
    expect(resolved.build?.functions).toBe(join(dir, "netlify", "functions"));
  });

  it("is a real validator: it refuses what Netlify would refuse", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skiff-netlify-config-bad-"));
    dirs.push(dir);
    const toml = join(dir, "netlify.toml");
    writeFileSync(
      toml,
      readFileSync(join(root, "examples", "shop", "netlify.toml"), "utf8") + "\n[build]\ncommand = 5\n",
    );
    await expect(netlifyReads(toml, dir)).rejects.toThrow(/command/);
  });
});
