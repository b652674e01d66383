import type { Context } from "@netlify/functions";

/**
 * A Netlify Functions v2 `Context` built to @netlify/functions' own type, as Netlify hands it to a handler: the
 * client's ip and geo, a request id, the deploy and site, and `waitUntil`, whose promises land in `background`.
 */
export function netlifyContext(request: Request, background: Promise<unknown>[] = []): Context {
  const url = new URL(request.url);
  const context: Context = {
    account: { id: "acct-1" },
    cookies: { get: () => "", set: () => undefined, delete: () => undefined },
    deploy: { context: "production", id: "deploy-1", published: true },
    geo: { city: "Paris", country: { code: "FR", name: "France" }, timezone: "Europe/Paris" },
    ip: "203.0.113.9",
    json: (input) => Response.json(input),
    log: () => undefined,
    next: () => Promise.reject(new Error("context.next() is for edge functions")),
    params: {},
    rewrite: () => Promise.reject(new Error("context.rewrite() is for edge functions")),
    requestId: `01J${crypto.randomUUID().replace(/-/g, "").slice(0, 20).toUpperCase()}`,
    server: { region: "us-east-2" },
    site: { id: "site-1", name: "shop", url: `${url.protocol}//${url.host}` },
    url,
    waitUntil: (promise) => void background.push(promise),
  };
  return context;
}

/** The request Netlify's scheduler sends a scheduled function: a POST whose JSON body names the next run. */
export function scheduledRequest(name: string, nextRun: number | undefined): Request {
  return new Request(`https://shop.netlify.app/.netlify/functions/${name}`, {
    method: "POST",
    headers: {
      "user-agent": "Netlify Clockwork",
      "x-nf-event": "schedule",
      "content-type": "application/json",
    },
    body: JSON.stringify(nextRun === undefined ? {} : { next_run: new Date(nextRun).toISOString() }),
  });
}
