import { isAbsolute } from "node:path";
import { startReadyChild, type ReadyChild } from "../lib/child.js";
import { fromRoot } from "../lib/paths.js";

/** The real Bun binary of the `@oven/bun-linux-x64` dev dependency. */
export const BUN = fromRoot("node_modules/@oven/bun-linux-x64/bin/bun");

/** A Bun process that printed its `{ "ready": true, ... }` line. */
export type BunChild = ReadyChild;

/**
 * Runs `bun <script>` (a repository path, TypeScript with `skiff` resolved to the sources, or an absolute path) and
 * waits at most `timeoutMs` for its ready line.
 */
export function startBun(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<BunChild> {
  const path = isAbsolute(script) ? script : fromRoot(script);
  return startReadyChild(BUN, ["--no-install", "--conditions=skiff-source", path], {
    cwd: fromRoot("."),
    env: { ...process.env, NODE_ENV: "production", ...env },
    label: script,
    timeoutMs,
  });
}
