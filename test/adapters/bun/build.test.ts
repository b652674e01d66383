import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bundle } from "../../../src/cli/bundle/bundle.js";
import { loadTargetInput } from "../../../src/cli/run/context.js";
import { bun } from "../../../src/cli/targets/bun/target.js";
import { CONTRACT_API_KEY, CONTRACT_API_KEY_SHA256 } from "../../contract/driver.js";
import { BUN, ROOT, startProcess, type BunProcess } from "./support/bun-process.js";

const tmp = mkdtempSync(join(tmpdir(), "skiff-bun-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const started: Array<BunProcess<unknown>> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

// examples/shop/bun.ts prints one JSON line with the URL once it listens.
const listening = (line: unknown) => /listening on http/.test(String((line as { msg?: unknown }).msg));
const urlOf = (ready: unknown) => /http:\/\/[^ ]+/.exec(String((ready as { msg: string }).msg))?.[0] ?? "";

async function exercise(command: string, args: string[], cwd: string): Promise<void> {
  const server = await startProcess<{ msg: string }>(command, args, {
    cwd,
    // No repository in reach and no bun on PATH: what runs is only what the build wrote.
    env: {
      PATH: "/usr/bin:/bin",
      PORT: "0",
      SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
      NODE_ENV: "production",
    },
    timeoutMs: 20_000,
    isReady: listening,
  });
  started.push(server);
  const url = urlOf(server.ready);
  expect(await (await fetch(`${url}/`)).json()).toEqual({ name: "skiff shop", platform: "bun" });
  const created = await fetch(`${url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
    body: JSON.stringify({ email: "ada@example.com", name: "Ada" }),
  });
  expect(created.status).toBe(201);
  // The default database, created beside the bundle (or in the working directory of the binary), on bun:sqlite.
  expect(existsSync(join(cwd, ".skiff", "dev.db"))).toBe(true);
}

describe("skiff build --target bun", () => {
  it("bundles the shop into one server.mjs with nothing external and compiles a single binary; both run alone", async () => {
    const input = await loadTargetInput({ root: ROOT, app: "examples/shop/app.ts" });
    const entry = bun.resolveEntry(input);
    expect(input.project.rel(entry)).toBe("examples/shop/bun.ts");
    const outDir = join(tmp, "build");
    const result = await bundle(bun.bundleSpec(input, entry, outDir));
    expect(result.externalPackages).toEqual([]); // no native module to ship: bun:sqlite and libSQL over HTTP
    const emitted = await bun.emit(input, entry, outDir, result);
    expect(emitted.problems).toEqual([]);
    expect(emitted.files).toEqual([join(outDir, "server")]);
    expect(statSync(join(outDir, "server")).mode & 0o111).not.toBe(0);

    const alone = mkdtempSync(join(tmp, "bundle-"));
    copyFileSync(result.main, join(alone, "server.mjs"));
    await exercise(BUN, ["--no-install", "server.mjs"], alone);

    const binary = mkdtempSync(join(tmp, "binary-"));
    await exercise(join(outDir, "server"), [], binary);
  }, 60_000);

  it("says where the entry goes when the app has no bun.ts", async () => {
    const input = await loadTargetInput({ root: ROOT, app: "examples/shop/app.ts" });
    expect(() => bun.resolveEntry({ ...input, entry: "examples/shop/missing-bun.ts" })).toThrow(
      /no Bun server entry: examples\/shop\/missing-bun\.ts does not exist\. Create it \(import \{ serve \} from "skiff\/bun"/,
    );
  });
});
