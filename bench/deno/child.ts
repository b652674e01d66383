import { startReadyChild, type ReadyChild } from "../lib/child.js";
import { fromRoot } from "../lib/paths.js";

/** The real Deno binary of the `@deno/linux-x64-glibc` dev dependency. */
export const DENO = fromRoot("node_modules/@deno/linux-x64-glibc/deno");

/**
 * How every bench server runs: the TypeScript sources (`skiff-source`, `.js` specifiers of `.ts` files), the
 * installed node_modules, no lock file, Deno KV and Deno.cron on, only the loopback on the network.
 */
export const DENO_FLAGS = [
  "run",
  "--unstable-kv",
  "--unstable-cron",
  "--conditions=skiff-source",
  "--sloppy-imports",
  "--node-modules-dir=manual",
  "--no-lock",
  "--no-prompt",
  "--allow-net=127.0.0.1",
  "--allow-env",
  "--allow-read",
];

/** A Deno process that printed its `{ "ready": true, ... }` line. */
export type DenoChild = ReadyChild;

/** Runs `deno run <script>` with {@link DENO_FLAGS} and waits at most `timeoutMs` for its ready line. */
export function startDeno(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<DenoChild> {
  return startReadyChild(DENO, [...DENO_FLAGS, fromRoot(script)], {
    cwd: fromRoot("."),
    env: { ...process.env, NODE_ENV: "production", NO_COLOR: "1", ...env },
    label: script,
    timeoutMs,
  });
}
