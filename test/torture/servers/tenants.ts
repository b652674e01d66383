import { Skiff, sql } from "skiff";
import { serve } from "skiff/node";
import { apiKeyAuth, idempotency } from "skiff/middleware";
import { TENANT_KEYS } from "./tenant-keys.js";

/**
 * Two tenants, each with its own API key, placing orders through one idempotent route. The handler counts its
 * runs in the database, so the suite can tell a replay from a second run, and answers with the tenant it ran for.
 */

const sha256 = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

const keys = await Promise.all(
  Object.entries(TENANT_KEYS).map(async ([id, key]) => ({ id, hash: await sha256(key), scopes: ["orders"] })),
);

const app = new Skiff({
  migrations: [
    {
      id: "001_runs",
      sql: "CREATE TABLE runs (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL, pid INTEGER NOT NULL)",
    },
  ],
});
app.post("/orders", apiKeyAuth({ keys }), idempotency({ store: "db" }), async (c) => {
  const tenant = c.var.principal.subject;
  // Hold the request open a little, so concurrent duplicates really overlap.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const run = await c.var.db.get<{ id: number }>(
    sql`INSERT INTO runs (tenant, pid) VALUES (${tenant}, ${process.pid}) RETURNING id`,
  );
  return c.json({ tenant, run: run?.id }, 201);
});

const url = process.env.TORTURE_DB_URL;
if (!url) throw new Error("TORTURE_DB_URL is not set");
const server = await serve(app, { port: 0, database: { url }, scheduler: false, queues: false });
process.stdout.write(`ready ${server.port}\n`);
