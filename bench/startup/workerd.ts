import type { Readable } from "node:stream";
import { Miniflare, type MiniflareOptions } from "miniflare";
import type { Bundle } from "../lib/bundle.js";

/** The compatibility date of wrangler.toml (the newest the pinned workerd supports). */
export const COMPATIBILITY_DATE = "2026-04-20";

/**
 * workerd's stdout/stderr (the apps' request logs) read and dropped: a null sink for both contenders, and a drained
 * pipe, so a full one never stalls workerd.
 */
export const QUIET: Partial<MiniflareOptions> = {
  handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
    stdout.resume();
    stderr.resume();
  },
};

/** The shop's bindings as wrangler.toml declares them; `GET /` uses none, but workerd sets them up at start. */
export const SHOP_BINDINGS: Partial<MiniflareOptions> = {
  kvNamespaces: ["KV"],
  queueProducers: { ORDERS: "orders", ORDERS_DLQ: "orders-dlq" },
  bindings: { TURSO_DATABASE_URL: "http://127.0.0.1:9" },
};

/** A workerd cold start: `new Miniflare` with the bundle to its first `dispatchFetch` response, in ms. */
export async function coldWorkerd(bundle: Bundle, extra: Partial<MiniflareOptions> = {}): Promise<number> {
  const started = performance.now();
  const mf = new Miniflare({
    modules: true,
    script: bundle.code,
    compatibilityDate: COMPATIBILITY_DATE,
    ...QUIET,
    ...extra,
  } as MiniflareOptions);
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    await res.text();
    if (res.status !== 200) throw new Error(`first response ${res.status}`);
    return performance.now() - started;
  } finally {
    await mf.dispose();
  }
}
