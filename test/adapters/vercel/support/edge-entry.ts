// Bundled by the edge contract test and evaluated inside the edge-runtime sandbox. The test sets
// globalThis.__skiffTestEnv before this code runs, and moves the clock for cron firings with setNow().
import { toVercel } from "skiff/vercel";
import { app } from "../../../../examples/shop/app.js";

let clock: number | undefined;

export const handlers = toVercel(app, {
  basePath: "/api",
  env: () => ({ ...(globalThis as { __skiffTestEnv?: Record<string, string> }).__skiffTestEnv }),
  // The contract inspects what was sent before delivering it itself.
  drainOnRequest: false,
  now: () => clock ?? Date.now(),
});

export function setNow(ms: number | undefined): void {
  clock = ms;
}
