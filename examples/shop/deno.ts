import { toDeno } from "skiff/deno";
import { app } from "./app.js";

// `deno serve --unstable-kv --unstable-cron -A examples/shop/deno.ts` (or `skiff build --target deno`, then
// `deno deploy`): the shop on Deno and Deno Deploy. HTTP through Deno.serve, the daily report through Deno.cron,
// the orders queues and KV on Deno KV, the database on Turso over HTTP (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN).
export default toDeno(app);
