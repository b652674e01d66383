import type { Context } from "hono";
import type { PlatformName } from "../../src/types.js";

/**
 * Options of {@link clientIp}.
 *
 * @example
 * ```ts
 * clientIp(c, { trustedProxies: 1 }); // CloudFront in front of API Gateway
 * ```
 */
export interface ClientIpOptions {
  /**
   * Lambda only: how many proxies of your own (CloudFront, a load balancer) sit in front of API Gateway or the ALB,
   * each appending one address to `X-Forwarded-For`. Default 0: the right-most address, the one AWS appended.
   */
  trustedProxies?: number;
  /** IPv6 clients are keyed by this prefix length, since one subscriber usually holds a whole /64. Default 64. */
  ipv6Prefix?: number;
}

/**
 * The client's IP address as the platform vouches for it, or `undefined` when the platform gives none. Never a
 * header a client could set for itself:
 * - Cloudflare: `CF-Connecting-IP`, which Cloudflare's edge overwrites.
 * - Vercel: `X-Real-IP`, then `X-Vercel-Forwarded-For`, both set by Vercel's edge (a client's own
 *   `X-Forwarded-For` is discarded there).
 * - Lambda: the event's `requestContext` source IP when the adapter exposes it; otherwise the right-most
 *   `X-Forwarded-For` entry (skipping `trustedProxies`). API Gateway, function URLs and ALBs *append* the address
 *   they saw, so the left entries are whatever the client sent and must not be trusted.
 * - Node: the socket's remote address, read from the `incoming` request `@hono/node-server` puts on `c.env` (no
 *   Node import). Behind a reverse proxy that is the proxy: pass a `key` function that reads its header instead.
 * IPv4-mapped IPv6 addresses are returned as IPv4; IPv6 addresses are truncated to `ipv6Prefix` bits.
 *
 * @example
 * ```ts
 * app.use(rateLimit({ limit: 100, windowSeconds: 60, key: (c) => `${clientIp(c) ?? "unknown"}:${c.req.path}` }));
 * ```
 */
export function clientIp(c: Context, options: ClientIpOptions = {}): string | undefined {
  const { trustedProxies = 0, ipv6Prefix = 64 } = options;
  const address = rawAddress(c, trustedProxies);
  return address === undefined ? undefined : normalise(address, ipv6Prefix);
}

function rawAddress(c: Context, trustedProxies: number): string | undefined {
  const platform = (c.get as (key: string) => unknown)("platform") as PlatformName | undefined;
  const env = (c.env ?? {}) as {
    requestContext?: { identity?: { sourceIp?: unknown }; http?: { sourceIp?: unknown } };
    incoming?: { socket?: { remoteAddress?: unknown } };
  };
  switch (platform) {
    case "cloudflare":
      return header(c, "cf-connecting-ip");
    case "vercel-edge":
    case "vercel-node":
      return header(c, "x-real-ip") ?? header(c, "x-vercel-forwarded-for")?.split(",")[0]?.trim();
    case "lambda": {
      const source = env.requestContext?.identity?.sourceIp ?? env.requestContext?.http?.sourceIp;
      if (typeof source === "string" && source && trustedProxies === 0) return source;
      const hops =
        header(c, "x-forwarded-for")
          ?.split(",")
          .map((s) => s.trim())
          .filter(Boolean) ?? [];
      return hops[hops.length - 1 - trustedProxies];
    }
    case "deno": {
      // skiff/deno passes Deno.serve's connection info as the env (remoteAddr: Deno.NetAddr).
      const remote = (c.env ?? {}) as { remoteAddr?: { hostname?: unknown } };
      const host = remote.remoteAddr?.hostname;
      return typeof host === "string" && host ? host : undefined;
    }
    case "bun": {
      // Bun.serve hands the server to fetch as its second argument, which Hono exposes as c.env.
      const server = (c.env ?? {}) as { server?: { requestIP?(r: Request): { address: string } | null } };
      return server.server?.requestIP?.(c.req.raw)?.address ?? undefined;
    }
    default: {
      // Node (skiff's serve() or @hono/node-server directly); anything else has no address we can trust.
      const remote = env.incoming?.socket?.remoteAddress;
      return typeof remote === "string" && remote ? remote : undefined;
    }
  }
}

function header(c: Context, name: string): string | undefined {
  const value = c.req.header(name)?.trim();
  return value ? value : undefined;
}

function normalise(address: string, prefix: number): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(":") || prefix >= 128) return address;
  const groups = expandIpv6(address.split("%")[0] ?? address);
  if (!groups) return address;
  const out: string[] = [];
  for (let i = 0, bits = prefix; i < 8; i++, bits -= 16) {
    const g = groups[i] ?? 0;
    out.push((bits >= 16 ? g : bits <= 0 ? 0 : g & (0xffff << (16 - bits)) & 0xffff).toString(16));
  }
  return `${out.join(":")}/${prefix}`;
}

function expandIpv6(address: string): number[] | undefined {
  const [head = "", tail, extra] = address.split("::");
  if (extra !== undefined) return undefined;
  const parse = (part: string) =>
    part
      ? part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN))
      : [];
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const groups = [...left, ...Array<number>(missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
