import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { CONTRACT_API_KEY, CONTRACT_API_KEY_SHA256 } from "../../contract/driver.js";
import { type DenoProcess, scratch, startDeno } from "./support/deno.js";
import { SHOP_FIXTURE } from "./support/driver.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function shopOnFile(
  native: boolean,
  args: string[] = [],
): Promise<{ deno: DenoProcess; file: string }> {
  const space = await scratch("file-db");
  cleanups.push(() => space.cleanup());
  const file = join(space.dir, "native.db");
  const deno = await startDeno(
    SHOP_FIXTURE,
    {
      PORT: "0",
      TURSO_DATABASE_URL: `file:${file}`,
      DENO_KV_PATH: join(space.dir, "kv.sqlite3"),
      SHOP_API_KEY_SHA256: CONTRACT_API_KEY_SHA256,
      ...(native ? { SKIFF_FIXTURE_NATIVE_DB: "1" } : {}),
    },
    { writable: space.dir, args },
  );
  cleanups.push(() => deno.stop());
  return { deno, file };
}

const createUser = (deno: DenoProcess, email: string) =>
  fetch(`${deno.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": CONTRACT_API_KEY },
    body: JSON.stringify({ email, name: "Ada" }),
  });

describe("the database on Deno", () => {
  it("opens a file: database with the native libSQL client of npm:@libsql/client (Deno's npm support)", async () => {
    const { deno, file } = await shopOnFile(true, ["--allow-ffi", "--allow-sys"]);
    const res = await createUser(deno, "native@example.com");
    expect(res.status).toBe(201);
    await deno.stop();
    // The row is in the file, as any libSQL client reads it.
    const client = createClient({ url: `file:${file}` });
    const rows = await client.execute("SELECT email FROM users");
    client.close();
    expect(rows.rows.map((r) => r.email)).toEqual(["native@example.com"]);
  });

  it("refuses a file: URL without that client with a 500 that leaks nothing, and says how to fix it in the log", async () => {
    const { deno } = await shopOnFile(false);
    const res = await fetch(`${deno.url}/api/users`);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.text()).not.toMatch(/TURSO|file:/);
    expect(deno.output()).toContain(
      "which @libsql/client/web cannot open: pass toDeno(app, { createClient })",
    );
  });
});
