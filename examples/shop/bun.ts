import { serve } from "skiff/bun";
import { app } from "./app.js";
import { DEV_API_KEY, DEV_API_KEY_SHA256 } from "./auth.js";

// Local development only: accept the dev key unless a real key hash is configured.
const devKey = !process.env.SHOP_API_KEY_SHA256;
process.env.SHOP_API_KEY_SHA256 ??= DEV_API_KEY_SHA256;

// `bun examples/shop/bun.ts`: the shop on http://localhost:8787 with .skiff/dev.db on bun:sqlite, the durable
// queue and the crons on Bun.cron. Built with `skiff build --target bun`: `bun .skiff/build/bun/server.mjs`, or the
// single binary `.skiff/build/bun/server`.
const started = performance.now();
const server = await serve(app); // reads PORT (default 8787) and HOST
console.log(
  JSON.stringify({
    msg: `skiff shop listening on ${server.url}`,
    startupMs: Math.round(performance.now() - started),
    crons: server.nextRuns().map((r) => ({ cron: r.cron, next: r.next?.toISOString() })),
    queues: [...app.triggers.queues.keys()],
    ...(devKey
      ? {
          apiKey: `writes need the header "x-api-key: ${DEV_API_KEY}" (set SHOP_API_KEY_SHA256 to use your own)`,
        }
      : {}),
  }),
);
