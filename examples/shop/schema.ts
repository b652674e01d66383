import { z } from "zod";
import type { Migration } from "skiff";

/** A new user, as `POST /api/users` accepts it. */
export const NewUser = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
});

const Sku = z.string().regex(/^[A-Z0-9-]{2,32}$/, "SKU: 2–32 capital letters, digits or dashes");

/** The body of `POST /api/orders`. */
export const NewOrder = z.object({
  sku: Sku,
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

/**
 * The body of `POST /api/checkouts`, and the input of the `checkout` workflow. The client picks `orderId`: the run's
 * id derives from it, so a POST retried after a lost answer finds the run it started instead of charging twice.
 *
 * @example
 * ```ts
 * CheckoutInput.parse({ orderId: "o-1", email: "ada@example.com", items: [{ sku: "TEA-1", qty: 2 }] });
 * ```
 */
export const CheckoutInput = z.object({
  orderId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "orderId: 1–64 letters, digits, dashes or underscores"),
  email: z.email().max(254),
  items: z
    .array(z.object({ sku: Sku, qty: z.number().int().positive().max(1000) }))
    .min(1)
    .max(50),
});

/**
 * The body of `POST /api/checkouts/:id/review`: a person's decision on a checkout held for review.
 *
 * @example
 * ```ts
 * ReviewDecision.parse({ approved: true, by: "ops@shop" });
 * ```
 */
export const ReviewDecision = z.object({
  approved: z.boolean(),
  by: z.string().trim().min(1).max(100),
});

/**
 * The body of `POST /api/reports/inventory`: which SKUs to report on (default: every product), one message each.
 *
 * @example
 * ```ts
 * InventoryReportInput.parse({}); // { lowStockBelow: 10 }: every product
 * ```
 */
export const InventoryReportInput = z.object({
  skus: z.array(Sku).min(1).max(1000).optional(),
  lowStockBelow: z.number().int().min(0).max(1_000_000).default(10),
});

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
  {
    // The checkout workflow's side of the shop: a product catalogue with stock, the simulated payment provider's
    // charges (one per idempotency key) and stock reservations (one per key, released by the saga's undo).
    id: "003_checkout",
    sql: `CREATE TABLE products (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
      stock INTEGER NOT NULL CHECK (stock >= 0)
    );
    INSERT INTO products (sku, name, price_cents, stock) VALUES
      ('TEA-1', 'Sencha, 100 g', 850, 500),
      ('TEA-2', 'Assam, 100 g', 650, 500),
      ('MUG-1', 'Stoneware mug', 1200, 50),
      ('RARE-1', 'Gyokuro, first flush, 50 g', 4900, 1);
    CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      checkout_id TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('charged', 'refunded')),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      refunded_at TEXT
    );
    CREATE TABLE reservations (
      id TEXT PRIMARY KEY,
      checkout_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('held', 'released')),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE reservation_items (
      reservation_id TEXT NOT NULL REFERENCES reservations (id),
      sku TEXT NOT NULL,
      qty INTEGER NOT NULL,
      PRIMARY KEY (reservation_id, sku)
    );
    CREATE INDEX reservation_items_sku ON reservation_items (sku);
    CREATE TABLE checkouts (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      total_cents INTEGER NOT NULL,
      payment_id TEXT NOT NULL,
      reservation_id TEXT NOT NULL,
      confirmed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );`,
  },
];
