// `npm run dev:worker`: the shop as a Worker in workerd (`wrangler dev`), against a real libSQL database over HTTP.
//
// A Worker reaches libSQL over HTTP only, so this serves `.skiff/worker.db` with skiff's local Hrana endpoint on
// 127.0.0.1 and hands its URL to the Worker as TURSO_DATABASE_URL (overriding wrangler.toml's empty var). KV and
// the queues are wrangler's local ones (Miniflare), kept in `.skiff/wrangler`. `--test-scheduled` serves
// `/__scheduled?cron=0+9+*+*+*`, which fires the daily report. Extra arguments go to `wrangler dev`.
//
// Environment: PORT (Worker, default 8787), HRANA_PORT (database, default: any free port), TURSO_AUTH_TOKEN
// (when set, the endpoint requires it and the Worker sends it).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveHrana } from "../src/dev/hrana/index.js";
import { DEV_API_KEY_SHA256 } from "../examples/shop/auth.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const state = join(root, ".skiff");
mkdirSync(state, { recursive: true });

const authToken = process.env.TURSO_AUTH_TOKEN || undefined;
const hrana = await serveHrana({
  url: `file:${join(state, "worker.db")}`,
  port: Number(process.env.HRANA_PORT ?? 0),
  hostname: "127.0.0.1",
  authToken,
});
console.log(`[skiff] libSQL endpoint for .skiff/worker.db on ${hrana.url}`);

const wrangler = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin/wrangler.js",
);
const args = [
  wrangler,
  "dev",
  "--local",
  "--test-scheduled",
  "--ip",
  "127.0.0.1",
  "--port",
  process.env.PORT ?? "8787",
  "--persist-to",
  join(state, "wrangler"),
  "--var",
  `TURSO_DATABASE_URL:${hrana.url}`,
  // The shop's admin key for local writes (x-api-key: dev-key), unless a real hash is configured.
  "--var",
  `SHOP_API_KEY_SHA256:${process.env.SHOP_API_KEY_SHA256 ?? DEV_API_KEY_SHA256}`,
  // wrangler reads secrets for local dev from .dev.vars; pass the token the endpoint expects instead.
  ...(authToken ? ["--var", `TURSO_AUTH_TOKEN:${authToken}`] : []),
  ...process.argv.slice(2),
];
const child = spawn(process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});

// Ctrl-C reaches wrangler too (same process group); a signal sent to this process alone is passed on. Either way,
// the database closes only once wrangler has exited.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on("exit", (code, signal) => {
  void hrana.close().finally(() => process.exit(code ?? (signal ? 1 : 0)));
});
