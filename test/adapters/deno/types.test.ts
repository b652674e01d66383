import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DENO, ROOT } from "./support/deno.js";

// skiff declares the slice of the Deno API it uses (src/adapters/deno/types.ts, the Deno KV shapes in
// src/bindings): `deno check` against Deno's own types proves the real runtime fits them.
describe("the Deno API skiff declares", () => {
  it("is satisfied by Deno's own types (deno check)", () => {
    const dir = mkdtempSync(join(tmpdir(), "skiff-deno-types-"));
    try {
      const types = join(ROOT, "src/adapters/deno/types.ts");
      const file = join(dir, "check.ts");
      writeFileSync(
        file,
        [
          `import type { DenoHttpServer, DenoKv, DenoKvQueue, DenoKvStore, DenoNamespace, DenoServeInfo } from ${JSON.stringify(types)};`,
          "export const ns: DenoNamespace = Deno;",
          "export const open = async (): Promise<[DenoKv, DenoKvStore, DenoKvQueue]> => {",
          "  const kv = await Deno.openKv();",
          "  return [kv, kv, kv];",
          "};",
          "export const info = (i: Deno.ServeHandlerInfo): DenoServeInfo => i;",
          "export const server = (s: Deno.HttpServer): DenoHttpServer => s;",
          "",
        ].join("\n"),
      );
      const flags = ["--unstable-kv", "--unstable-cron", "--conditions=skiff-source", "--sloppy-imports"];
      const result = spawnSync(
        DENO,
        ["check", ...flags, "--node-modules-dir=manual", "--no-lock", "--quiet", file],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
          timeout: 60_000,
        },
      );
      expect(result.stderr + result.stdout).toBe("");
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
