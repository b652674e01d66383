import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDeno, until } from "./support/deno.js";

describe("toDeno(app).serve() in a deno run script", () => {
  const dir = mkdtempSync(join(tmpdir(), "skiff-deno-serve-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves on the port asked and, on SIGTERM, finishes in-flight requests and waitUntil work, then exits 0", async () => {
    const deno = await startDeno(
      "test/adapters/deno/fixtures/serve.ts",
      { DENO_KV_PATH: join(dir, "kv.sqlite3") },
      { writable: dir },
    );
    try {
      expect(deno.output()).toContain(`"url":"${deno.url}"`);
      expect(await (await fetch(`${deno.url}/`)).json()).toEqual({ platform: "deno" });
      const exited = new Promise<number | null>((resolve) =>
        deno.child.once("exit", (code) => resolve(code)),
      );
      const slow = fetch(`${deno.url}/slow`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      deno.child.kill("SIGTERM");
      const res = await slow;
      expect(await res.text()).toBe("slow done");
      expect(await exited).toBe(0);
      await until(() => deno.output().includes('{"fixture":"waitUntil done"}'), 1_000);
    } finally {
      await deno.stop();
    }
  });
});
