import type { ExecutionContext } from "hono";
import { problemResponse } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { BunApi, BunHttpServer } from "./types.js";

/**
 * The app on `Bun.serve` (https://bun.com/docs/api/http): each request goes to `app.fetch` with an env whose
 * prototype is the process env and whose own `server` is Bun's `Server` (where `getConnInfo` from `hono/bun` finds
 * the client's address), and the one execution context of the server. `route` answers first when it returns a
 * response (`/__scheduled`). A throw below the app is a problem+json 500 that quotes nothing of the error.
 *
 * @example
 * ```ts
 * const server = listen(Bun, { hostname: "127.0.0.1", port: 0 }, app.fetch, env, context, log);
 * ```
 */
export function listen(
  bun: Pick<BunApi, "serve">,
  at: { hostname: string; port: number },
  fetch: (
    request: Request,
    env: Record<string, unknown>,
    context: ExecutionContext,
  ) => Response | Promise<Response>,
  env: Record<string, string | undefined>,
  context: ExecutionContext,
  log: Logger,
  route: (request: Request) => Promise<Response> | undefined = () => undefined,
): BunHttpServer {
  const envPrototype = Object.freeze({ ...env });
  return bun.serve({
    hostname: at.hostname,
    port: at.port,
    fetch(request, server) {
      const answered = route(request);
      if (answered) return answered;
      const requestEnv = Object.create(envPrototype) as Record<string, unknown>;
      requestEnv.server = server;
      return fetch(request, requestEnv, context);
    },
    error(error) {
      log.error("request failed before reaching the app", { error });
      return problemResponse(500, {});
    },
  });
}
