import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { serveHrana } from "../../../../src/dev/hrana/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The local libSQL endpoint the Worker under test reaches as TURSO_DATABASE_URL. */
    tursoUrl: string;
  }
}

/**
 * Runs in Node before the workerd tests: a fresh libSQL file served over Hrana on 127.0.0.1, exactly what
 * `npm run dev:worker` gives `wrangler dev`, so the Worker's `db` goes over real HTTP to a real database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "skiff-workers-"));
  const server = await serveHrana({ url: `file:${join(dir, "worker.db")}`, port: 0, hostname: "127.0.0.1" });
  project.provide("tursoUrl", server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
