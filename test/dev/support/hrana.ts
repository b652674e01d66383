import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client/web";
import { afterAll, beforeAll } from "vitest";
import { serveHrana, type HranaServer } from "../../../src/dev/hrana/index.js";

/** Shared by the Hrana endpoint tests: one served temp database per test file, its web client and raw POSTs. */

// Every behaviour is checked through the official web client (what Workers and Vercel Edge run), plus raw HTTP
// where the client does not reach (v3 endpoints, cursors, malformed requests).

export let dir: string;
export let server: HranaServer;
export let db: Client;

export const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** Serves a fresh temp database (with a users table) for the test file: sets dir, server and db. */
export function useHranaServer(): void {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "skiff-hrana-"));
    server = await serveHrana({ url: `file:${join(dir, "main.db")}`, port: 0 });
    db = createClient({ url: server.url, intMode: "bigint" });
    await db.execute(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, score REAL, avatar BLOB, note TEXT)",
    );
  });

  afterAll(async () => {
    db.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
}
