import { afterEach } from "vitest";
import type { Env } from "hono";
import type { QueueSchemas, Skiff } from "skiff";
import { serve, type ServeOptions, type SkiffServer } from "skiff/node";

// Servers the tests of a file started, closed after each test.
const servers: SkiffServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Serves `app` on a free port over the database at `url`, without signal handlers; closed after the test. */
export async function start<E extends Env, Q extends QueueSchemas>(
  app: Skiff<E, Q>,
  url: string,
  options: ServeOptions = {},
): Promise<SkiffServer> {
  const server = await serve(app, {
    port: 0,
    env: {},
    database: { url },
    handleSignals: false,
    pollIntervalMs: 20,
    ...options,
  });
  servers.push(server);
  return server;
}

/** Stops tracking a server a test closed itself, so it is not closed twice. */
export function forget(server: SkiffServer): void {
  const i = servers.indexOf(server);
  if (i >= 0) servers.splice(i, 1);
}

/** Polls `check` every 20 ms until it holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
