import { toCloudflare } from "skiff/cloudflare";
import { app } from "./app.js";

// `wrangler deploy` / `npm run dev:worker`: the shop as a Worker (fetch, the daily cron, the orders queues).
// Bindings are declared in wrangler.toml at the repository root.
export default toCloudflare(app);
