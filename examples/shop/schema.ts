import { z } from "zod";
import type { Migration } from "skiff";

/** A new user, as `POST /api/users` accepts it. */
export const NewUser = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
});

/** The body of `POST /api/orders`. */
export const NewOrder = z.object({
  sku: z.string().regex(/^[A-Z0-9-]{2,32}$/, "SKU: 2–32 capital letters, digits or dashes"),
  qty: z.number().int().positive().max(1000),
  email: z.email().optional(),
});

/** A message on the `orders` queue. */
export const Order = z.object({
  orderId: z.string().uuid(),
  sku: z.string(),
  qty: z.number().int().positive(),
});

/** Dead letters arrive as whatever failed: accept anything and inspect it. */
export const DeadOrder = z.unknown();

/** `GET /api/users?limit=` */
export const UserListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The shop's schema, applied once per isolate or process before the first query. */
export const migrations: Migration[] = [
  {
    id: "001_users",
    sql: `CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`,
  },
  {
    id: "002_orders",
    sql: `CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      sku TEXT NOT NULL,
      qty INTEGER NOT NULL,
      email TEXT,
      status TEXT NOT NULL CHECK (status IN ('accepted', 'processing', 'fulfilled', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX orders_status ON orders (status);`,
  },
];
