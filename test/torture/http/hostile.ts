/**
 * Hostile HTTP inputs for the fuzz suite, generated from a seed so a failure can be replayed. Two kinds:
 * well-formed requests with hostile content (sent through node:http) and raw byte streams that break HTTP/1.1
 * framing (sent on a bare socket).
 */

/** A request node:http can send: hostile in its path, headers and body, but framed correctly. */
export interface HostileRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Send the body with `Transfer-Encoding: chunked` in pieces of this size. */
  chunked?: number;
}

/** Raw bytes for a bare socket: broken framing the HTTP parser must reject. */
export interface RawRequest {
  kind: string;
  bytes: Buffer;
}

/** Mulberry32: small, fast and deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  '" OR 1=1 --',
  "<script>alert(1)</script>",
  "${7*7}",
  "{{constructor.constructor('return process')()}}",
  "../../../../etc/passwd",
  "..%2f..%2f..%2fetc%2fpasswd",
  "%00",
  "\u0000",
  "\uFEFF",
  "\uD800",
  "𝕏".repeat(50),
  "A".repeat(5000),
  "-1",
  "1e309",
  "NaN",
  "0x7fffffffffffffff",
  "null",
  "[]",
  "{}",
];

const POLLUTION = [
  '{"__proto__":{"admin":true,"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"email":"a@b.c","name":"x","__proto__":{"isAdmin":true}}',
  '{"sku":"A1","qty":1,"__proto__":{"qty":-5}}',
];

const PATHS = [
  "/",
  "/api/users",
  "/api/orders",
  "/api/orders/x",
  "/api/reports/latest",
  "/api/stats",
  "/nope",
  "/api/../etc/passwd",
  "/api/%2e%2e/%2e%2e/etc/passwd",
  "/api/users?limit=",
  "/api/users?limit=-1",
  "/api/users?limit=99999999999999999999",
  "/api/users?limit=1&limit=2",
  "/api/orders/%zz",
  "/api/orders/%c0%af",
  "/api/orders/%00",
  "/__scheduled?cron=bogus",
  "/__scheduled?cron=*%20*%20*%20*%20*",
  "/__scheduled",
  `/${"a/".repeat(600)}`,
  `/api/users?${"x=1&".repeat(800)}`,
];

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "MKCOL"];
const TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/problem+json",
  "",
  "application/json\u0000",
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function deepJson(depth: number, open: string, close: string): string {
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

function body(rand: () => number): { body: Buffer | string; chunked?: number } {
  const injection = pick(rand, INJECTIONS);
  switch (Math.floor(rand() * 14)) {
    case 0:
      return { body: "{" };
    case 1:
      return { body: '{"email": "a@b.c", "name": ' };
    case 2:
      return { body: deepJson(5000 + Math.floor(rand() * 50_000), "[", "]") };
    case 3:
      return { body: deepJson(3000, '{"a":', "}") };
    case 4:
      return { body: pick(rand, POLLUTION) };
    case 5:
      return { body: JSON.stringify({ email: injection, name: injection }) };
    case 6:
      return {
        body: JSON.stringify({ sku: injection, qty: pick(rand, [1, -1, 0, 1e309, "1", null, 2 ** 53]) }),
      };
    case 7:
      return { body: Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) };
    case 8:
      return { body: "x".repeat(70_000 + Math.floor(rand() * 200_000)) };
    case 9:
      return { body: "x".repeat(70_000 + Math.floor(rand() * 200_000)), chunked: 8192 };
    case 10:
      return { body: JSON.stringify({ email: "c@d.e", name: "ok" }), chunked: 3 };
    case 11:
      return { body: "\u0000".repeat(100) };
    case 12:
      return { body: JSON.stringify({ email: `${"a".repeat(70_000)}@b.c`, name: "x" }) };
    default:
      return { body: JSON.stringify([injection, { injection }]) };
  }
}

function headers(rand: () => number, apiKey: string): Record<string, string> {
  const h: Record<string, string> = {};
  const roll = rand();
  if (roll < 0.35) h["x-api-key"] = apiKey;
  else if (roll < 0.55)
    h["x-api-key"] = pick(rand, ["", "dev-key ", "DEV-KEY", "x".repeat(4000), "dev-key\u00e9"]);
  if (rand() < 0.3) h["idempotency-key"] = pick(rand, ["k1", "", "x".repeat(300), "'; DROP", "ü", "a b"]);
  if (rand() < 0.2)
    h.authorization = pick(rand, ["Bearer", "Bearer x.y.z", "Basic ===", "Bearer " + "a".repeat(9000)]);
  if (rand() < 0.2) h["x-request-id"] = pick(rand, ["../../x", "<script>", "a".repeat(500), ""]);
  if (rand() < 0.15) h.cookie = pick(rand, ["a=1; a=2", "=x", "__proto__=1", ";;;"]);
  if (rand() < 0.1) h["accept-encoding"] = "gzip;q=2, *;q=-1";
  if (rand() < 0.1) h.accept = "application/json;q=NaN";
  if (rand() < 0.1) h["x-forwarded-for"] = "1.2.3.4, ::1, not-an-ip";
  for (let i = 0; rand() < 0.05 && i < 50; i++) h[`x-filler-${i}`] = "y".repeat(200);
  return h;
}

/** `count` well-formed hostile requests, deterministic for `seed`. */
export function hostileRequests(seed: number, count: number, apiKey: string): HostileRequest[] {
  const rand = prng(seed);
  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const method = pick(rand, METHODS);
    const path = pick(rand, PATHS);
    const h = headers(rand, apiKey);
    const request: HostileRequest = { kind: `${method} ${path.slice(0, 40)}`, method, path, headers: h };
    if (method !== "GET" && method !== "HEAD" && rand() < 0.85) {
      const b = body(rand);
      request.body = b.body;
      if (b.chunked) request.chunked = b.chunked;
      const type = pick(rand, TYPES);
      if (type) h["content-type"] = type;
    }
    out.push(request);
  }
  return out;
}

const crlf = (...lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");

/** Raw byte streams that break HTTP/1.1: every one must get a problem+json error, never a crash or a 5xx. */
export function rawRequests(): RawRequest[] {
  return [
    { kind: "no host", bytes: crlf("GET / HTTP/1.1") },
    { kind: "two hosts", bytes: crlf("GET / HTTP/1.1", "Host: a", "Host: b") },
    { kind: "bad host", bytes: crlf("GET / HTTP/1.1", "Host: exa mple.com") },
    { kind: "garbage request line", bytes: crlf("HELLO") },
    { kind: "bad version", bytes: crlf("GET / HTTP/9.9", "Host: x") },
    { kind: "space in method", bytes: crlf("G ET / HTTP/1.1", "Host: x") },
    { kind: "control char in path", bytes: crlf("GET /\u0001 HTTP/1.1", "Host: x") },
    { kind: "header without colon", bytes: crlf("GET / HTTP/1.1", "Host: x", "Broken") },
    { kind: "obs-fold", bytes: crlf("GET / HTTP/1.1", "Host: x", "X-A: 1", " folded") },
    { kind: "oversized header", bytes: crlf("GET / HTTP/1.1", "Host: x", `X-Big: ${"a".repeat(70_000)}`) },
    {
      kind: "many headers",
      bytes: crlf(
        "GET / HTTP/1.1",
        "Host: x",
        ...Array.from({ length: 3000 }, (_, i) => `X-${i}: ${"v".repeat(30)}`),
      ),
    },
    {
      kind: "CL and TE",
      bytes: Buffer.concat([
        crlf("POST /api/users HTTP/1.1", "Host: x", "Content-Length: 4", "Transfer-Encoding: chunked"),
        Buffer.from("0\r\n\r\n"),
      ]),
    },
    {
      kind: "two content-lengths",
      bytes: crlf("POST /api/users HTTP/1.1", "Host: x", "Content-Length: 1", "Content-Length: 2"),
    },
    {
      kind: "negative content-length",
      bytes: crlf("POST /api/users HTTP/1.1", "Host: x", "Content-Length: -1"),
    },
    {
      kind: "bad chunk size",
      bytes: Buffer.concat([
        crlf("POST /api/users HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"),
        Buffer.from("zz\r\nabc\r\n0\r\n\r\n"),
      ]),
    },
    {
      kind: "unknown transfer-encoding",
      bytes: crlf("POST /api/users HTTP/1.1", "Host: x", "Transfer-Encoding: rot13"),
    },
    { kind: "nul in header", bytes: crlf("GET / HTTP/1.1", "Host: x", "X-A: a\u0000b") },
    { kind: "lf only", bytes: Buffer.from("GET / HTTP/1.1\nHost: x\n\n") },
    { kind: "absolute-form foreign", bytes: crlf("GET http://evil.example/ HTTP/1.1", "Host: x") },
    { kind: "connect method", bytes: crlf("CONNECT evil.example:443 HTTP/1.1", "Host: evil.example:443") },
  ];
}
