// Compile-time only (tsc -p test/adapters/cloudflare/workers/tsconfig.json): skiff's structural Workers types and Cloudflare's own
// types fit each other, so `export default toCloudflare(app)` satisfies ExportedHandler and real bindings fit.
import { Skiff } from "skiff";
import {
  type CloudflareExecutionContext,
  type CloudflareMessageBatch,
  type CloudflareScheduledController,
  type KVNamespaceBinding,
  type QueueBinding,
  toCloudflare,
} from "skiff/cloudflare";
import worker from "../../../../examples/shop/worker.js";

worker satisfies ExportedHandler;
worker satisfies ExportedHandler<Record<string, unknown>>;

interface ShopEnv {
  TURSO_DATABASE_URL: string;
  KV: KVNamespace;
  ORDERS: Queue;
}
const typed = new Skiff<{ Bindings: ShopEnv }>();
typed.get("/kv", async (c) => c.text((await c.env.KV.get("k")) ?? ""));
toCloudflare(typed) satisfies ExportedHandler<ShopEnv>;

export function platformObjectsFit(
  kv: KVNamespace,
  queue: Queue,
  ctx: ExecutionContext,
  batch: MessageBatch,
  controller: ScheduledController,
): void {
  kv satisfies KVNamespaceBinding;
  queue satisfies QueueBinding;
  ctx satisfies CloudflareExecutionContext;
  batch satisfies CloudflareMessageBatch;
  controller satisfies CloudflareScheduledController;
}
