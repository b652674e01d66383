import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const server = new URL("../../src/dev/hrana/index.ts", import.meta.url).pathname;

describe("serveHrana close()", () => {
  it(
    "settles in a process that has nothing else to do, after its SQL processes went idle",
    { timeout: 60_000 },
    async () => {
      // Idle SQL processes are unref'd so they never keep a program alive. close() must still wait for their exit:
      // in a script whose last await is close() (a benchmark, a dev script), it used to never settle (exit 13).
      const db = join(mkdtempSync(join(tmpdir(), "hrana-close-")), "dev.db");
      const script = `
      import { createClient } from "@libsql/client/web";
      import { serveHrana } from ${JSON.stringify(server)};
      const hrana = await serveHrana({ url: ${JSON.stringify(`file:${db}`)} });
      const client = createClient({ url: hrana.url });
      await client.execute("CREATE TABLE t (x)");
      for (let i = 0; i < 20; i++) await client.execute({ sql: "INSERT INTO t VALUES (?)", args: [i] });
      await client.batch(Array.from({ length: 50 }, (_, i) => ({ sql: "INSERT INTO t VALUES (?)", args: [i] })), "write");
      await hrana.close();
      console.log("closed");
    `;
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: new URL("../..", import.meta.url).pathname,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
        child.once("exit", (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      expect(out).toContain("closed");
      expect(code).toBe(0);
    },
  );
});
